package dev.lxrun.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** A directory tree as text: each entry's relative path, type, permissions, size and content hash. */
final class TreeSnapshot {
    private TreeSnapshot() {}

    static String of(Path root) throws IOException {
        StringBuilder sb = new StringBuilder();
        List<Path> paths;
        try (Stream<Path> s = Files.walk(root)) {
            paths = s.sorted().toList();
        }
        for (Path p : paths) {
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            sb.append(root.relativize(p)).append(' ');
            if (a.isSymbolicLink()) {
                sb.append("link -> ").append(Files.readSymbolicLink(p));
            } else if (a.isDirectory()) {
                sb.append("dir ").append(PosixFilePermissions.toString(a.permissions()));
            } else {
                sb.append("file ").append(PosixFilePermissions.toString(a.permissions())).append(' ').append(a.size())
                  .append(' ').append(a.isRegularFile() ? sha256(p) : "special");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String sha256(Path p) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
