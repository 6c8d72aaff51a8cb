echo "start $$" | sed 's/[0-9]*$/PID/'
x=$(echo hello | tr a-z A-Z); echo "subst: $x"
for i in 1 2 3; do echo "loop $i"; done | sort -r | head -2
( echo subshell; exit 4 ); echo "sub status $?"
f() { echo "func $1"; return 2; }; f arg; echo "ret $?"
echo a b c | while read p q r; do echo "$r $q $p"; done
false || echo "or works"
true && echo "and works"
echo $((3*7)) $((1<<10))
cat <<EOT | wc -l
one
two
EOT
case "abc" in a*) echo "case ok";; *) echo "case bad";; esac
i=0; while [ $i -lt 20 ]; do i=$((i+1)); done; echo "counted $i"
