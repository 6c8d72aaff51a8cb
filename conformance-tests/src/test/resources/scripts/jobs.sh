trap 'echo "exit trap"' EXIT
trap 'echo "got USR1"' USR1
kill -USR1 $$
sleep 0.2 &
p=$!
echo "background started"
wait $p; echo "waited $?"
( sleep 0.1; exit 7 ) & wait $!; echo "subshell job $?"
sh -c 'exit 5'; echo "child sh $?"
/bin/false; echo "false $?"
nosuchcommand 2>/dev/null; echo "missing $?"
for n in 1 2 3 4; do ( echo "job $n" > job.$n ) & done; wait; cat job.1 job.2 job.3 job.4; rm -f job.*; echo "all jobs done"
echo "done"
