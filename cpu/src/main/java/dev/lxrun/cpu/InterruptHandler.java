package dev.lxrun.cpu;

/** Called on the emulating thread when the guest raises a CPU exception or INT n. */
@FunctionalInterface
public interface InterruptHandler {
    void onInterrupt(Engine engine, int vector);
}
