/* Resource usage: getrusage of the process and of reaped children, times(). */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void){ volatile unsigned long x=0; for(long i=0;i<300000000;i++) x+=i; struct rusage r; getrusage(RUSAGE_SELF,&r);
printf("self user>0.05s: %d maxrss>0: %d\n", r.ru_utime.tv_sec*1000000+r.ru_utime.tv_usec > 50000, r.ru_maxrss>0);
if(fork()==0){for(long i=0;i<300000000;i++) x+=i; _exit(0);} wait(0); getrusage(RUSAGE_CHILDREN,&r);
printf("children user>0.05s: %d\n", r.ru_utime.tv_sec*1000000+r.ru_utime.tv_usec > 50000); struct tms t; printf("times ok: %d\n", times(&t) > 0); return 0;}
