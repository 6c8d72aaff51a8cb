package dev.lxrun.kernel.net;

import dev.lxrun.kernel.Task;
import dev.lxrun.vfs.FileDescription;

/**
 * What the kernel's generic descriptor syscalls (read, write, sendfile, the poll wait before a
 * blocking transfer) need from a socket, which they do not implement themselves: the net-shim
 * module's socket descriptions implement it. The kernel owns this interface so that it never
 * depends on net-shim; without net-shim no description implements it and nothing changes.
 */
public interface GuestSocket {
    /**
     * SO_RCVTIMEO (receive) or SO_SNDTIMEO in milliseconds, 0 for none: a guest's blocking wait
     * runs in lxrun's poll loop, not in the host call that would apply the timeout itself.
     */
    long timeoutMillis(boolean receive);

    /**
     * Called before t's process sends data through this socket by a call the socket syscalls
     * do not see (write, writev, sendfile), so that a receiver's SCM_CREDENTIALS can name it.
     */
    void sending(Task t);

    /** {@link #sending} for f when it is a socket; nothing for any other file. */
    static void beforeSend(Task t, FileDescription f) {
        if (f instanceof GuestSocket s) s.sending(t);
    }
}
