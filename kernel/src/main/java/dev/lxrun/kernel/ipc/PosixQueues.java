package dev.lxrun.kernel.ipc;

import dev.lxrun.kernel.Credentials;
import dev.lxrun.syscalls.Errno;
import java.util.HashMap;
import java.util.Map;

/**
 * The POSIX message queues of one lxrun kernel (Linux's mqueue filesystem of an IPC namespace):
 * queues by name, and the limits /proc/sys/fs/mqueue shows and a privileged writer changes.
 */
public final class PosixQueues {
    public static final int NAME_MAX = 255;
    /** Linux's HARD_MSGMAX and HARD_MSGSIZEMAX: not even a privileged caller goes above. */
    public static final long HARD_MSGMAX = 65536, HARD_MSGSIZEMAX = 16L << 20;

    // The fs.mqueue sysctls, with Linux's defaults.
    public volatile int queuesMax = 256;
    public volatile int msgMax = 10;
    public volatile int msgsizeMax = 8192;
    public volatile int msgDefault = 10;
    public volatile int msgsizeDefault = 8192;

    private final Map<String, PosixQueue> byName = new HashMap<>();
    private int count;

    /**
     * Opens name, creating it with O_CREAT: the queue (err[1] = 1 when it was made here), or null
     * with err[0] = -errno. maxmsg and msgsize are the creator's attributes when attrGiven.
     */
    public synchronized PosixQueue open(String name, int flags, int mode, long maxmsg, long msgsize, boolean attrGiven,
                                        Credentials c, long[] err) {
        final int O_CREAT = 0100, O_EXCL = 0200, O_ACCMODE = 3;
        PosixQueue q = byName.get(name);
        if (q != null) {
            if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) return fail(err, Errno.EEXIST);
            int acc = flags & O_ACCMODE;
            if (acc == O_ACCMODE) return fail(err, Errno.EINVAL);
            int want = acc == 0 ? 4 : acc == 1 ? 2 : 6;
            if (!q.allows(c, want)) return fail(err, Errno.EACCES);
            err[1] = 0;
            return q;
        }
        if ((flags & O_CREAT) == 0) return fail(err, Errno.ENOENT);
        boolean capable = c.euid() == 0; // CAP_SYS_RESOURCE
        if (count >= queuesMax && !capable) return fail(err, Errno.ENOSPC);
        if (attrGiven) {
            if (maxmsg <= 0 || msgsize <= 0) return fail(err, Errno.EINVAL);
            if (capable) {
                if (maxmsg > HARD_MSGMAX || msgsize > HARD_MSGSIZEMAX) return fail(err, Errno.EINVAL);
            } else if (maxmsg > msgMax || msgsize > msgsizeMax) {
                return fail(err, Errno.EINVAL);
            }
        } else {
            maxmsg = Math.min(msgDefault, msgMax);
            msgsize = Math.min(msgsizeDefault, msgsizeMax);
        }
        q = new PosixQueue(name, c.euid(), c.egid(), mode & 07777, maxmsg, msgsize);
        byName.put(name, q);
        count++;
        err[1] = 1;
        return q;
    }

    /** mq_unlink: the name goes; the queue lives on while descriptors hold it. */
    public synchronized long unlink(String name, Credentials c) {
        PosixQueue q = byName.get(name);
        if (q == null) return -Errno.ENOENT;
        // Only the owner or a privileged caller removes a queue; Linux answers others EACCES.
        if (c.euid() != 0 && c.euid() != q.uid) return -Errno.EACCES;
        byName.remove(name);
        count--;
        return 0;
    }

    private static PosixQueue fail(long[] err, int errno) {
        err[0] = -errno;
        return null;
    }
}
