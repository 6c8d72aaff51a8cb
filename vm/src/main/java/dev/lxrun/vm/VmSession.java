package dev.lxrun.vm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntConsumer;

/**
 * One program's run over an agent connection: sends the request, streams stdin in and
 * stdout/stderr out as the guest produces them, and returns the exit. Host signals meant for the
 * program (Ctrl-C) go through {@link #signal}.
 */
public final class VmSession {
    /** The host side of the program's standard streams. */
    public record Streams(InputStream in, OutputStream out, OutputStream err) {}

    private static final int SIGPIPE = 13;
    private final AgentConnection connection;
    private volatile boolean finished;

    VmSession(AgentConnection connection) {
        this.connection = connection;
    }

    /** Forwards a signal to the program's process group in the guest. */
    public void signal(int signo) {
        if (finished) return;
        try {
            connection.sendU32('K', signo);
        } catch (IOException ignored) {
            // the session is ending anyway
        }
    }

    public GuestExit run(GuestRequest request, Streams streams) throws VmException {
        return run(request, streams, s -> {});
    }

    /** onStart receives this session once the program runs, so a caller can route signals to it. */
    public GuestExit run(GuestRequest request, Streams streams, java.util.function.Consumer<VmSession> onStart) throws VmException {
        try {
            byte[] req = request.encode();
            connection.send('R', req, req.length);
            Thread pump = Thread.ofPlatform().daemon().name("lxrun-vm-stdin").start(() -> pumpStdin(streams.in()));
            boolean outBroken = false;
            IntConsumer sigpipe = s -> signal(SIGPIPE);
            while (true) {
                AgentConnection.Frame f = connection.receive();
                switch (f.type()) {
                    case 'S' -> onStart.accept(this);
                    case 'O' -> outBroken = write(streams.out(), f.payload(), outBroken, sigpipe);
                    case 'E' -> write(streams.err(), f.payload(), false, s -> {});
                    case 'X' -> {
                        finished = true;
                        pump.interrupt();
                        flush(streams);
                        return GuestExit.fromWaitStatus(f.u32());
                    }
                    case 'F' -> {
                        finished = true;
                        flush(streams);
                        String step = new String(f.payload(), 4, f.payload().length - 4, StandardCharsets.ISO_8859_1);
                        return new GuestExit.NotStarted(f.u32(), step);
                    }
                    default -> { /* 'P' and future types: nothing to do */ }
                }
            }
        } catch (IOException e) {
            throw new VmException("lost the VM while the program ran: " + e.getMessage());
        }
    }

    /** A host stdout that is gone (e.g. `| head`) means SIGPIPE for the program, as on Linux. */
    private static boolean write(OutputStream out, byte[] data, boolean broken, IntConsumer onBroken) {
        if (broken) return true;
        try {
            out.write(data);
            out.flush();
            return false;
        } catch (IOException e) {
            onBroken.accept(SIGPIPE);
            return true;
        }
    }

    private static void flush(Streams s) {
        try {
            s.out().flush();
            s.err().flush();
        } catch (IOException ignored) {
            // nothing more can be done for a closed stream
        }
    }

    private void pumpStdin(InputStream in) {
        byte[] buf = new byte[65536];
        try {
            int n;
            while (!finished && (n = in.read(buf)) > 0) connection.send('I', buf, n);
        } catch (IOException e) {
            // a host stdin that fails reads as end of input
        }
        try {
            if (!finished) connection.send('I');
        } catch (IOException ignored) {
            // session over
        }
    }
}
