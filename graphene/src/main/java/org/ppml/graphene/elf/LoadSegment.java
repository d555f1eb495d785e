package org.ppml.graphene.elf;

/**
 * One PT_LOAD program header.
 *
 * @param fileOffset p_offset: where the segment's bytes start in the file
 * @param vaddr p_vaddr: where they go in memory, relative to the load base
 * @param fileSize p_filesz: bytes taken from the file
 * @param memSize p_memsz: bytes in memory; the tail past fileSize is zero (bss)
 * @param flags p_flags: {@link #PF_X}, {@link #PF_W}, {@link #PF_R}
 */
public record LoadSegment(long fileOffset, long vaddr, long fileSize, long memSize, int flags) {
  /** Executable. */
  public static final int PF_X = 1;

  /** Writable. */
  public static final int PF_W = 2;

  /** Readable. */
  public static final int PF_R = 4;
}
