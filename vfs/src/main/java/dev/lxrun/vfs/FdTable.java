package dev.lxrun.vfs;

import java.util.Arrays;

/** A process's file descriptor table: small integers to open file descriptions plus FD_CLOEXEC. */
public final class FdTable {
    private FileDescription[] files = new FileDescription[64];
    private boolean[] cloexec = new boolean[64];
    private int limit;

    public FdTable(int limit) {
        this.limit = limit;
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

    /** Installs at exactly fd, closing what was there (dup2 semantics). */
    public synchronized int installAt(int fd, FileDescription file, boolean closeOnExec) {
        if (fd < 0 || fd >= limit) return -9; // EBADF
        if (fd >= files.length) grow(fd + 1);
        FileDescription old = files[fd];
        files[fd] = file;
        cloexec[fd] = closeOnExec;
        if (old != null) old.release();
        return fd;
    }

    public synchronized int close(int fd) {
        FileDescription f = get(fd);
        if (f == null) return -9; // EBADF
        files[fd] = null;
        cloexec[fd] = false;
        f.release();
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
                f.release();
            }
        }
    }

    /** Closes every descriptor (process exit). */
    public synchronized void closeAll() {
        for (int fd = 0; fd < files.length; fd++) {
            if (files[fd] != null) {
                FileDescription f = files[fd];
                files[fd] = null;
                f.release();
            }
        }
    }

    private void grow(int min) {
        int n = Math.max(min, files.length * 2);
        files = Arrays.copyOf(files, n);
        cloexec = Arrays.copyOf(cloexec, n);
    }
}
