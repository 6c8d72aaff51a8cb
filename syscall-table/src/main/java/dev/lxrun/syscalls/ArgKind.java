package dev.lxrun.syscalls;

/** How strace shows one syscall argument. */
public enum ArgKind {
    /** signed decimal */
    INT,
    /** unsigned decimal (sizes, counts) */
    UINT,
    /** address or opaque value, in hex; NULL for zero */
    PTR,
    /** file descriptor; AT_FDCWD by name */
    FD,
    /** NUL-terminated string (path names) */
    STR,
    /** buffer whose length is the next argument, shown from the guest (write, sendto) */
    BUF_IN,
    /** buffer filled by the call whose length is the return value (read, recvfrom) */
    BUF_OUT,
    /** octal mode */
    MODE,
    OPEN_FLAGS,
    PROT,
    MAP_FLAGS,
    SIGNAL,
    /** AT_* flags word */
    AT_FLAGS,
    /** arch_prctl code */
    ARCH_CODE,
    /** clock id */
    CLOCK,
    /** whence of lseek */
    WHENCE,
    /** sigprocmask how */
    SIG_HOW,
    /** fcntl command */
    FCNTL_CMD,
    /** ioctl request */
    IOCTL_REQ,
    /** access mode of access/faccessat */
    ACCESS_MODE,
    /** NULL-terminated array of strings (execve argv/envp) */
    STR_ARRAY
}
