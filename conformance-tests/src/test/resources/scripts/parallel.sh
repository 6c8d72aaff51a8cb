# xargs -P4 runs four shells at once; sort -S 64K spills a large input to temporary files and merges them.
/usr/bin/seq 1 40 | /usr/bin/xargs -P4 -n5 /bin/sh -c 'for i; do echo $((i * i)); done' sh | /usr/bin/sort -n | /usr/bin/tail -n 3
/usr/bin/seq 1 200000 | /usr/bin/sed 's/$/ line/' | /usr/bin/sort -S 64K -T . -k1,1nr | /usr/bin/head -n 3
/usr/bin/seq 1 200000 | /usr/bin/sort -S 64K -T . | /usr/bin/md5sum
ls sort* 2>/dev/null | wc -l
