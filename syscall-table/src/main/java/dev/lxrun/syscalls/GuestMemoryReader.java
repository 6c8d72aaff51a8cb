package dev.lxrun.syscalls;

/** Reads guest memory for display; may throw any RuntimeException for an unreadable address. */
@FunctionalInterface
public interface GuestMemoryReader {
    byte[] read(long addr, int len);
}
