package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Process;
import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.mm.AddressSpace;
import dev.lxrun.vfs.FileDescription;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A write through a descriptor changes what every MAP_SHARED mapping of the file shows, without
 * any guest store Unicorn could see: translated code of such a mapping that is executable must
 * go (AddressSpace#fileWritten). Nothing is looked up until some process has mapped a file
 * shared and executable, so ordinary writes cost one volatile read.
 */
final class FileCodeWrites {
    private static final int S_IFMT = 0170000, S_IFREG = 0100000;

    private FileCodeWrites() {}

    /** After write/pwrite/writev on f returned result. */
    static long after(Task t, FileDescription f, long result) {
        if (result <= 0 || !AddressSpace.fileCodeMayChange()) return result;
        long dev, inode;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(144);
            if (f.stat(st) != 0) return result;
            if ((st.get(ValueLayout.JAVA_INT, 24) & S_IFMT) != S_IFREG) return result;
            dev = st.get(ValueLayout.JAVA_LONG, 0);
            inode = st.get(ValueLayout.JAVA_LONG, 8);
        }
        for (Process p : t.kernel().allProcesses()) {
            AddressSpace mm = p.mm;
            if (mm != null) mm.fileWritten(dev, inode);
        }
        return result;
    }
}
