package dev.lxrun.kernel.ipc;

import dev.lxrun.kernel.Credentials;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The ownership and mode of a System V IPC object (Linux's struct kern_ipc_perm). */
public final class IpcPerm {
    /** sizeof(struct ipc64_perm) on x86-64. */
    static final int SIZE = 48;

    final int key;
    final int cuid, cgid;
    int uid, gid;
    int mode;
    final int seq;

    IpcPerm(int key, Credentials creator, int mode, int seq) {
        this.key = key;
        this.cuid = this.uid = creator.euid();
        this.cgid = this.gid = creator.egid();
        this.mode = mode & 0777;
        this.seq = seq;
    }

    /**
     * Linux's ipcperms: the permission bits the caller gets (owner, group or other), and whether
     * they cover the requested ones (read 4, write 2 in each triad of flag's low nine bits). The
     * euid 0 caller has CAP_IPC_OWNER.
     */
    boolean allows(Credentials c, int flag) {
        int requested = ((flag >> 6) | (flag >> 3) | flag) & 7;
        int granted;
        if (c.euid() == uid || c.euid() == cuid) granted = mode >> 6;
        else if (inGroup(c, gid) || inGroup(c, cgid)) granted = mode >> 3;
        else granted = mode;
        return (requested & ~granted & 7) == 0 || c.euid() == 0;
    }

    /** IPC_SET and IPC_RMID: the owner, the creator or a privileged caller (CAP_SYS_ADMIN). */
    boolean ownedBy(Credentials c) {
        return c.euid() == 0 || c.euid() == uid || c.euid() == cuid;
    }

    private static boolean inGroup(Credentials c, int g) {
        if (c.egid() == g) return true;
        for (int x : c.groups()) if (x == g) return true;
        return false;
    }

    /** Writes struct ipc64_perm. */
    void write(ByteBuffer b) {
        b.order(ByteOrder.LITTLE_ENDIAN);
        int start = b.position();
        b.putInt(key).putInt(uid).putInt(gid).putInt(cuid).putInt(cgid);
        b.putShort((short) mode).putShort((short) 0).putShort((short) seq).putShort((short) 0);
        b.position(start + SIZE);
    }

    /** IPC_SET's part of struct ipc64_perm: the new uid, gid and the mode's nine permission bits. */
    void set(ByteBuffer b) {
        b.order(ByteOrder.LITTLE_ENDIAN);
        int start = b.position();
        uid = b.getInt(start + 4);
        gid = b.getInt(start + 8);
        mode = (mode & ~0777) | (b.getShort(start + 20) & 0777);
    }
}
