package dev.lxrun.kernel.gdbstub;

import dev.lxrun.kernel.ExitStatus;
import dev.lxrun.kernel.Process;
import dev.lxrun.kernel.Task;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * lxrun's gdb remote stub ({@code lxrun --gdb PORT}, as qemu-user's -g): the program stops before
 * its first instruction and a host gdb, connected to 127.0.0.1:PORT, debugs it from there.
 *
 * <p>This class is the meeting point of two kinds of thread. The guest threads of the debugged
 * process call {@link #stop} at their safe points (the first instruction, a breakpoint, a finished
 * single step, a signal about to be delivered) and park there; the stub's connection thread
 * ({@link GdbSession}) reads and writes the parked thread's registers and memory by handing it
 * requests ({@link #onStopped}), because a Unicorn engine is used only by the thread that runs it.
 * One thread is stopped for gdb at a time; the process's other threads go on running (gdb's
 * all-stop mode is not enforced).
 *
 * <p>Breakpoints (Z0) are int3 bytes written into the code while the thread is stopped, their
 * translations dropped; the int3 trap comes back through the fault path and is reported as a
 * SIGTRAP stop at the breakpoint's address, never delivered to the guest. Memory reads through gdb
 * show the original bytes.
 */
public final class GdbStub {
    private final ServerSocket server;
    /** The debugged process: the first one to run guest code (the program lxrun started). */
    private Process target;
    private boolean firstStopTaken;
    private Task stopped;
    private int stopSignal;
    private boolean resumed;
    private int resumeSignal;
    private boolean stepRequested;
    private Task stepping;
    private boolean interruptRequested;
    private volatile boolean detached;
    private ExitStatus exit;
    private boolean exitReported;
    private final ArrayDeque<Request> requests = new ArrayDeque<>();
    /** Inserted software breakpoints: address to the byte the int3 replaced. */
    final Map<Long, Byte> breakpoints = new ConcurrentHashMap<>();

    private GdbStub(ServerSocket server) {
        this.server = server;
    }

    /** Listens on 127.0.0.1:port (only local gdbs can connect); IOException when the port is taken. */
    public static GdbStub listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        return new GdbStub(s);
    }

    /** Accepts gdb's connection on a daemon thread and serves it until gdb detaches, kills or goes away. */
    public void start() {
        Thread t = new Thread(() -> {
            try (Socket s = server.accept()) {
                server.close();
                s.setTcpNoDelay(true);
                new GdbSession(this, new PacketChannel(s.getInputStream(), s.getOutputStream())).serve();
            } catch (IOException e) {
                // gdb went away: the program goes on without a debugger, as after a detach
            } catch (RuntimeException bug) {
                System.err.println("lxrun: internal error in the gdb stub: " + bug);
            } finally {
                disconnect();
            }
        }, "lxrun-gdbstub");
        t.setDaemon(true);
        t.start();
    }

    // ---- the guest threads' side ----

    /** Whether p is the process gdb debugs; the first process to ask becomes it. */
    public synchronized boolean debugs(Process p) {
        if (detached) return false;
        if (target == null) target = p;
        return target == p;
    }

    /** True once, for the debugged program's first thread before its first instruction. */
    public synchronized boolean takeFirstStop() {
        if (firstStopTaken) return false;
        firstStopTaken = true;
        return true;
    }

    /** Whether gdb asked t to execute one instruction (the s packet). */
    public boolean stepping(Task t) {
        synchronized (this) {
            return stepping == t && !detached;
        }
    }

    /** Whether gdb interrupted the running program (Ctrl-C); taken once. */
    public synchronized boolean takeInterrupt() {
        boolean r = interruptRequested;
        interruptRequested = false;
        return r;
    }

    /** Whether addr holds one of gdb's breakpoints. */
    public boolean breakpointAt(long addr) {
        return !detached && breakpoints.containsKey(addr);
    }

    /**
     * Parks t in a stop reported to gdb as signal sig and serves gdb's requests until gdb
     * resumes it. Returns the signal gdb resumed with (0: none, the stop's signal is dropped), or
     * sig unchanged when no debugger is attached any more.
     */
    public int stop(Task t, int sig) {
        synchronized (this) {
            while (stopped != null && stopped != t && !detached) waitHere();
            if (detached) return sig;
            stopped = t;
            stopSignal = sig;
            resumed = false;
            stepRequested = false;
            stepping = null;
            notifyAll();
            while (!resumed && !detached && !t.process.exited()) {
                Request r = requests.poll();
                if (r != null) {
                    r.run(t);
                    notifyAll();
                } else {
                    waitHere();
                }
            }
            boolean byGdb = resumed;
            stopped = null;
            stepping = byGdb && stepRequested ? t : null;
            notifyAll();
            return byGdb ? resumeSignal : detached ? 0 : sig;
        }
    }

    /** The debugged program ended: gdb hears W (exit code) or X (signal); waits a little for it to be sent. */
    public void exited(ExitStatus status) {
        synchronized (this) {
            exit = status;
            notifyAll();
            long until = System.nanoTime() + 5_000_000_000L;
            while (!exitReported && !detached && System.nanoTime() < until) waitHere();
        }
    }

    // ---- the connection's side (GdbSession) ----

    synchronized Task stoppedTask() {
        return stopped;
    }

    synchronized int stopSignal() {
        return stopSignal;
    }

    synchronized Process target() {
        return target;
    }

    /**
     * Waits (up to a minute) until the program has stopped or ended: gdb can connect and ask "?"
     * before the first thread reaches its stop at the entry point, and a "no thread" answer then
     * leaves gdb waiting for ever.
     */
    synchronized void awaitFirstStop() {
        long until = System.nanoTime() + 60_000_000_000L;
        while (stopped == null && exit == null && !detached && System.nanoTime() < until) waitHere();
    }

    /** Runs op on the stopped thread and returns its result; null when no thread is stopped. */
    <T> T onStopped(Function<Task, T> op) {
        Request r = new Request(op);
        synchronized (this) {
            if (stopped == null) return null;
            requests.add(r);
            notifyAll();
            while (!r.done) {
                if (stopped == null) {
                    requests.remove(r);
                    return null;
                }
                waitHere();
            }
        }
        if (r.failure != null) throw r.failure;
        @SuppressWarnings("unchecked")
        T result = (T) r.result;
        return result;
    }

    /** Resumes the stopped thread (step: for one instruction) with signal sig (0: none). */
    synchronized void resume(boolean step, int sig) {
        stepRequested = step;
        resumeSignal = sig;
        resumed = true;
        notifyAll();
    }

    /**
     * Waits until a thread stops or the program ends; returns the stop (a Task) or the ExitStatus.
     * interruptCheck is polled meanwhile; when it says gdb pressed Ctrl-C, the program is stopped.
     */
    Object awaitStop(InterruptCheck interruptCheck) throws IOException {
        synchronized (this) {
            while (true) {
                if (stopped != null && !resumed) return stopped;
                if (exit != null) return exit;
                if (interruptCheck.interrupted()) {
                    interruptRequested = true;
                    Process p = target;
                    if (p != null) {
                        for (Task t : p.tasks()) t.interruptForSignal();
                    }
                }
                waitHere();
            }
        }
    }

    interface InterruptCheck {
        boolean interrupted() throws IOException;
    }

    synchronized void exitReported() {
        exitReported = true;
        notifyAll();
    }

    synchronized ExitStatus exitStatus() {
        return exit;
    }

    /** gdb detached or went away: breakpoints come out and the program runs on undebugged. */
    void disconnect() {
        if (detached) return;
        try {
            onStopped(t -> {
                Breakpoints.removeAll(this, t);
                return Boolean.TRUE;
            });
        } catch (RuntimeException ignored) {
            // the memory is gone with the process
        }
        synchronized (this) {
            detached = true;
            notifyAll();
        }
        try {
            server.close();
        } catch (IOException ignored) {
            // closing a listening socket that gdb never used
        }
    }

    private void waitHere() {
        try {
            wait(50);
        } catch (InterruptedException e) {
            Thread.interrupted(); // a guest thread must not keep the flag: its next wait would fail at once
        }
    }

    /** Work for the stopped thread, with its result or the exception it raised. */
    private static final class Request {
        final Function<Task, ?> op;
        Object result;
        RuntimeException failure;
        boolean done;

        Request(Function<Task, ?> op) {
            this.op = op;
        }

        void run(Task t) {
            try {
                result = op.apply(t);
            } catch (RuntimeException e) {
                failure = e;
            }
            done = true;
        }
    }
}
