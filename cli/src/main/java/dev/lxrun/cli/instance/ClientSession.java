package dev.lxrun.cli.instance;

import dev.lxrun.cpu.UnicornException;
import dev.lxrun.kernel.ExitStatus;
import dev.lxrun.kernel.Kernel;
import dev.lxrun.kernel.Process;
import dev.lxrun.kernel.Rlimits;
import dev.lxrun.kernel.Signals;
import dev.lxrun.kernel.exec.ExecException;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.host.HostPosix;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One client of a resident instance: reads what it asks to run, runs it on this thread (a big
 * stack, see InstanceServer) as a new session of the shared kernel, forwards the client's signals
 * to it, and reports its stops and its exit status. Errors are said on the client's stderr in the
 * words the one-process mode uses (RunCommand), so that the instance never changes the output.
 */
final class ClientSession implements Runnable {
    private final Kernel kernel;
    private final String root;
    private final int socket;
    private final Object writeLock = new Object();
    private final AtomicReference<Process> process = new AtomicReference<>();
    private volatile boolean ended;

    ClientSession(Kernel kernel, String root, int socket) {
        this.kernel = kernel;
        this.root = root;
        this.socket = socket;
    }

    @Override
    public void run() {
        int[] fds = {-1, -1, -1};
        int errFd = -1;
        try {
            if (HostSockets.peerUid(socket) != HostSockets.getuid()) {
                send(Protocol.REFUSED, 0);
                return;
            }
            byte[] head = new byte[Protocol.HEADER];
            int[] received = new int[3];
            int n = HostSockets.receive(socket, head, received);
            if (n <= 0) return; // a liveness probe (lxrun instance list) connects and leaves
            if (n < head.length) {
                byte[] rest = new byte[head.length - n];
                if (!HostSockets.readFully(socket, rest)) return;
                System.arraycopy(rest, 0, head, n, rest.length);
            }
            ByteBuffer h = ByteBuffer.wrap(head).order(ByteOrder.nativeOrder());
            int magic = h.getInt(), length = h.getInt(), mask = h.getInt();
            for (int i = 0, next = 0; i < 3; i++) if ((mask >> i & 1) != 0) fds[i] = received[next++];
            if (magic != Protocol.MAGIC || length < 0 || length > Protocol.MAX_PAYLOAD) return;
            byte[] payload = new byte[length];
            if (!HostSockets.readFully(socket, payload)) return;
            errFd = fds[2] >= 0 ? HostPosix.dup(fds[2]) : -1;
            int status = launch(tokens(payload), fds, errFd);
            fds = new int[] {-1, -1, -1}; // the kernel took them over
            send(Protocol.EXIT, status);
        } catch (RuntimeException | Error e) {
            say(errFd, "lxrun: internal error: " + e);
            send(Protocol.EXIT, 70);
            e.printStackTrace();
        } finally {
            ended = true;
            for (int fd : fds) HostSockets.close(fd);
            HostSockets.close(errFd);
            HostSockets.shutdown(socket);
            HostSockets.close(socket);
        }
    }

    private int launch(List<String> t, int[] fds, int errFd) {
        int i = 0;
        String cwd = t.get(i++);
        int umask = Integer.parseInt(t.get(i++), 8);
        int ppid = Integer.parseInt(t.get(i++));
        boolean shellOutside = t.get(i++).equals("1");
        long ignored = Long.parseUnsignedLong(t.get(i++));
        int nlimits = Integer.parseInt(t.get(i++));
        Rlimits limits = new Rlimits();
        for (int r = 0; r < nlimits; r++, i += 2) {
            // Limits this kernel does not know (a newer host's) are skipped; RLIM_INFINITY is -1 either way.
            if (r < Rlimits.NLIMITS) limits.set(r, Long.parseUnsignedLong(t.get(i)), Long.parseUnsignedLong(t.get(i + 1)));
        }
        int argc = Integer.parseInt(t.get(i++));
        List<String> argv = new ArrayList<>(t.subList(i, i + argc));
        i += argc;
        int envc = Integer.parseInt(t.get(i++));
        List<String> envp = new ArrayList<>(t.subList(i, i + envc));
        envp.removeIf(e -> e.startsWith("LXRUN_")); // as GuestEnvironment: lxrun's own settings are not the program's
        String program = argv.get(0);
        String pathVar = null;
        for (String e : envp) if (e.startsWith("PATH=")) pathVar = e.substring(5);
        String path = dev.lxrun.cli.ProgramSearch.resolve(program, pathVar, root);
        if (path == null) {
            for (int fd : fds) HostSockets.close(fd);
            say(errFd, "lxrun: " + program + ": command not found");
            return 127;
        }
        // The kernel resolves a relative program path against its own cwd ("/"), not the client's.
        if (!path.startsWith("/") && kernel.rooted == null) path = cwd + "/" + path;
        Kernel.Launch l = new Kernel.Launch(path, argv, envp, cwd, umask, fds, ppid, shellOutside, ignored, limits);
        ExitStatus status;
        try {
            status = kernel.runLaunched(l, this::started, () -> send(Protocol.STOPPED, Signals.SIGSTOP));
        } catch (ExecException e) {
            if (e.fatal()) {
                say(errFd, Signals.shellMessage(Signals.SIGSEGV));
                return 128 + Signals.SIGSEGV;
            }
            say(errFd, "lxrun: " + program + ": " + e.getMessage());
            return e.errno() == Errno.ENOENT ? 127 : 126;
        } catch (IllegalArgumentException | UnicornException e) {
            say(errFd, "lxrun: " + e.getMessage());
            return 1;
        }
        if (status instanceof ExitStatus.Killed k) say(errFd, Signals.shellMessage(k.signal()));
        return status.shellStatus();
    }

    /** The program runs: the client's signals go to it from now on (see Kernel#forwardHostSignal). */
    private void started(Process p) {
        process.set(p);
        Thread reader = new Thread(this::relaySignals, "client-signals-" + p.pid);
        reader.setDaemon(true);
        reader.start();
    }

    private void relaySignals() {
        byte[] f = new byte[8];
        while (HostSockets.readFully(socket, f)) {
            int[] frame = Protocol.parseFrame(f);
            if (frame[0] == Protocol.SIGNAL && frame[1] > 0 && frame[1] <= Signals.NSIG) {
                kernel.forwardHostSignal(process.get(), frame[1]);
            }
        }
        // The client went away (killed) while its program runs: a hangup, as when a terminal closes.
        Process p = process.get();
        if (!ended && p != null && !p.exited()) kernel.forwardHostSignal(p, Signals.SIGHUP);
    }

    private void send(int type, int value) {
        synchronized (writeLock) {
            HostSockets.writeFully(socket, Protocol.frame(type, value));
        }
    }

    private static void say(int fd, String line) {
        if (fd < 0 || line == null) return;
        HostSockets.writeFully(fd, (line + "\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    private static List<String> tokens(byte[] payload) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < payload.length; i++) {
            if (payload[i] == 0) {
                out.add(new String(payload, start, i - start, StandardCharsets.ISO_8859_1));
                start = i + 1;
            }
        }
        return out;
    }
}
