package dev.lxrun.cpu;

/** uc_prot bits; identical to Linux PROT_READ/WRITE/EXEC, which lets the kernel pass them through. */
public final class Prot {
    public static final int NONE = 0, READ = 1, WRITE = 2, EXEC = 4, ALL = 7;

    private Prot() {}
}
