package dev.lxrun.kernel.mm;

import java.lang.foreign.MemorySegment;

/**
 * Code a finished process left mapped in its engine, kept with the translations Unicorn made of
 * it: guest [start, end) still points at host memory that holds exactly the bytes of file (whose
 * stamp vouches that the file has not changed since), and is mapped without access until a new
 * process maps the same file part at the same place and takes it over.
 */
record ParkedRegion(long start, long end, AddressSpace.FileIdentity file, MemorySegment host) {
    long length() { return end - start; }
}
