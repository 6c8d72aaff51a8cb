package dev.lxrun.conformance;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each conformance program, in each build variant, run natively and under lxrun: stdout,
 * stderr and exit status must be identical.
 */
class CProgramsTest {
    @TempDir
    Path scratch;

    /** A program invocation; scratchDir asks for a fresh directory as the last argument. */
    record Case(String name, List<String> args, boolean scratchDir, String stdin, Map<String, String> extraEnv) {
        static Case of(String name, String... args) {
            return new Case(name, List.of(args), false, "", Map.of());
        }
    }

    static final List<Case> CASES = List.of(
            Case.of("hello"),
            new Case("args_env", List.of("one", "two words", "", "tab\there", "ünïcødé"), false, "",
                    Map.of("LXT_A", "1", "LXT_B", "x y", "LXT_EMPTY", "")),
            Case.of("auxv"),
            Case.of("malloc_heavy"),
            Case.of("mremap_grow"),
            Case.of("huge_ranges"),
            Case.of("proc_state"),
            Case.of("io_bad_buffers"),
            Case.of("sysv_shm"),
            Case.of("tls"),
            Case.of("time_test"),
            Case.of("random_test"),
            Case.of("uname_test"),
            Case.of("exit_codes", "0"),
            Case.of("exit_codes", "1"),
            Case.of("exit_codes", "42"),
            Case.of("exit_codes", "255"),
            Case.of("exit_codes", "256"),
            Case.of("exit_codes", "300", "_Exit"),
            new Case("stdio_mix", List.of(), false, "hello stdin\n".repeat(5000), Map.of()),
            new Case("stdio_mix", List.of(), false, "", Map.of()),
            new Case("file_io", List.of(), true, "", Map.of()),
            new Case("dir_list", List.of(), true, "", Map.of()),
            new Case("cwd_test", List.of(), true, "", Map.of()),
            Case.of("processes"),
            Case.of("clone_share"),
            Case.of("clone_args"),
            Case.of("file_size_limit"),
            Case.of("native_aio"),
            Case.of("signals"),
            Case.of("threads"),
            Case.of("thread_stress"),
            Case.of("child_reaping"),
            Case.of("priority"),
            Case.of("sleep_signals"),
            Case.of("events"),
            Case.of("signalfd"),
            Case.of("posix_timers"),
            Case.of("robust_mutex"),
            Case.of("pi_mutex"),
            Case.of("pdeathsig"),
            Case.of("cpu_clocks"),
            Case.of("cpu_timers"),
            new Case("record_locks", List.of(), true, "", Map.of()),
            new Case("openat2", List.of(), true, "", Map.of()),
            new Case("splice_rw", List.of(), true, "", Map.of()),
            new Case("vector_io", List.of(), true, "", Map.of()),
            new Case("tmpfile_link", List.of(), true, "", Map.of()),
            new Case("path_errors", List.of(), true, "", Map.of()),
            new Case("inotify_events", List.of(), true, "", Map.of()),
            Case.of("mmsg"),
            Case.of("blocking_io"),
            Case.of("sockets"),
            Case.of("unix_creds"),
            Case.of("unix_passcred"),
            Case.of("unix_paths"),
            Case.of("scm_cloexec"),
            Case.of("sockopts"),
            Case.of("rusage"),
            Case.of("job_control"),
            Case.of("ptrace_ops"),
            Case.of("strace_target"),
            new Case("procfs", List.of("a", "b c"), false, "", Map.of("LXT_PROC", "yes")),
            new Case("procfs_maps", List.of(), true, "", Map.of()),
            new Case("code_remap", List.of(), true, "", Map.of()),
            Case.of("memory_reuse"),
            Case.of("sysv_ipc"),
            Case.of("posix_mqueue"),
            Case.of("sysvipc_proc"),
            Case.of("keyrings"),
            Case.of("procfs_files"),
            Case.of("async_stop_exact"),
            Case.of("smc_mprotect_flip"),
            Case.of("smc_rwx"),
            Case.of("smc_thread"),
            Case.of("lock_counters"),
            Case.of("unmap_running"),
            Case.of("malloc_threads"),
            Case.of("futex_pingpong"),
            Case.of("smc_shared_file"),
            Case.of("smc_dual_map"),
            Case.of("cpu_state_entry"),
            Case.of("fpu_arith"),
            Case.of("fpu_signal"),
            Case.of("syscall_regs"),
            Case.of("vsyscall"),
            Case.of("getcpu"),
            Case.of("cpu_state_faults"),
            Case.of("mm_calls"),
            new Case("robust_calls", List.of(), true, "", Map.of()),
            new Case("errno_order", List.of(), true, "", Map.of()),
            new Case("elf_variants", List.of(), true, "", Map.of()),
            Case.of("dev_fd"),
            Case.of("proc_sys"),
            Case.of("pty"),
            new Case("sched_misc", List.of(), true, "", Map.of()),
            Case.of("sched_creds"));

    @TestFactory
    Stream<DynamicTest> programsBehaveAsNatively() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String variant : CPrograms.VARIANTS) {
            for (Case c : CASES) {
                String label = variant + "/" + c.name() + " " + String.join(" ", c.args());
                tests.add(dynamicTest(label.strip(), () -> check(variant, c)));
            }
        }
        return tests.stream();
    }

    private void check(String variant, Case c) throws IOException {
        Map<String, String> env = Runner.baseEnvironment();
        env.putAll(c.extraEnv());
        List<String> cmd = CPrograms.command(variant, c.name(), c.args().toArray(String[]::new));
        Path nativeDir = scratch, lxrunDir = scratch;
        if (c.scratchDir()) {
            nativeDir = Files.createTempDirectory(scratch, "native");
            lxrunDir = Files.createTempDirectory(scratch, "lxrun");
            List<String> nativeCmd = new ArrayList<>(cmd);
            nativeCmd.add(nativeDir.toString());
            List<String> lxrunCmd = new ArrayList<>(cmd);
            lxrunCmd.add(lxrunDir.toString());
            RunResult expected = Runner.runNative(nativeCmd, nativeDir, env, Differential.bytes(c.stdin()));
            RunResult actual = Runner.runLxrun(lxrunCmd, lxrunDir, env, Differential.bytes(c.stdin()));
            String exp = expected.out().replace(nativeDir.toString(), lxrunDir.toString());
            org.junit.jupiter.api.Assertions.assertEquals(exp, actual.out(), "stdout\n" + actual.err());
            org.junit.jupiter.api.Assertions.assertEquals(expected.err().replace(nativeDir.toString(), lxrunDir.toString()), actual.err(), "stderr");
            org.junit.jupiter.api.Assertions.assertEquals(expected.exitStatus(), actual.exitStatus(), "exit status");
        } else {
            Differential.assertSame(cmd, scratch, scratch, env, Differential.bytes(c.stdin()));
        }
    }
}
