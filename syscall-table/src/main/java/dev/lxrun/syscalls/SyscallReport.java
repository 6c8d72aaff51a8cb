package dev.lxrun.syscalls;

import java.util.Map;

/** Renders a syscall table for people (`lxrun syscalls`) and for tools (`--json`). */
public final class SyscallReport {
    private final SyscallTable<?> table;

    public SyscallReport(SyscallTable<?> table) {
        this.table = table;
    }

    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-4s %-24s %-14s %s%n", "NR", "NAME", "SUPPORT", "NOTE"));
        for (SyscallTable.Entry<?> e : table.entries()) {
            sb.append(String.format("%-4d %-24s %-14s %s", e.number(), e.name(), e.support().label(), e.support().detail())
                    .stripTrailing()).append('\n');
        }
        Map<SyscallTable.Level, Integer> c = table.counts();
        sb.append(String.format("%d syscalls: %d supported, %d partial, %d unimplemented%n",
                table.entries().size(), c.get(SyscallTable.Level.SUPPORTED), c.get(SyscallTable.Level.PARTIAL),
                c.get(SyscallTable.Level.UNIMPLEMENTED)));
        return sb.toString();
    }

    public String json() {
        StringBuilder sb = new StringBuilder("{\n  \"arch\": \"x86_64\",\n  \"syscalls\": [\n");
        var all = table.entries();
        for (int i = 0; i < all.size(); i++) {
            SyscallTable.Entry<?> e = all.get(i);
            sb.append("    {\"number\": ").append(e.number())
              .append(", \"name\": ").append(quote(e.name()))
              .append(", \"support\": ").append(quote(e.support().label()));
            if (!e.support().detail().isEmpty()) sb.append(", \"note\": ").append(quote(e.support().detail()));
            sb.append(i + 1 < all.size() ? "},\n" : "}\n");
        }
        Map<SyscallTable.Level, Integer> c = table.counts();
        sb.append("  ],\n  \"counts\": {\"supported\": ").append(c.get(SyscallTable.Level.SUPPORTED))
          .append(", \"partial\": ").append(c.get(SyscallTable.Level.PARTIAL))
          .append(", \"unimplemented\": ").append(c.get(SyscallTable.Level.UNIMPLEMENTED)).append("}\n}\n");
        return sb.toString();
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20) sb.append(String.format("\\u%04x", (int) ch));
                    else sb.append(ch);
                }
            }
        }
        return sb.append('"').toString();
    }
}
