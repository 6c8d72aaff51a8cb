package dev.lxrun.kernel.exec;

import dev.lxrun.kernel.mm.AddressSpace;

/**
 * A loaded program ready to run: its fresh address space and initial registers. comm is the
 * command name exec gives the process: the base name of the path execve was called with (a
 * symlink's or script's own name, not its target's), cut to 15 bytes as Linux's TASK_COMM_LEN.
 */
public record ExecImage(AddressSpace mm, long entry, long stackPointer, String path, java.util.List<String> argv,
                        java.util.List<String> envp, String comm) {}
