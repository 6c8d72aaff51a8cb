package dev.lxrun.kernel.ipc;

/** The System V IPC objects and POSIX message queues every process of one lxrun kernel shares (Linux's IPC namespace). */
public final class IpcNamespace {
    public final MessageQueues messages = new MessageQueues();
    public final Semaphores semaphores = new Semaphores();
    public final SharedMemory sharedMemory = new SharedMemory();
    /** POSIX message queues (mq_open) live in the IPC namespace too, as on Linux. */
    public final PosixQueues posixQueues = new PosixQueues();

    /** A process ended: what it asked to be undone (SEM_UNDO) is undone. */
    public void processExited(int pid) {
        semaphores.processExited(pid);
        sharedMemory.processExited(pid);
    }

    /** kernel/shm_next_id, msg_next_id, sem_next_id: the id the next object of the kind gets, or -1. */
    public int nextId(String kind) {
        return ids(kind).wanted;
    }

    public void setNextId(String kind, int id) {
        ids(kind).wanted = id;
    }

    private IpcIds<?> ids(String kind) {
        return switch (kind) {
            case "shm" -> sharedMemory.ids;
            case "msg" -> messages.ids;
            case "sem" -> semaphores.ids;
            default -> throw new IllegalArgumentException(kind);
        };
    }
}
