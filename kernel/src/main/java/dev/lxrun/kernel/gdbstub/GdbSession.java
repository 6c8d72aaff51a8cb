package dev.lxrun.kernel.gdbstub;

import dev.lxrun.kernel.ExitStatus;
import dev.lxrun.kernel.Process;
import dev.lxrun.kernel.SignalPosting;
import dev.lxrun.kernel.Signals;
import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.mm.GuestFault;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One gdb connection: the remote protocol's commands, answered from the stopped thread (see
 * {@link GdbStub}). What gdb asks that lxrun does not do (watchpoints, vCont, non-stop,
 * tracepoints, file I/O) gets the empty reply that tells gdb the packet is not supported.
 */
final class GdbSession {
    private static final String EFAULT = "E0e";
    private final GdbStub stub;
    private final PacketChannel channel;
    /** orig_rax as gdb sees it at the stop (lxrun's gdb stops are never inside a syscall, so -1 unless gdb wrote it). */
    private long origRax = -1;

    GdbSession(GdbStub stub, PacketChannel channel) {
        this.stub = stub;
        this.channel = channel;
    }

    /** Serves packets until gdb kills, detaches or closes the connection. */
    void serve() throws IOException {
        while (true) {
            String p = channel.read();
            String reply;
            try {
                reply = answer(p);
            } catch (GuestFault f) {
                reply = EFAULT;
            } catch (IllegalArgumentException | IndexOutOfBoundsException malformed) {
                reply = "E01";
            }
            if (reply == null) return; // the session ended (k, D)
            channel.send(reply);
            if (p.equals("QStartNoAckMode")) channel.stopAcks();
            if (p.startsWith("D")) return;
        }
    }

    /** The reply to packet p; null when no reply follows and the session ends. */
    private String answer(String p) throws IOException {
        if (p.isEmpty()) return "";
        char c = p.charAt(0);
        switch (c) {
            case '?' -> {
                stub.awaitFirstStop();
                return stopReply();
            }
            case 'g' -> { return readAllRegisters(); }
            case 'G' -> { return writeAllRegisters(PacketChannel.unhex(p.substring(1))); }
            case 'p' -> { return readRegister(Integer.parseInt(p.substring(1), 16)); }
            case 'P' -> {
                int eq = p.indexOf('=');
                return writeRegister(Integer.parseInt(p.substring(1, eq), 16), PacketChannel.unhex(p.substring(eq + 1)));
            }
            case 'm' -> {
                long[] al = addrLen(p.substring(1));
                byte[] data = stub.onStopped(t -> Breakpoints.read(stub, t, al[0], (int) al[1]));
                return data == null ? EFAULT : PacketChannel.hex(data);
            }
            case 'M', 'X' -> {
                int colon = p.indexOf(':');
                long[] al = addrLen(p.substring(1, colon));
                String payload = p.substring(colon + 1);
                byte[] data = c == 'M' ? PacketChannel.unhex(payload) : payload.getBytes(StandardCharsets.ISO_8859_1);
                if (data.length != al[1]) return "E01";
                Boolean ok = stub.onStopped(t -> {
                    Breakpoints.write(stub, t, al[0], data);
                    return Boolean.TRUE;
                });
                return ok == null ? EFAULT : "OK";
            }
            case 'Z', 'z' -> { return breakpoint(c == 'Z', p.substring(1)); }
            case 'c', 's' -> { return resume(c == 's', 0); }
            case 'C', 'S' -> {
                int semi = p.indexOf(';');
                int gdbSig = Integer.parseInt(semi < 0 ? p.substring(1) : p.substring(1, semi), 16);
                return resume(c == 'S', SignalNumbers.toLinux(gdbSig));
            }
            case 'H' -> { return "OK"; } // one thread is stopped at a time: it is the one every command means
            case 'T' -> {
                Task t = stub.stoppedTask();
                return t != null && Long.parseLong(p.substring(1), 16) == t.tid ? "OK" : "E01";
            }
            case 'k' -> {
                kill();
                return null;
            }
            case 'D' -> { return "OK"; } // serve() ends the session, which takes the breakpoints out
            case 'q', 'Q', 'v' -> { return query(p); }
            default -> { return ""; }
        }
    }

    private String query(String p) throws IOException {
        if (p.startsWith("qSupported")) {
            return "PacketSize=20000;QStartNoAckMode+;qXfer:features:read+;qXfer:auxv:read+;qXfer:exec-file:read+";
        }
        if (p.equals("QStartNoAckMode")) return "OK";
        if (p.equals("qfThreadInfo")) {
            Task t = stub.stoppedTask();
            return t == null ? "l" : "m" + Long.toHexString(t.tid);
        }
        if (p.equals("qsThreadInfo")) return "l";
        if (p.equals("qC")) {
            Task t = stub.stoppedTask();
            return t == null ? "" : "QC" + Long.toHexString(t.tid);
        }
        if (p.equals("qAttached")) return "0"; // lxrun started the program: quitting gdb kills it
        if (p.startsWith("qSymbol")) return "OK";
        if (p.startsWith("qXfer:features:read:target.xml:")) {
            return xfer(RegisterFile.targetXml().getBytes(StandardCharsets.UTF_8), p.substring(p.lastIndexOf(':') + 1));
        }
        if (p.startsWith("qXfer:auxv:read::")) {
            Process target = stub.target();
            byte[] auxv = target == null || target.mm == null ? new byte[0] : target.mm.savedAuxv();
            return xfer(auxv, p.substring(p.lastIndexOf(':') + 1));
        }
        if (p.startsWith("qXfer:exec-file:read:")) {
            Process target = stub.target();
            String exe = target == null ? "" : target.exePath;
            return xfer(exe.getBytes(StandardCharsets.UTF_8), p.substring(p.lastIndexOf(':') + 1));
        }
        if (p.startsWith("vKill")) {
            kill();
            return "OK";
        }
        return "";
    }

    /** A qXfer read: the window offset,length of data, 'l' when it reaches the end. */
    private static String xfer(byte[] data, String window) {
        long[] ol = addrLen(window);
        int off = (int) Math.min(ol[0], data.length);
        int len = (int) Math.min(ol[1], data.length - off);
        String chunk = new String(data, off, len, StandardCharsets.ISO_8859_1);
        return (off + len >= data.length ? "l" : "m") + chunk;
    }

    private String breakpoint(boolean insert, String spec) {
        String[] f = spec.split(",");
        if (!f[0].equals("0")) return ""; // only software breakpoints: no watchpoints or hardware breakpoints
        long addr = Long.parseUnsignedLong(f[1], 16);
        Boolean ok = stub.onStopped(t -> {
            if (insert) return Breakpoints.insert(stub, t, addr);
            Breakpoints.remove(stub, t, addr);
            return Boolean.TRUE;
        });
        return ok == null ? EFAULT : "OK";
    }

    /** c, s, C, S: runs the stopped thread and answers with the next stop or the program's end. */
    private String resume(boolean step, int linuxSig) throws IOException {
        if (stub.stoppedTask() == null) return "E01";
        origRax = -1;
        stub.resume(step, linuxSig);
        Object what = stub.awaitStop(channel::interrupted);
        if (what instanceof ExitStatus status) {
            String reply = exitReply(status);
            channel.send(reply);
            stub.exitReported();
            // gdb has nothing left to debug; it closes the connection or kills the (gone) program.
            return serveAfterExit();
        }
        return stopReply();
    }

    /** After W/X: whatever gdb still asks is answered as for a program that is no more. */
    private String serveAfterExit() throws IOException {
        while (true) {
            String p = channel.read();
            if (p.startsWith("k")) return null;
            if (p.startsWith("vKill")) {
                channel.send("OK");
                continue;
            }
            if (p.startsWith("qSupported")) {
                channel.send(query(p));
                continue;
            }
            channel.send(p.equals("?") ? exitReply(stub.exitStatus()) : "E01");
            if (p.startsWith("D")) return null;
        }
    }

    private static String exitReply(ExitStatus status) {
        if (status instanceof ExitStatus.Killed k) return "X" + hex2(SignalNumbers.toGdb(k.signal()));
        return "W" + hex2(((ExitStatus.Exited) status).code() & 0xff);
    }

    private String stopReply() {
        Task t = stub.stoppedTask();
        if (t == null) {
            ExitStatus s = stub.exitStatus();
            return s != null ? exitReply(s) : "E01";
        }
        return "T" + hex2(SignalNumbers.toGdb(stub.stopSignal())) + "thread:" + Long.toHexString(t.tid) + ";";
    }

    private void kill() {
        Process target = stub.target();
        if (target != null) SignalPosting.kill(target, Signals.SIGKILL);
    }

    private String readAllRegisters() {
        String regs = stub.onStopped(t -> {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int n = 0; n < RegisterFile.COUNT; n++) all.writeBytes(RegisterFile.read(t.engine(), n, origRax));
            return PacketChannel.hex(all.toByteArray());
        });
        return regs == null ? "E01" : regs;
    }

    private String writeAllRegisters(byte[] data) {
        if (data.length < RegisterFile.offset(RegisterFile.COUNT)) return "E01";
        Boolean ok = stub.onStopped(t -> {
            for (int n = 0; n < RegisterFile.COUNT; n++) {
                int off = RegisterFile.offset(n);
                byte[] v = java.util.Arrays.copyOfRange(data, off, off + RegisterFile.REGS[n].size());
                origRax = RegisterFile.write(t.engine(), n, v, origRax);
            }
            return Boolean.TRUE;
        });
        return ok == null ? "E01" : "OK";
    }

    private String readRegister(int n) {
        if (n < 0 || n >= RegisterFile.COUNT) return "E01";
        String v = stub.onStopped(t -> PacketChannel.hex(RegisterFile.read(t.engine(), n, origRax)));
        return v == null ? "E01" : v;
    }

    private String writeRegister(int n, byte[] value) {
        if (n < 0 || n >= RegisterFile.COUNT || value.length != RegisterFile.REGS[n].size()) return "E01";
        Boolean ok = stub.onStopped(t -> {
            origRax = RegisterFile.write(t.engine(), n, value, origRax);
            return Boolean.TRUE;
        });
        return ok == null ? "E01" : "OK";
    }

    private static long[] addrLen(String s) {
        int comma = s.indexOf(',');
        return new long[] {Long.parseUnsignedLong(s.substring(0, comma), 16), Long.parseLong(s.substring(comma + 1), 16)};
    }

    private static String hex2(int v) {
        return String.format("%02x", v & 0xff);
    }
}
