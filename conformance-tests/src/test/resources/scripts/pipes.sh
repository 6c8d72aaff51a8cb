seq 1 2000 | grep 7 | wc -l
yes hello | head -n 3
printf 'b\na\nc\n' | sort | tr '\n' ' '; echo
v=$(for i in 1 2 3; do echo $i; done | paste -s -d+ | bc 2>/dev/null || echo 6); echo "sum $v"
{ echo one; echo two >&2; } 2>&1 | cat -n
echo "exit of pipeline: $(false | true; echo $?)"
ls / | head -3 | wc -l
cat /etc/passwd | cut -d: -f1 | sort | head -2 | xargs echo users:
