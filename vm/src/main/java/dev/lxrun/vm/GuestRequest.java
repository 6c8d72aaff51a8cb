package dev.lxrun.vm;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A program to run in the VM: its path inside the root, working directory, argv and envp, as
 * byte strings (one char per byte, ISO-8859-1, as everywhere in lxrun).
 */
public record GuestRequest(String path, String cwd, List<String> argv, List<String> env, boolean mergeStderr) {
    static final int MERGE_STDERR = 1;

    byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer head = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        head.putInt(mergeStderr ? MERGE_STDERR : 0).putInt(argv.size()).putInt(env.size());
        out.writeBytes(head.array());
        cstring(out, path);
        cstring(out, cwd);
        for (String a : argv) cstring(out, a);
        for (String e : env) cstring(out, e);
        return out.toByteArray();
    }

    private static void cstring(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
        out.write(0);
    }
}
