package dev.lxrun.kernel.pseudo;

import java.util.List;
import java.util.function.Supplier;

/** An entry of a synthetic filesystem (procfs): content is produced when the entry is opened or listed. */
public sealed interface PseudoNode {
    /**
     * A file whose bytes are generated at open, as procfs files are; writer, when not null, takes
     * what is written to it (/proc/PID/comm), else the file is read-only.
     */
    record File(Supplier<byte[]> content, Writer writer) implements PseudoNode {
        public File(Supplier<byte[]> content) {
            this(content, null);
        }
    }

    /** Applies one write(2) to a writable pseudo file: the bytes written, or -errno. */
    interface Writer {
        long write(byte[] data);
    }

    /** A directory; entries are names with their types. */
    record Dir(Supplier<List<Entry>> entries) implements PseudoNode {}

    /**
     * A symbolic link. target is what readlink shows; hostPath, when not null, is the host path
     * that opening or stat-ing through the link reaches (procfs "magic" links such as fd/N reach
     * the open file itself, whatever its name).
     */
    record Link(String target, String hostPath, dev.lxrun.vfs.mount.Mount mount) implements PseudoNode {
        public Link(String target, String hostPath) {
            this(target, hostPath, null);
        }
    }

    /** A host file shown under another name (devfs: /dev/null of a confined root is the host's /dev/null). */
    record Host(String hostPath) implements PseudoNode {}

    /** A directory entry: name and d_type (DT_DIR 4, DT_REG 8, DT_LNK 10). */
    record Entry(String name, int type) {
        public static final int DT_CHR = 2, DT_DIR = 4, DT_REG = 8, DT_LNK = 10;
    }
}
