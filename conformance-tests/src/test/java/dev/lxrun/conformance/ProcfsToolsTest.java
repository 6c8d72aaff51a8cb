package dev.lxrun.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /proc as Linux's own tools read it under lxrun: procps (ps, pgrep, pidof, top, free, uptime) and
 * busybox parse the process table lxrun knows, and deterministic files (cmdline, environ, comm
 * including writes, fd links, status credentials) are byte for byte what they are natively.
 */
class ProcfsToolsTest {
    @TempDir
    Path work;

    private RunResult lxrun(String... command) {
        return Runner.runLxrun(List.of(command), work, Runner.baseEnvironment(), new byte[0]);
    }

    private RunResult lxrunOk(String... command) {
        RunResult r = lxrun(command);
        assertEquals(0, r.exitStatus(), String.join(" ", command) + "\n" + r);
        return r;
    }

    /** A guest shell starts a known tree; procps ps, pgrep and pidof must report exactly it. */
    @Test
    void psReportsTheTreeTheKernelKnows() {
        String script = """
                sleep 60 & a=$!
                ( sleep 60 & echo "c $! $BASHPID" > inner; wait ) & b=$!
                while [ ! -s inner ]; do sleep 0.1; done
                echo "shell $$"; echo "a $a"; echo "b $b"; cat inner
                echo "--- ps"; ps -e -o pid=,ppid=,stat=,comm=
                echo "--- pgrep"; pgrep -x sleep | sort -n | tr '\\n' ' '; echo
                echo "--- pidof"; pidof sleep | tr ' ' '\\n' | sort -n | tr '\\n' ' '; echo
                kill $a $(cut -d' ' -f2 inner); wait
                """;
        RunResult r = lxrunOk("/bin/bash", "-c", script);
        Map<String, Integer> ids = new HashMap<>();
        Map<Integer, String[]> ps = new HashMap<>();
        String section = "";
        List<String> pgrep = List.of(), pidof = List.of();
        for (String line : r.out().split("\n")) {
            if (line.startsWith("--- ")) {
                section = line.substring(4);
                continue;
            }
            String[] f = line.trim().split("\\s+");
            switch (section) {
                case "" -> {
                    ids.put(f[0], Integer.parseInt(f[1]));
                    if (f[0].equals("c")) ids.put("inner shell", Integer.parseInt(f[2]));
                }
                case "ps" -> ps.put(Integer.parseInt(f[0]), f);
                case "pgrep" -> pgrep = List.of(f);
                case "pidof" -> pidof = List.of(f);
                default -> { }
            }
        }
        int shell = ids.get("shell"), a = ids.get("a"), b = ids.get("b"), c = ids.get("c");
        assertEquals(b, ids.get("inner shell"), "$BASHPID of the subshell is $! in its parent\n" + r.out());
        expectProcess(ps, shell, null, "bash", r);
        expectProcess(ps, a, shell, "sleep", r);
        expectProcess(ps, b, shell, "bash", r);
        expectProcess(ps, c, b, "sleep", r);
        assertTrue(ps.values().stream().anyMatch(f -> f[3].equals("ps") && Integer.parseInt(f[1]) == shell),
                "ps lists itself as the shell's child\n" + r.out());
        assertTrue(ps.get(a)[2].startsWith("S"), "a sleeping child is S\n" + r.out());
        assertEquals(List.of(Integer.toString(a), Integer.toString(c)), pgrep, "pgrep -x sleep\n" + r.out());
        assertEquals(List.of(Integer.toString(a), Integer.toString(c)), pidof, "pidof sleep\n" + r.out());
    }

    private static void expectProcess(Map<Integer, String[]> ps, int pid, Integer ppid, String comm, RunResult r) {
        String[] f = ps.get(pid);
        assertTrue(f != null, "ps lists " + pid + "\n" + r.out());
        if (ppid != null) assertEquals(ppid.intValue(), Integer.parseInt(f[1]), "ppid of " + pid + "\n" + r.out());
        assertEquals(comm, f[3], "comm of " + pid + "\n" + r.out());
    }

    @Test
    void deterministicFilesMatchLinuxByteForByte() {
        List<List<String>> commands = List.of(
                List.of("/bin/cat", "/proc/self/cmdline"),
                List.of("/bin/cat", "/proc/self/environ"),
                List.of("/bin/cat", "/proc/self/comm"),
                List.of("/bin/bash", "-c", "echo renamed > /proc/$$/comm; cat /proc/$$/comm; printf 0123456789abcdefghij > /proc/self/comm;"
                        + " cat /proc/$$/comm; grep Name: /proc/$$/status; true"),
                List.of("/bin/bash", "-c", "exec 3</etc/passwd 4>/dev/null 5>>" + work.resolve("out") + ";"
                        + " for f in 3 4 5; do readlink /proc/$$/fd/$f; done; true"),
                List.of("/bin/grep", "-E", "^(Uid|Gid|Groups|Umask|Threads|NoNewPrivs|Seccomp):", "/proc/self/status"),
                List.of("/bin/sh", "-c", "grep -E '^(pos|flags):' /proc/$$/fdinfo/0 < /etc/passwd"),
                List.of("/usr/bin/python3", "-c", "import os; print(os.readlink('/proc/self/exe'), open('/proc/self/comm').read())"));
        for (List<String> c : commands) Differential.assertSame(c, work, Runner.baseEnvironment());
    }

    @Test
    void procpsAndBusyboxToolsRun() {
        String ps = lxrunOk("/bin/ps", "aux").out();
        assertTrue(ps.startsWith("USER") && ps.contains("ps aux"), ps);
        String bps = lxrunOk("/bin/busybox", "ps").out();
        assertTrue(bps.contains("PID") && bps.contains("busybox ps"), bps);
        String top = lxrunOk("/usr/bin/top", "-b", "-n1").out();
        assertTrue(top.contains("Tasks:") && top.contains("top"), top);
        String btop = lxrunOk("/bin/busybox", "top", "-b", "-n1").out();
        assertTrue(btop.contains("PID") && btop.contains("top"), btop);
        for (String[] c : new String[][] {{"/usr/bin/free"}, {"/bin/busybox", "free"}}) {
            String out = lxrunOk(c).out();
            assertTrue(out.contains("Mem:") && out.contains("total"), out);
        }
        for (String[] c : new String[][] {{"/usr/bin/uptime"}, {"/bin/busybox", "uptime"}}) {
            assertTrue(lxrunOk(c).out().contains("load average"), String.join(" ", c));
        }
        String fds = lxrunOk("/bin/ls", "-l", "/proc/self/fd").out();
        assertTrue(fds.contains(" 0 -> ") && fds.contains(" 2 -> ") && fds.contains("/fd"), fds);
    }

    /** The CPU count is one fact: cpuinfo, /sys online, sched_getaffinity and Python's os.cpu_count agree. */
    @Test
    void cpuCountIsConsistent() {
        String out = lxrunOk("/usr/bin/python3", "-c", """
                import os
                n = sum(1 for l in open('/proc/cpuinfo') if l.startswith('processor'))
                print(n, os.cpu_count(), len(os.sched_getaffinity(0)), open('/sys/devices/system/cpu/online').read().strip())
                """).out().trim();
        String[] f = out.split(" ");
        int n = Integer.parseInt(f[0]);
        assertTrue(n > 0, out);
        assertEquals(n, Integer.parseInt(f[1]), "os.cpu_count: " + out);
        assertEquals(n, Integer.parseInt(f[2]), "sched_getaffinity: " + out);
        assertEquals(n == 1 ? "0" : "0-" + (n - 1), f[3], "/sys/devices/system/cpu/online: " + out);
    }

    /** maps of a dynamically linked program names its libraries with their real devices and inodes. */
    @Test
    void mapsNameFilesWithTheirIdentity() {
        String out = lxrunOk("/bin/bash", "-c",
                "grep libc.so /proc/self/maps | head -1; stat -L -c '%D %i' /lib/x86_64-linux-gnu/libc.so.6").out();
        String[] lines = out.split("\n");
        String[] map = lines[0].trim().split("\\s+");
        String[] st = lines[1].trim().split(" ");
        long dev = Long.parseLong(st[0], 16);
        String expectDev = String.format("%02x:%02x", ((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfff),
                ((dev >>> 12) & 0xffffff00L) | (dev & 0xff));
        assertEquals(expectDev, map[3], out);
        assertEquals(st[1], map[4], out);
        Set<String> perms = new TreeSet<>(List.of("r--p", "r-xp", "rw-p"));
        assertTrue(perms.contains(map[1]), out);
    }

    @Test
    void globalFilesArePresent() {
        String out = lxrunOk("/bin/sh", "-c", "for f in meminfo stat uptime loadavg version filesystems mounts"
                + " sys/kernel/hostname sys/kernel/ostype sys/kernel/osrelease sys/kernel/pid_max sys/kernel/random/boot_id"
                + " sys/kernel/random/uuid sys/vm/overcommit_memory sys/fs/file-max net/tcp net/unix self/mountinfo"
                + " self/cgroup thread-self/stat; do [ -n \"$(head -c 1 /proc/$f)\" ] && echo ok $f || echo missing $f; done").out();
        List<String> missing = new ArrayList<>();
        for (String l : out.split("\n")) if (!l.startsWith("ok ")) missing.add(l);
        assertEquals(List.of(), missing, out);
    }
}
