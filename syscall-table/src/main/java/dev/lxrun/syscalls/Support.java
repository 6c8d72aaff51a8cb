package dev.lxrun.syscalls;

/** How far lxrun implements a syscall, as `lxrun syscalls` reports it. */
public sealed interface Support {
    /** Behaves as on Linux for every argument Linux accepts. */
    record Supported() implements Support {}

    /** Works for common uses; the note says what is missing or different. */
    record Partial(String note) implements Support {}

    /** Returns -ENOSYS; the reason says why it is absent. */
    record Unimplemented(String reason) implements Support {}

    Supported SUPPORTED = new Supported();

    default String label() {
        return switch (this) {
            case Supported s -> "supported";
            case Partial p -> "partial";
            case Unimplemented u -> "unimplemented";
        };
    }

    /** The note of a partial entry or the reason of an unimplemented one; empty when supported. */
    default String detail() {
        return switch (this) {
            case Supported s -> "";
            case Partial p -> p.note();
            case Unimplemented u -> u.reason();
        };
    }
}
