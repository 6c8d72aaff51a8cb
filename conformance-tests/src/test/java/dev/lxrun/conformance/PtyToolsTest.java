package dev.lxrun.conformance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everyday programs that make pseudo-terminals, natively and under lxrun: Python's pty module,
 * script(1), and a tmux server running a shell typed at with send-keys (a line, a resize, Ctrl-C
 * to a foreground job). Their outputs must be the same byte for byte.
 */
class PtyToolsTest {
    @TempDir
    Path scratch;

    private static final String PYTHON = String.join("\n",
            "import os, pty, sys",
            "m, s = os.openpty()",
            "print('openpty', os.isatty(s), os.ttyname(s).startswith('/dev/pts/'))",
            "os.write(m, b'typed\\n'); print(os.read(s, 100))",
            "pid, fd = pty.fork()",
            "if pid == 0:",
            "    print('child', os.isatty(0), os.getsid(0) == os.getpid(), os.tcgetpgrp(0) == os.getpgrp())",
            "    sys.stdout.flush()",
            "    os._exit(0)",
            "out = b''",
            "while True:",
            "    try:",
            "        d = os.read(fd, 1000)",
            "    except OSError:",
            "        break",
            "    if not d: break",
            "    out += d",
            "print(out)",
            "print(os.waitpid(pid, 0)[1])");

    @Test
    void pythonPty() {
        Differential.assertSame(List.of("/usr/bin/python3", "-c", PYTHON), scratch, Runner.baseEnvironment());
    }

    @Test
    void scriptRunsACommandOnAPty() {
        Differential.assertSame(List.of("/usr/bin/script", "-qc", "echo hi; tty | cut -c1-9; stty size", "/dev/null"),
                scratch, Runner.baseEnvironment());
    }

    @Test
    void tmuxServerRunsAShell() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tmux")), "tmux is not installed");
        // The shell under lxrun stays alive while the server works: the server is its child's child.
        String session = String.join("\n",
                "S=\"tmux -L lxt$$ -f /dev/null\"",
                "$S new-session -d -x 60 -y 10 sh",
                "sleep 1",
                "$S send-keys 'echo typed in tmux > F1; stty size > F2' Enter",
                "sleep 1",
                "cat F1 F2",
                "$S resize-window -x 70 -y 12",
                "$S send-keys 'stty size > F4; sleep 30' Enter",
                "sleep 1",
                "$S send-keys C-c",
                "$S send-keys 'echo after interrupt $? > F3; exit' Enter",
                "sleep 1",
                "cat F4 F3",
                "$S kill-server 2>&1 | sed 's/lxt[0-9]*/lxt/'",
                "rm -f F1 F2 F3 F4");
        Differential.assertSame(List.of("/bin/sh", "-c", session), scratch, Runner.baseEnvironment());
    }
}
