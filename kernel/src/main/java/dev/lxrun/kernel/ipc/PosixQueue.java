package dev.lxrun.kernel.ipc;

import dev.lxrun.kernel.Credentials;
import dev.lxrun.syscalls.Errno;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.BooleanSupplier;

/**
 * One POSIX message queue: messages kept highest priority first and in arrival order within a
 * priority, as mq_timedreceive takes them; the mq_notify registration; and the open files whose
 * host eventfds show the queue's readiness to poll, select and epoll.
 */
public final class PosixQueue {
    public static final int MQ_PRIO_MAX = 32768;

    public final String name;
    final int uid, gid, mode;
    public final long maxmsg, msgsize;

    private record Message(int prio, byte[] text) {}

    private final List<Message> messages = new ArrayList<>();
    private long bytes;
    private int receiversWaiting;
    /** The registered notification: its process and what to do (null when none). */
    private Notification notification;
    final Set<MqueueFile> files = new CopyOnWriteArraySet<>();

    /** An mq_notify registration: the sigevent's notify kind, signal and value, and who registered. */
    public record Notification(dev.lxrun.kernel.Process owner, int kind, int signo, long value) {}

    /** A received message: its length (or -errno), priority and bytes. */
    public record Received(long result, int prio, byte[] text) {}

    PosixQueue(String name, int uid, int gid, int mode, long maxmsg, long msgsize) {
        this.name = name;
        this.uid = uid;
        this.gid = gid;
        this.mode = mode;
        this.maxmsg = maxmsg;
        this.msgsize = msgsize;
    }

    boolean allows(Credentials c, int want) {
        if (c.euid() == 0) return true;
        int granted = c.euid() == uid ? mode >> 6 : inGroup(c) ? mode >> 3 : mode;
        return (want & ~granted & 7) == 0;
    }

    private boolean inGroup(Credentials c) {
        if (c.egid() == gid) return true;
        for (int g : c.groups()) if (g == gid) return true;
        return false;
    }

    /**
     * Sends text; waits while the queue is full unless nonblocking, until the deadline (a
     * System.nanoTime value, Long.MAX_VALUE for none) or a signal (ERESTARTSYS, as Linux's wq_sleep).
     * sender is the pid and uid a notification signal names.
     */
    public long send(byte[] text, int prio, boolean nonblock, long deadline, BooleanSupplier interrupted,
                     int senderPid, int senderUid) {
        Notification fire = null;
        synchronized (this) {
            while (messages.size() >= maxmsg) {
                if (nonblock) return -Errno.EAGAIN;
                if (System.nanoTime() >= deadline) return -Errno.ETIMEDOUT;
                if (interrupted.getAsBoolean()) return -dev.lxrun.kernel.SignalDelivery.ERESTARTSYS;
                Monitors.sleep(this, deadline);
            }
            int at = 0;
            while (at < messages.size() && messages.get(at).prio >= prio) at++;
            messages.add(at, new Message(prio, text));
            bytes += text.length;
            // Linux notifies when a message reaches an empty queue nobody is waiting on, then forgets the registration.
            if (messages.size() == 1 && receiversWaiting == 0 && notification != null) {
                fire = notification;
                notification = null;
            }
            notifyAll();
            readinessChanged();
        }
        if (fire != null && fire.kind() == 0 && fire.signo() != 0) { // SIGEV_SIGNAL
            dev.lxrun.kernel.SignalPosting.post(fire.owner(), new dev.lxrun.kernel.SigInfo(fire.signo(), SI_MESGQ,
                    senderPid, senderUid, fire.value(), 0, 0, 0, 0, null, 0));
        }
        return 0;
    }

    private static final int SI_MESGQ = -3;

    /** Takes the oldest message of the highest priority, waiting as send does while the queue is empty. */
    public Received receive(boolean nonblock, long deadline, BooleanSupplier interrupted) {
        synchronized (this) {
            while (messages.isEmpty()) {
                if (nonblock) return new Received(-Errno.EAGAIN, 0, null);
                if (System.nanoTime() >= deadline) return new Received(-Errno.ETIMEDOUT, 0, null);
                if (interrupted.getAsBoolean()) return new Received(-dev.lxrun.kernel.SignalDelivery.ERESTARTSYS, 0, null);
                receiversWaiting++;
                try {
                    Monitors.sleep(this, deadline);
                } finally {
                    receiversWaiting--;
                }
            }
            Message m = messages.remove(0);
            bytes -= m.text.length;
            notifyAll();
            readinessChanged();
            return new Received(m.text.length, m.prio, m.text);
        }
    }

    /** mq_notify: registers (n not null) or removes the caller's registration. */
    public synchronized long notify(dev.lxrun.kernel.Process caller, Notification n) {
        if (n == null) {
            if (notification != null && notification.owner() == caller) notification = null;
            return 0;
        }
        if (notification != null) return -Errno.EBUSY;
        notification = n;
        return 0;
    }

    public synchronized long currentMessages() {
        return messages.size();
    }

    /** What read(2) of the queue's file shows (Linux's mqueue_read_file). */
    synchronized String describe() {
        int signo = notification == null ? 0 : notification.kind() == 0 ? notification.signo() : 0;
        int kind = notification == null ? 0 : notification.kind();
        int pid = notification == null ? 0 : notification.owner().pid;
        return String.format("QSIZE:%-10d NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n", bytes, kind, signo, pid);
    }

    /** 0 empty, 1 some messages, 2 full: what each open file's eventfd is set to show. */
    synchronized int readiness() {
        return messages.isEmpty() ? 0 : messages.size() >= maxmsg ? 2 : 1;
    }

    private void readinessChanged() {
        int r = readiness();
        for (MqueueFile f : files) f.show(r);
    }
}
