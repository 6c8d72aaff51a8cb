package dev.lxrun.kernel.exec;

import dev.lxrun.kernel.mm.AddressSpace;

/** A loaded program ready to run: its fresh address space and initial registers. */
public record ExecImage(AddressSpace mm, long entry, long stackPointer, String path, java.util.List<String> argv,
                        java.util.List<String> envp) {}
