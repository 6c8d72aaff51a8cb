package dev.lxrun.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * A mount asked for on the command line: a host directory at a guest path (--mount
 * HOSTDIR:GUESTDIR[:ro,metadata]) or a fresh tmpfs (--tmpfs GUESTDIR[:ro]; hostDir is then null).
 */
public record MountRequest(String hostDir, String guestPath, boolean tmpfs, boolean readOnly, boolean metadata) {
    /** Parses HOSTDIR:GUESTDIR[:OPTIONS] (bind) or GUESTDIR[:OPTIONS] (tmpfs); throws with a one-line reason. */
    public static MountRequest parse(String spec, boolean tmpfs) {
        List<String> parts = new ArrayList<>(List.of(spec.split(":", -1)));
        boolean ro = false, metadata = false;
        int wanted = tmpfs ? 1 : 2;
        if (parts.size() == wanted + 1) {
            for (String opt : parts.removeLast().split(",")) {
                switch (opt) {
                    case "ro" -> ro = true;
                    case "rw", "" -> ro = false;
                    case "metadata" -> metadata = true;
                    default -> throw new IllegalArgumentException(spec + ": unknown mount option '" + opt + "' (ro, rw or metadata)");
                }
            }
        }
        if (parts.size() != wanted || parts.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException(spec + ": expected " + (tmpfs ? "GUESTDIR[:OPTIONS]" : "HOSTDIR:GUESTDIR[:OPTIONS]"));
        }
        String guest = parts.getLast();
        if (!guest.startsWith("/")) throw new IllegalArgumentException(spec + ": the guest directory must be an absolute path");
        return new MountRequest(tmpfs ? null : parts.getFirst(), guest, tmpfs, ro, metadata);
    }
}
