package dev.lxrun.cli.compat;

/** Whether a mode can run on this machine; an unavailable mode is reported, never a failure. */
public sealed interface Availability {
    record Available(String detail) implements Availability {}

    record Unavailable(String reason) implements Availability {}

    default boolean available() {
        return this instanceof Available;
    }

    default String text() {
        return switch (this) {
            case Available a -> a.detail();
            case Unavailable u -> u.reason();
        };
    }
}
