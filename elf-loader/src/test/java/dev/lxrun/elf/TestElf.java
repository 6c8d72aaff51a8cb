package dev.lxrun.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Builds small ELF64 images in memory for loader tests. */
final class TestElf {
    record Seg(int type, int flags, long offset, long vaddr, long filesz, long memsz) {}

    int etype = 2;
    int machine = 62;
    long entry = 0x401000;
    final List<Seg> segs = new ArrayList<>();
    byte[] extra = new byte[0];
    int fileSize = 0x3000;

    byte[] build() {
        byte[] b = new byte[fileSize];
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        b[0] = 0x7f; b[1] = 'E'; b[2] = 'L'; b[3] = 'F';
        b[4] = 2; b[5] = 1; b[6] = 1;
        bb.putShort(16, (short) etype);
        bb.putShort(18, (short) machine);
        bb.putInt(20, 1);
        bb.putLong(24, entry);
        bb.putLong(32, 64);
        bb.putShort(52, (short) 64);
        bb.putShort(54, (short) 56);
        bb.putShort(56, (short) segs.size());
        for (int i = 0; i < segs.size(); i++) {
            Seg s = segs.get(i);
            int o = 64 + 56 * i;
            bb.putInt(o, s.type());
            bb.putInt(o + 4, s.flags());
            bb.putLong(o + 8, s.offset());
            bb.putLong(o + 16, s.vaddr());
            bb.putLong(o + 24, s.vaddr());
            bb.putLong(o + 32, s.filesz());
            bb.putLong(o + 40, s.memsz());
            bb.putLong(o + 48, 4096);
        }
        System.arraycopy(extra, 0, b, 0x800, extra.length);
        for (int i = 0x1000; i < 0x3000 && i < b.length; i++) if (b[i] == 0) b[i] = (byte) 0xAB;
        return b;
    }

    /** A static executable: text at 0x401000 (R-X), data at 0x402000 with a bss tail (RW-). */
    static TestElf staticExec() {
        TestElf e = new TestElf();
        e.segs.add(new Seg(ProgramHeader.PT_LOAD, 4, 0, 0x400000, 0x1000, 0x1000));
        e.segs.add(new Seg(ProgramHeader.PT_LOAD, 5, 0x1000, 0x401000, 0x1000, 0x1000));
        e.segs.add(new Seg(ProgramHeader.PT_LOAD, 6, 0x2000, 0x402000, 0x800, 0x3000));
        e.segs.add(new Seg(ProgramHeader.PT_GNU_STACK, 6, 0, 0, 0, 0));
        return e;
    }
}
