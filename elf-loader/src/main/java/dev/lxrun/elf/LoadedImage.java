package dev.lxrun.elf;

/** Where an ELF image landed: its load bias, entry point, program headers and address span. */
public record LoadedImage(long bias, long entry, long phdrAddr, int phnum, int phentsize, long lowAddr, long highAddr) {}
