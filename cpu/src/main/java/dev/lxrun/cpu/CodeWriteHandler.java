package dev.lxrun.cpu;

/** Told of a guest store into executable memory (lxrun's own Unicorn build, patch 0005). */
@FunctionalInterface
public interface CodeWriteHandler {
    void onCodeWrite(Engine engine, long address, long size);
}
