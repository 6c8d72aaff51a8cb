package dev.lxrun.vfs;

import java.util.Arrays;

/** A process's file descriptor table: small integers to open file descriptions plus FD_CLOEXEC. */
public final class FdTable {
    private FileDescription[] files = new FileDescription[64];
    private boolean[] cloexec = new boolean[64];
    private int limit;
    /** Told of each descriptor leaving the table, before its reference is dropped (POSIX record locks go then). */
    private java.util.function.Consumer<FileDescription> closeListener = f -> { };

    /** Processes using the table: more than one after clone(CLONE_FILES) without CLONE_THREAD. */
    private int users = 1;

    public FdTable(int limit) {
        this.limit = limit;
    }

    /** clone(CLONE_FILES): another process uses this very table. */
    public synchronized FdTable share() {
        users++;
        return this;
    }

    public synchronized boolean isShared() {
        return users > 1;
    }

    /** A process stops using the table (exit, or it took a copy); true when it was the last. */
    public synchronized boolean leave() {
        return --users == 0;
    }

    /** Set by the process owning the table; a copy for fork gets its owner's listener instead. */
    public synchronized void setCloseListener(java.util.function.Consumer<FileDescription> listener) {
        closeListener = listener;
    }

    private void dropped(FileDescription f) {
        closeListener.accept(f);
        f.release();
    }

    public synchronized FileDescription get(int fd) {
        return fd >= 0 && fd < files.length ? files[fd] : null;
    }

    /** Installs file at the lowest free fd >= minFd; returns the fd or -EMFILE. Takes over the caller's reference. */
    public synchronized int install(FileDescription file, boolean closeOnExec, int minFd) {
        for (int fd = Math.max(0, minFd); fd < limit; fd++) {
            if (fd >= files.length) grow(fd + 1);
            if (files[fd] == null) {
                files[fd] = file;
                cloexec[fd] = closeOnExec;
                return fd;
            }
        }
        return -24; // EMFILE
    }

    /** Whether no descriptor below the limit is free (an fd-making call would answer EMFILE). */
    public synchronized boolean full() {
        for (int fd = 0; fd < limit; fd++) if (fd >= files.length || files[fd] == null) return false;
        return true;
    }

    /** Installs at exactly fd, closing what was there (dup2 semantics). */
    public synchronized int installAt(int fd, FileDescription file, boolean closeOnExec) {
        if (fd < 0 || fd >= limit) return -9; // EBADF
        if (fd >= files.length) grow(fd + 1);
        FileDescription old = files[fd];
        files[fd] = file;
        cloexec[fd] = closeOnExec;
        if (old != null) dropped(old);
        return fd;
    }

    public synchronized int close(int fd) {
        FileDescription f = get(fd);
        if (f == null) return -9; // EBADF
        files[fd] = null;
        cloexec[fd] = false;
        dropped(f);
        return 0;
    }

    public synchronized boolean closeOnExec(int fd) {
        return get(fd) != null && cloexec[fd];
    }

    public synchronized void setCloseOnExec(int fd, boolean value) {
        if (get(fd) != null) cloexec[fd] = value;
    }

    public synchronized void setLimit(int limit) {
        this.limit = limit;
    }

    /** The open descriptor numbers in ascending order (/proc/PID/fd). */
    public synchronized int[] openFds() {
        int n = 0;
        for (FileDescription f : files) if (f != null) n++;
        int[] out = new int[n];
        int i = 0;
        for (int fd = 0; fd < files.length; fd++) if (files[fd] != null) out[i++] = fd;
        return out;
    }

    /** A copy for fork: the same open file descriptions (each gains a reference) and flags. */
    public synchronized FdTable copy() {
        FdTable t = new FdTable(limit);
        t.files = Arrays.copyOf(files, files.length);
        t.cloexec = Arrays.copyOf(cloexec, cloexec.length);
        for (FileDescription f : t.files) if (f != null) f.retain();
        return t;
    }

    /** execve: closes every descriptor marked close-on-exec. */
    public synchronized void closeOnExec() {
        for (int fd = 0; fd < files.length; fd++) {
            if (files[fd] != null && cloexec[fd]) {
                FileDescription f = files[fd];
                files[fd] = null;
                cloexec[fd] = false;
                dropped(f);
            }
        }
    }

    /** Closes every descriptor (process exit). */
    public synchronized void closeAll() {
        for (int fd = 0; fd < files.length; fd++) {
            if (files[fd] != null) {
                FileDescription f = files[fd];
                files[fd] = null;
                dropped(f);
            }
        }
    }

    private void grow(int min) {
        int n = Math.max(min, files.length * 2);
        files = Arrays.copyOf(files, n);
        cloexec = Arrays.copyOf(cloexec, n);
    }
}
