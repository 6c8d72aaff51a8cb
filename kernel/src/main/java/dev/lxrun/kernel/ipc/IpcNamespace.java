package dev.lxrun.kernel.ipc;

/** The System V IPC objects every process of one lxrun kernel shares (Linux's IPC namespace). */
public final class IpcNamespace {
    public final MessageQueues messages = new MessageQueues();
    public final Semaphores semaphores = new Semaphores();
    public final SharedMemory sharedMemory = new SharedMemory();

    /** A process ended: what it asked to be undone (SEM_UNDO) is undone. */
    public void processExited(int pid) {
        semaphores.processExited(pid);
        sharedMemory.processExited(pid);
    }
}
