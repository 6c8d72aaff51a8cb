package dev.lxrun.cli;

import dev.lxrun.kernel.Signals;
import dev.lxrun.vm.GuestExit;
import dev.lxrun.vm.GuestRequest;
import dev.lxrun.vm.PersistentVm;
import dev.lxrun.vm.Progress;
import dev.lxrun.vm.VirtualMachine;
import dev.lxrun.vm.VmConfig;
import dev.lxrun.vm.VmException;
import dev.lxrun.vm.VmSession;
import dev.lxrun.vm.VmSetup;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;

/**
 * `lxrun --mode vm`: runs the program in the persistent VM when one is up for the same root,
 * else boots a VM for it. Exit status and the shell's message for a death by signal match
 * translation mode's.
 */
final class VmRun {
    private VmRun() {}

    static int run(String rootDir, String guestPath, List<String> argv, List<String> envp, String hostCwd,
                   boolean verbose, PrintStream err) {
        Progress progress = m -> err.println("lxrun: vm: " + m);
        GuestRequest request = new GuestRequest(guestPath, guestCwd(rootDir, hostCwd), argv, envp, stderrIsStdout());
        VmSession.Streams streams = new VmSession.Streams(new FileInputStream(FileDescriptor.in),
                new FileOutputStream(FileDescriptor.out), new FileOutputStream(FileDescriptor.err));
        AtomicReference<VmSession> current = new AtomicReference<>();
        forwardSignals(current);
        GuestExit exit;
        try {
            Optional<PersistentVm.Status> running = PersistentVm.status().filter(s -> s.root().equals(Path.of(rootDir)));
            if (running.isPresent()) {
                if (verbose) progress.say("using the running VM (" + running.get().describe() + ")");
                exit = PersistentVm.run(running.get(), request, streams, current::set);
            } else {
                VmConfig config = VmSetup.config(Path.of(rootDir), progress);
                try (VirtualMachine vm = VirtualMachine.bootCold(config, progress)) {
                    if (verbose) progress.say("booted " + vm.config().kernel().release() + " under " + vm.config().accel().label()
                            + " (" + vm.config().machine() + ") in " + vm.bootMillis() + " ms");
                    exit = vm.run(request, streams, current::set);
                }
            }
        } catch (VmException e) {
            err.println("lxrun: vm: " + e.getMessage());
            return 125;
        }
        return report(exit, argv.getFirst(), err);
    }

    static int report(GuestExit exit, String program, PrintStream err) {
        switch (exit) {
            case GuestExit.Killed k -> {
                String msg = Signals.shellMessage(k.signal());
                if (msg != null) err.println(msg);
            }
            case GuestExit.NotStarted n -> err.println("lxrun: " + program + ": " + (n.step().equals("exec") ? "" : n.step() + ": ")
                    + dev.lxrun.syscalls.Errno.message(n.errno()));
            case GuestExit.Exited e -> { }
        }
        err.flush();
        return exit.shellStatus();
    }

    /** The host cwd seen from inside the root ("/" when the cwd lies outside it). */
    static String guestCwd(String rootDir, String hostCwd) {
        if (rootDir.equals("/")) return hostCwd;
        if (hostCwd.equals(rootDir)) return "/";
        if (hostCwd.startsWith(rootDir + "/")) return hostCwd.substring(rootDir.length());
        return "/";
    }

    /** `2>&1`: one stream in the guest too, so the interleaving of the two is exact. */
    private static boolean stderrIsStdout() {
        try {
            Path out = Files.readSymbolicLink(Path.of("/proc/self/fd/1"));
            Path errLink = Files.readSymbolicLink(Path.of("/proc/self/fd/2"));
            return out.equals(errLink);
        } catch (Exception e) {
            return false;
        }
    }

    private static void forwardSignals(AtomicReference<VmSession> current) {
        for (String name : new String[] {"INT", "TERM", "HUP", "QUIT"}) {
            try {
                Signal sig = new Signal(name);
                Signal.handle(sig, s -> {
                    VmSession session = current.get();
                    if (session != null) session.signal(s.getNumber());
                    else System.exit(128 + s.getNumber()); // still booting: the shutdown hook stops QEMU
                });
            } catch (IllegalArgumentException reserved) {
                // the JVM keeps this one
            }
        }
    }
}
