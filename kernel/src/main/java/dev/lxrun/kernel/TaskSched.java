package dev.lxrun.kernel;

/**
 * A thread's scheduling attributes as sched_setscheduler/sched_setattr, ioprio_set and
 * PR_SET_TIMERSLACK leave them. lxrun records them (and reports them back as Linux would); the
 * host schedules every guest thread as SCHED_OTHER whatever they say.
 */
public final class TaskSched {
    public static final int SCHED_OTHER = 0, SCHED_FIFO = 1, SCHED_RR = 2, SCHED_BATCH = 3, SCHED_IDLE = 5,
            SCHED_DEADLINE = 6;
    /** Linux's default timer slack for a normal thread: 50 microseconds. */
    public static final long DEFAULT_TIMER_SLACK_NS = 50_000;

    public volatile int policy = SCHED_OTHER;
    /** 1..99 for SCHED_FIFO/SCHED_RR, 0 for the others. */
    public volatile int priority;
    /** SCHED_RESET_ON_FORK: a child starts as SCHED_OTHER with a nice value no below 0. */
    public volatile boolean resetOnFork;
    /** SCHED_DEADLINE's parameters in nanoseconds (0 unless the policy is SCHED_DEADLINE). */
    public volatile long dlRuntime, dlDeadline, dlPeriod;
    /**
     * ioprio_set's value (class << 13 | level), or -1 while the thread has no I/O context (Linux
     * then reports 0).
     */
    public volatile int ioprio = -1;
    /** PR_SET_TIMERSLACK's current and the default a value of 0 restores (the parent's at fork). */
    public volatile long timerSlack = DEFAULT_TIMER_SLACK_NS, defaultTimerSlack = DEFAULT_TIMER_SLACK_NS;

    public static boolean realTime(int policy) {
        return policy == SCHED_FIFO || policy == SCHED_RR;
    }

    /** What a new thread (clone) or process (fork) starts with: a copy, reset when asked to. */
    public void inheritFrom(TaskSched parent) {
        // Linux copies an I/O context to the child only when its priority has a class.
        ioprio = parent.ioprio > 0 && (parent.ioprio >> 13) != 0 ? parent.ioprio : -1;
        timerSlack = parent.timerSlack;
        defaultTimerSlack = parent.timerSlack;
        if (parent.resetOnFork) {
            return; // SCHED_OTHER, priority 0, no deadline parameters, flag cleared: the field defaults
        }
        policy = parent.policy;
        priority = parent.priority;
        dlRuntime = parent.dlRuntime;
        dlDeadline = parent.dlDeadline;
        dlPeriod = parent.dlPeriod;
    }
}
