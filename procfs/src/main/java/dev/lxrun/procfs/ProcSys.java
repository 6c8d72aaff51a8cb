package dev.lxrun.procfs;

import dev.lxrun.kernel.Kernel;
import dev.lxrun.kernel.ipc.IpcNamespace;
import dev.lxrun.kernel.ipc.PosixQueues;
import dev.lxrun.kernel.ipc.Semaphores;
import dev.lxrun.kernel.pseudo.PseudoNode;
import dev.lxrun.syscalls.Errno;
import java.nio.charset.StandardCharsets;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * The /proc/sys files that describe lxrun's own kernel rather than the host's: the IPC limits
 * and next-id knobs (kernel/shm*, msg*, sem, *_next_id, fs/mqueue/*) and /proc/sysvipc. Values
 * come from the kernel's objects; writes (for a privileged process: SysPseudo refuses others,
 * as the files are root's and mode 0644) change what the kernel enforces, checked against
 * Linux's ranges with EINVAL as proc_dointvec_minmax gives.
 */
final class ProcSys {
    private final Kernel kernel;

    ProcSys(Kernel kernel) {
        this.kernel = kernel;
    }

    /** The node for path (relative to /proc), or null when the host's file is to be shown. */
    PseudoNode lookup(String path) {
        IpcNamespace ipc = kernel.ipc;
        PosixQueues mq = ipc.posixQueues;
        return switch (path) {
            case "sys/fs/mqueue/queues_max" -> knob(() -> mq.queuesMax, v -> mq.queuesMax = (int) v, 0, Integer.MAX_VALUE);
            case "sys/fs/mqueue/msg_max" -> knob(() -> mq.msgMax, v -> mq.msgMax = (int) v, 1, PosixQueues.HARD_MSGMAX);
            case "sys/fs/mqueue/msgsize_max" -> knob(() -> mq.msgsizeMax, v -> mq.msgsizeMax = (int) v, 128, PosixQueues.HARD_MSGSIZEMAX);
            case "sys/fs/mqueue/msg_default" -> knob(() -> mq.msgDefault, v -> mq.msgDefault = (int) v, 1, PosixQueues.HARD_MSGMAX);
            case "sys/fs/mqueue/msgsize_default" -> knob(() -> mq.msgsizeDefault, v -> mq.msgsizeDefault = (int) v, 128, PosixQueues.HARD_MSGSIZEMAX);
            case "sys/kernel/shmmax" -> unsignedKnob(() -> ipc.sharedMemory.shmMax, v -> ipc.sharedMemory.shmMax = v);
            case "sys/kernel/shmall" -> unsignedKnob(() -> ipc.sharedMemory.shmAll, v -> ipc.sharedMemory.shmAll = v);
            case "sys/kernel/shmmni" -> knob(() -> ipc.sharedMemory.shmMni, v -> ipc.sharedMemory.shmMni = (int) v, 0, 32768);
            case "sys/kernel/shm_next_id" -> nextId(ipc, "shm");
            case "sys/kernel/msg_next_id" -> nextId(ipc, "msg");
            case "sys/kernel/sem_next_id" -> nextId(ipc, "sem");
            // The System V message and semaphore limits are fixed in lxrun: shown, not writable.
            case "sys/kernel/msgmax" -> text(dev.lxrun.kernel.ipc.MessageQueues.MSGMAX + "\n");
            case "sys/kernel/msgmnb" -> text(dev.lxrun.kernel.ipc.MessageQueues.MSGMNB + "\n");
            case "sys/kernel/msgmni" -> text(dev.lxrun.kernel.ipc.MessageQueues.MSGMNI + "\n");
            case "sys/kernel/sem" -> text(Semaphores.SEMMSL + "\t" + (long) Semaphores.SEMMSL * Semaphores.SEMMNI + "\t"
                    + Semaphores.SEMOPM + "\t" + Semaphores.SEMMNI + "\n");
            // lxrun has no huge pages: a write asks for some and, as on a Linux that finds none to
            // allocate, is accepted while the count read back stays 0.
            case "sys/vm/nr_hugepages" -> new PseudoNode.File(() -> ascii("0\n"), data -> {
                Long v = parse(data);
                return v == null || v < 0 ? -Errno.EINVAL : data.length;
            });
            case "sys/kernel/keys/maxkeys" -> knob(() -> kernel.keys.maxKeys, v -> kernel.keys.maxKeys = (int) v, 0, Integer.MAX_VALUE);
            case "sys/kernel/keys/maxbytes" -> knob(() -> kernel.keys.maxBytes, v -> kernel.keys.maxBytes = (int) v, 0, Integer.MAX_VALUE);
            case "sys/kernel/keys/root_maxkeys" -> knob(() -> kernel.keys.rootMaxKeys, v -> kernel.keys.rootMaxKeys = (int) v, 0, Integer.MAX_VALUE);
            case "sys/kernel/keys/root_maxbytes" -> knob(() -> kernel.keys.rootMaxBytes, v -> kernel.keys.rootMaxBytes = (int) v, 0, Integer.MAX_VALUE);
            // lxrun removes dead keys at once; gc_delay and the persistent keyring expiry are kept for readers only.
            case "sys/kernel/keys/gc_delay" -> knob(() -> kernel.keys.gcDelay, v -> kernel.keys.gcDelay = (int) v, 0, Integer.MAX_VALUE);
            case "sys/kernel/keys/persistent_keyring_expiry" -> knob(() -> kernel.keys.persistentExpiry, v -> kernel.keys.persistentExpiry = (int) v, 0, Integer.MAX_VALUE);
            case "key-users" -> new PseudoNode.File(() -> ascii(kernel.keys.keyUsers()));
            case "sysvipc/shm" -> new PseudoNode.File(() -> ascii(ipc.sharedMemory.procTable()));
            case "sysvipc/msg" -> new PseudoNode.File(() -> ascii(ipc.messages.procTable()));
            case "sysvipc/sem" -> new PseudoNode.File(() -> ascii(ipc.semaphores.procTable()));
            default -> null;
        };
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static PseudoNode text(String s) {
        byte[] b = ascii(s);
        return new PseudoNode.File(() -> b);
    }

    /** An int sysctl with Linux's range (proc_dointvec_minmax). */
    private static PseudoNode knob(LongSupplier get, LongConsumer set, long min, long max) {
        return new PseudoNode.File(() -> ascii(get.getAsLong() + "\n"), data -> {
            Long v = parse(data);
            if (v == null || v < min || v > max) return -Errno.EINVAL;
            set.accept(v);
            return data.length;
        });
    }

    /** An unsigned long sysctl (proc_doulongvec_minmax without bounds): shmmax, shmall. */
    private static PseudoNode unsignedKnob(LongSupplier get, LongConsumer set) {
        return new PseudoNode.File(() -> ascii(Long.toUnsignedString(get.getAsLong()) + "\n"), data -> {
            String s = new String(data, StandardCharsets.US_ASCII).strip();
            if (s.isEmpty() || s.startsWith("-")) return -Errno.EINVAL;
            try {
                set.accept(Long.parseUnsignedLong(s));
            } catch (NumberFormatException e) {
                return -Errno.EINVAL;
            }
            return data.length;
        });
    }

    /** kernel/{shm,msg,sem}_next_id: -1 (no wish) shown; 0 and up accepted, as Linux's range is [-1, INT_MAX] there. */
    private static PseudoNode nextId(IpcNamespace ipc, String kind) {
        return new PseudoNode.File(() -> ascii(ipc.nextId(kind) + "\n"), data -> {
            Long v = parse(data);
            if (v == null || v < -1 || v > Integer.MAX_VALUE) return -Errno.EINVAL;
            ipc.setNextId(kind, v.intValue());
            return data.length;
        });
    }

    /** One decimal integer with optional surrounding whitespace, as proc_dointvec reads it; null if not. */
    private static Long parse(byte[] data) {
        String s = new String(data, StandardCharsets.US_ASCII).strip();
        try {
            return s.isEmpty() ? null : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
