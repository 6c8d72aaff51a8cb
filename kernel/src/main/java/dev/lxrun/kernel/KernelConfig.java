package dev.lxrun.kernel;

/**
 * What a kernel instance is started with.
 *
 * @param cwd the guest's initial working directory (a path in the guest root)
 * @param hostname the node name uname() reports
 */
public record KernelConfig(String cwd, String hostname) {}
