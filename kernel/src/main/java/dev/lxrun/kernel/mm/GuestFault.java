package dev.lxrun.kernel.mm;

/** A kernel access to guest memory hit an unmapped or protected address: the syscall returns -EFAULT. */
public final class GuestFault extends RuntimeException {
    private final long address;

    public GuestFault(long address) {
        super("bad guest address 0x" + Long.toHexString(address), null, false, false);
        this.address = address;
    }

    public long address() { return address; }
}
