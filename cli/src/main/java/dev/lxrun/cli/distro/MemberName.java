package dev.lxrun.cli.distro;

import java.nio.charset.StandardCharsets;

/**
 * An archive member's name as a path relative to the distro's root: "./usr/bin/x" and
 * "usr//bin/x/" are "usr/bin/x"; the root itself is "" (the archive's "./"). Absolute names and
 * ".." components are refused: a root file system archive never needs them, and they are how a
 * crafted archive writes outside the directory it is unpacked into.
 */
final class MemberName {
    private MemberName() {}

    /** The member's name as raw bytes: one char per byte, or UTF-8 for a name a pax header gave beyond Latin-1. */
    static byte[] bytes(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) > 0xff) return name.getBytes(StandardCharsets.UTF_8);
        }
        return name.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The normal relative form, or throws with why the name is refused. */
    static String normalize(String name) throws ImportException {
        if (name.startsWith("/")) throw new ImportException("member " + show(name) + " has an absolute name");
        StringBuilder b = new StringBuilder();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) throw new ImportException("member " + show(name) + " leaves the root with '..'");
            if (!b.isEmpty()) b.append('/');
            b.append(part);
        }
        return b.toString();
    }

    /** The parent of a normal relative name ("" for a top-level one). */
    static String parent(String rel) {
        int slash = rel.lastIndexOf('/');
        return slash < 0 ? "" : rel.substring(0, slash);
    }

    /** A name as shown in a message: quoted, control characters escaped. */
    static String show(String name) {
        StringBuilder b = new StringBuilder("'");
        for (char c : name.toCharArray()) {
            if (c < 0x20 || c == 0x7f) b.append(String.format("\\x%02x", (int) c));
            else b.append(c);
        }
        return b.append('\'').toString();
    }
}
