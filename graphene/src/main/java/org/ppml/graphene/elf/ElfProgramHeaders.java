package org.ppml.graphene.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The entry point and PT_LOAD segments of an ELF64 little-endian x86-64 file.
 *
 * <p>Checks, before using any of them: the magic, class and byte order; that the program header
 * table lies inside the file with the ELF64 entry size; and that every PT_LOAD segment's file range
 * lies inside the file, its file size does not exceed its memory size, and its addresses do not
 * overflow.
 */
public final class ElfProgramHeaders {

  /** More program headers than this is not a PAL; real ones have about ten. */
  public static final int MAX_PROGRAM_HEADERS = 4096;

  /** Segment memory sizes and addresses beyond this (1 TiB) cannot be inside an enclave layout. */
  public static final long MAX_ADDRESS = 1L << 40;

  private static final int PT_LOAD = 1;
  private static final int EHDR_SIZE = 64;
  private static final int PHDR_SIZE = 56;

  private final long entryPoint;
  private final List<LoadSegment> loadSegments;

  private ElfProgramHeaders(long entryPoint, List<LoadSegment> loadSegments) {
    this.entryPoint = entryPoint;
    this.loadSegments = List.copyOf(loadSegments);
  }

  /**
   * @param elf the whole file
   * @return its entry point and PT_LOAD segments, in file order
   * @throws ElfFormatException if the file is not a well-formed ELF64 LE file
   */
  public static ElfProgramHeaders parse(byte[] elf) throws ElfFormatException {
    if (elf.length < EHDR_SIZE) {
      throw new ElfFormatException(
          "ELF header: file is " + elf.length + " bytes, shorter than the 64-byte ELF64 header");
    }
    if (elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F') {
      throw new ElfFormatException("ELF header: bad magic, not an ELF file");
    }
    if (elf[4] != 2) {
      throw new ElfFormatException(
          "ELF header: EI_CLASS is " + elf[4] + ", only ELF64 (2) is supported");
    }
    if (elf[5] != 1) {
      throw new ElfFormatException(
          "ELF header: EI_DATA is " + elf[5] + ", only little-endian (1) is supported");
    }
    ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
    long entry = b.getLong(24);
    long phoff = b.getLong(32);
    int phentsize = Short.toUnsignedInt(b.getShort(54));
    int phnum = Short.toUnsignedInt(b.getShort(56));
    if (phnum == 0xffff) {
      throw new ElfFormatException(
          "ELF header: e_phnum is PN_XNUM (extended numbering), not supported");
    }
    if (phnum > MAX_PROGRAM_HEADERS) {
      throw new ElfFormatException(
          "ELF header: e_phnum " + phnum + " exceeds " + MAX_PROGRAM_HEADERS);
    }
    if (phnum > 0 && phentsize != PHDR_SIZE) {
      throw new ElfFormatException(
          "ELF header: e_phentsize is " + phentsize + ", ELF64 needs " + PHDR_SIZE);
    }
    if (phoff < 0 || phoff > elf.length || (long) phnum * PHDR_SIZE > elf.length - phoff) {
      throw new ElfFormatException(
          "ELF header: program header table (e_phoff "
              + phoff
              + ", "
              + phnum
              + " entries) runs past the end of the "
              + elf.length
              + "-byte file");
    }
    List<LoadSegment> segments = new ArrayList<>();
    for (int i = 0; i < phnum; i++) {
      int at = (int) phoff + i * PHDR_SIZE;
      if (b.getInt(at) != PT_LOAD) {
        continue;
      }
      int flags = b.getInt(at + 4);
      long offset = b.getLong(at + 8);
      long vaddr = b.getLong(at + 16);
      long filesz = b.getLong(at + 32);
      long memsz = b.getLong(at + 40);
      String where = "program header " + i + " (PT_LOAD)";
      if (offset < 0 || filesz < 0 || filesz > elf.length - offset || offset > elf.length) {
        throw new ElfFormatException(
            where
                + ": file range ["
                + offset
                + ", +"
                + filesz
                + ") runs past the end of the "
                + elf.length
                + "-byte file");
      }
      if (memsz < filesz) {
        throw new ElfFormatException(
            where + ": p_memsz " + memsz + " is smaller than p_filesz " + filesz);
      }
      if (vaddr < 0 || vaddr > MAX_ADDRESS || memsz > MAX_ADDRESS - vaddr) {
        throw new ElfFormatException(
            where
                + ": p_vaddr 0x"
                + Long.toHexString(vaddr)
                + " + p_memsz 0x"
                + Long.toHexString(memsz)
                + " exceeds 1 TiB");
      }
      segments.add(new LoadSegment(offset, vaddr, filesz, memsz, flags));
    }
    return new ElfProgramHeaders(entry, segments);
  }

  /**
   * @return e_entry
   */
  public long entryPoint() {
    return entryPoint;
  }

  /**
   * @return the PT_LOAD segments, in program header order
   */
  public List<LoadSegment> loadSegments() {
    return loadSegments;
  }
}
