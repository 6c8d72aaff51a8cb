/* Keyrings as Linux gives them through the raw system calls: add_key's type and payload checks,
 * keyctl DESCRIBE/READ/UPDATE/REVOKE/SETPERM/LINK/UNLINK/SEARCH/CLEAR/INVALIDATE/SET_TIMEOUT,
 * request_key, the errors of each. Serial numbers differ from run to run: only their relations
 * are printed. Runs in a fresh session keyring (JOIN_SESSION_KEYRING) so the caller's keys do not matter. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define KEYCTL_GET_KEYRING_ID 0
#define KEYCTL_JOIN_SESSION_KEYRING 1
#define KEYCTL_UPDATE 2
#define KEYCTL_REVOKE 3
#define KEYCTL_SETPERM 5
#define KEYCTL_DESCRIBE 6
#define KEYCTL_CLEAR 7
#define KEYCTL_LINK 8
#define KEYCTL_UNLINK 9
#define KEYCTL_SEARCH 10
#define KEYCTL_READ 11
#define KEYCTL_INSTANTIATE 12
#define KEYCTL_SET_TIMEOUT 15
#define KEYCTL_INVALIDATE 21
#define KEYCTL_GET_PERSISTENT 22
#define SESSION (-3)
#define PROCESS (-2)
#define THREAD (-1)

static long add_key(const char *type, const char *desc, const void *p, size_t n, long ring) {
    return syscall(SYS_add_key, type, desc, p, n, ring);
}

static long keyctl(long cmd, long a, long b, long c, long d) {
    return syscall(SYS_keyctl, cmd, a, b, c, d);
}

static void result(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: ok\n", what);
}

/* DESCRIBE without the uid and gid, which are the caller's. */
static void describe(const char *what, long key) {
    char buf[256];
    long n = keyctl(KEYCTL_DESCRIBE, key, (long) buf, sizeof buf, 0);
    if (n < 0) { printf("%s: describe -1 %s\n", what, strerror(errno)); return; }
    char type[32], perm[16], desc[128];
    int uid, gid;
    if (sscanf(buf, "%31[^;];%d;%d;%15[^;];%127[^\n]", type, &uid, &gid, perm, desc) == 5)
        printf("%s: describe length %ld type %s perm %s desc %s\n", what, n, type, perm, desc);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    long ses = keyctl(KEYCTL_JOIN_SESSION_KEYRING, 0, 0, 0, 0);
    result("join new session", ses);
    printf("session id matches: %d\n", keyctl(KEYCTL_GET_KEYRING_ID, SESSION, 0, 0, 0) == ses);
    describe("session", SESSION);
    result("process keyring without create", keyctl(KEYCTL_GET_KEYRING_ID, PROCESS, 0, 0, 0));
    long proc = keyctl(KEYCTL_GET_KEYRING_ID, PROCESS, 1, 0, 0);
    result("process keyring with create", proc);
    describe("process", PROCESS);

    result("add_key unknown type", add_key("lxrun_no_such_type", "d", "x", 1, SESSION));
    result("add_key dot type", add_key(".secret", "d", "x", 1, SESSION));
    result("add_key empty description", add_key("user", "", "x", 1, SESSION));
    result("add_key user empty payload", add_key("user", "d", NULL, 0, SESSION));
    result("add_key keyring with payload", add_key("keyring", "r", "x", 1, SESSION));
    result("add_key logon without colon", add_key("logon", "nocolon", "x", 1, SESSION));
    result("add_key to a bad keyring id", add_key("user", "d", "x", 1, 12345));
    static char big[40000];
    result("add_key 32768-byte payload", add_key("user", "d", big, 32768, SESSION));

    long k = add_key("user", "lxrun:one", "hello", 5, SESSION);
    result("add_key user", k);
    describe("user key", k);
    char buf[64] = {0};
    long n = keyctl(KEYCTL_READ, k, (long) buf, sizeof buf, 0);
    printf("read: %ld '%.*s'\n", n, (int) (n > 0 ? n : 0), buf);
    n = keyctl(KEYCTL_READ, k, (long) buf, 2, 0);
    printf("read into 2 bytes: %ld\n", n);
    long again = add_key("user", "lxrun:one", "world!", 6, SESSION);
    printf("add_key same description updates: %d\n", again == k);
    n = keyctl(KEYCTL_READ, k, (long) buf, sizeof buf, 0);
    printf("read after update: %ld '%.*s'\n", n, (int) (n > 0 ? n : 0), buf);
    result("update", keyctl(KEYCTL_UPDATE, k, (long) "xyz", 3, 0));
    result("update keyring", keyctl(KEYCTL_UPDATE, SESSION, (long) "xyz", 3, 0));

    long logon = add_key("logon", "svc:pw", "secret", 6, SESSION);
    result("add_key logon", logon);
    describe("logon key", logon);
    result("read logon", keyctl(KEYCTL_READ, logon, (long) buf, sizeof buf, 0));

    long ring = add_key("keyring", "lxrun-ring", NULL, 0, SESSION);
    result("add_key keyring", ring);
    result("link key into ring", keyctl(KEYCTL_LINK, k, ring, 0, 0));
    result("link ring into itself", keyctl(KEYCTL_LINK, ring, ring, 0, 0));
    result("link session into ring (cycle)", keyctl(KEYCTL_LINK, SESSION, ring, 0, 0));
    result("link into a user key", keyctl(KEYCTL_LINK, logon, k, 0, 0));
    int ids[8];
    n = keyctl(KEYCTL_READ, ring, (long) ids, sizeof ids, 0);
    printf("ring holds %ld bytes, first is the key: %d\n", n, n >= 4 && ids[0] == k);
    long found = keyctl(KEYCTL_SEARCH, SESSION, (long) "user", (long) "lxrun:one", 0);
    printf("search finds the key: %d\n", found == k);
    result("search missing", keyctl(KEYCTL_SEARCH, SESSION, (long) "user", (long) "lxrun:none", 0));
    result("search in a user key", keyctl(KEYCTL_SEARCH, k, (long) "user", (long) "lxrun:one", 0));
    found = syscall(SYS_request_key, "user", "lxrun:one", NULL, 0);
    printf("request_key finds the key: %d\n", found == k);
    result("request_key missing", syscall(SYS_request_key, "user", "lxrun:none", NULL, 0));
    result("unlink from ring", keyctl(KEYCTL_UNLINK, k, ring, 0, 0));
    result("unlink again", keyctl(KEYCTL_UNLINK, k, ring, 0, 0));

    result("setperm bad bits", keyctl(KEYCTL_SETPERM, k, 0x40000000, 0, 0));
    result("setperm view only", keyctl(KEYCTL_SETPERM, k, 0x01000000, 0, 0));
    result("read without read permission", keyctl(KEYCTL_READ, k, (long) buf, sizeof buf, 0));
    result("update without write permission", keyctl(KEYCTL_UPDATE, k, (long) "a", 1, 0));
    describe("view-only key", k);
    result("setperm back needs setattr", keyctl(KEYCTL_SETPERM, k, 0x3f010000, 0, 0));

    long r = add_key("user", "lxrun:two", "2", 1, SESSION);
    result("revoke", keyctl(KEYCTL_REVOKE, r, 0, 0, 0));
    result("read revoked", keyctl(KEYCTL_READ, r, (long) buf, sizeof buf, 0));
    describe("revoked", r);
    long t = add_key("user", "lxrun:three", "3", 1, SESSION);
    result("set timeout", keyctl(KEYCTL_SET_TIMEOUT, t, 1, 0, 0));
    sleep(2);
    result("read expired", keyctl(KEYCTL_READ, t, (long) buf, sizeof buf, 0));
    long inv = add_key("user", "lxrun:four", "4", 1, SESSION);
    result("invalidate", keyctl(KEYCTL_INVALIDATE, inv, 0, 0, 0));
    usleep(200000);
    result("read invalidated", keyctl(KEYCTL_READ, inv, (long) buf, sizeof buf, 0));
    result("instantiate without authority", keyctl(KEYCTL_INSTANTIATE, k, (long) "a", 1, 0));
    result("get persistent", keyctl(KEYCTL_GET_PERSISTENT, -1, SESSION, 0, 0));
    result("unknown command", keyctl(999, 0, 0, 0, 0));
    result("clear ring", keyctl(KEYCTL_CLEAR, ring, 0, 0, 0));
    n = keyctl(KEYCTL_READ, ring, (long) ids, sizeof ids, 0);
    printf("ring after clear: %ld bytes\n", n);
    result("clear a user key", keyctl(KEYCTL_CLEAR, logon, 0, 0, 0));
    result("read a serial that is no key", keyctl(KEYCTL_READ, 1, (long) buf, sizeof buf, 0));
    result("join the kernel's keyring", keyctl(KEYCTL_JOIN_SESSION_KEYRING, (long) ".builtin_trusted_keys", 0, 0, 0));
    return 0;
}
