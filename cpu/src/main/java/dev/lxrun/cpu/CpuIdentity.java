package dev.lxrun.cpu;

import java.nio.charset.StandardCharsets;

/**
 * What the emulated CPU says about itself: CPUID executed by Unicorn, so /proc/cpuinfo and
 * AT_HWCAP describe the processor guest code really runs on, not the host's.
 */
public record CpuIdentity(String vendor, int family, int model, int stepping, String modelName, int leaf1Ecx,
                          int leaf1Edx, int ext1Ecx, int ext1Edx, int leaf7Ebx) {
    private static final long CODE = 0x1000;
    private static volatile CpuIdentity probed;

    /** Runs CPUID on a scratch engine (once per JVM). */
    public static CpuIdentity probe() {
        CpuIdentity c = probed;
        if (c != null) return c;
        java.lang.foreign.MemorySegment page = HostMemory.allocate(HostMemory.PAGE);
        try (Engine e = Engine.openX86_64()) {
            page.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 0x0f);
            page.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 1, (byte) 0xa2); // cpuid
            e.mapPtr(CODE, HostMemory.PAGE, Prot.READ | Prot.EXEC, page);
            int[] l0 = cpuid(e, 0, 0), l1 = cpuid(e, 1, 0), l7 = cpuid(e, 7, 0), x1 = cpuid(e, 0x80000001, 0);
            int maxExt = cpuid(e, 0x80000000, 0)[0];
            String vendor = ascii(l0[1], l0[3], l0[2]);
            StringBuilder name = new StringBuilder();
            if (Integer.compareUnsigned(maxExt, 0x80000004) >= 0) {
                for (int leaf = 0x80000002; leaf <= 0x80000004; leaf++) {
                    int[] r = cpuid(e, leaf, 0);
                    name.append(ascii(r[0], r[1], r[2], r[3]));
                }
            }
            int eax = l1[0];
            int family = ((eax >> 8) & 0xf) + (((eax >> 8) & 0xf) == 0xf ? (eax >> 20) & 0xff : 0);
            int model = ((eax >> 4) & 0xf) | (((eax >> 8) & 0xf) >= 6 ? ((eax >> 16) & 0xf) << 4 : 0);
            c = new CpuIdentity(vendor, family, model, eax & 0xf, name.toString().strip(), l1[2], l1[3], x1[2], x1[3], l7[1]);
            probed = c;
            return c;
        } finally {
            HostMemory.release(page.address(), HostMemory.PAGE);
        }
    }

    private static int[] cpuid(Engine e, int leaf, int sub) {
        e.writeReg(X86Reg.RAX, leaf & 0xffffffffL);
        e.writeReg(X86Reg.RCX, sub);
        e.runUntil(CODE, CODE + 2);
        return new int[] {(int) e.readReg(X86Reg.RAX), (int) e.readReg(X86Reg.RBX), (int) e.readReg(X86Reg.RCX),
                (int) e.readReg(X86Reg.RDX)};
    }

    private static String ascii(int... words) {
        byte[] b = new byte[4 * words.length];
        for (int i = 0; i < words.length; i++) {
            for (int j = 0; j < 4; j++) b[4 * i + j] = (byte) (words[i] >>> (8 * j));
        }
        String s = new String(b, StandardCharsets.ISO_8859_1);
        int nul = s.indexOf('\0');
        return nul < 0 ? s : s.substring(0, nul);
    }
}
