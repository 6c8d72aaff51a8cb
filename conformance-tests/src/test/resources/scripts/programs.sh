# Many short-lived dynamic programs in turn, each exec'd where the previous ones ran: every one
# must behave as itself even though lxrun keeps the code other processes translated.
for i in 1 2 3 4 5 6; do
  /bin/echo "echo $i"
  /usr/bin/printf 'printf %s\n' "$i"
  /usr/bin/expr "$i" '*' 7
  /bin/true && echo "true $i"
  /bin/false || echo "false $i"
  echo "abc$i" | /usr/bin/tr a-c x-z
  /usr/bin/basename "/a/b/c$i"
  /usr/bin/seq "$i" | /usr/bin/wc -l
  /bin/sh -c "exit $i"; echo "sh status $?"
done
out=$(/usr/bin/env LC_ALL=C /bin/ls / | /usr/bin/head -1); echo "ls head: ${out:+nonempty}"
