package org.ppml.graphene.elf;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ppml.graphene.TestVectors;

class ElfProgramHeadersTest {

  @Test
  void readsLibpalSegments() throws Exception {
    ElfProgramHeaders elf =
        ElfProgramHeaders.parse(TestVectors.read("sigstruct/gramine-v1.9-a/libpal.so"));
    assertEquals(0x1000, elf.entryPoint());
    assertEquals(4, elf.loadSegments().size());
    LoadSegment last = elf.loadSegments().get(3);
    assertEquals(
        new LoadSegment(0x2ef8, 0x3ef8, 0x10c, 0x4f48, LoadSegment.PF_R | LoadSegment.PF_W), last);
    assertEquals(LoadSegment.PF_R | LoadSegment.PF_X, elf.loadSegments().get(1).flags());
  }

  @Test
  void hostileFilesGiveTypedErrors() throws Exception {
    byte[] good = TestVectors.read("sigstruct/gramine-v1.9-a/libpal.so");
    assertRejected(new byte[0], "shorter");
    assertRejected(Arrays.copyOf(good, 63), "shorter");
    byte[] magic = good.clone();
    magic[1] = 'X';
    assertRejected(magic, "magic");
    byte[] class32 = good.clone();
    class32[4] = 1;
    assertRejected(class32, "ELF64");
    byte[] bigEndian = good.clone();
    bigEndian[5] = 2;
    assertRejected(bigEndian, "little-endian");
    // Program header table cut off.
    assertRejected(Arrays.copyOf(good, 64 + 56 * 3), "program header table");
    ByteBuffer b;
    byte[] phoff = good.clone();
    ByteBuffer.wrap(phoff).order(ByteOrder.LITTLE_ENDIAN).putLong(32, Long.MAX_VALUE - 10);
    assertRejected(phoff, "program header table");
    byte[] entsize = good.clone();
    ByteBuffer.wrap(entsize).order(ByteOrder.LITTLE_ENDIAN).putShort(54, (short) 32);
    assertRejected(entsize, "e_phentsize");
    byte[] xnum = good.clone();
    ByteBuffer.wrap(xnum).order(ByteOrder.LITTLE_ENDIAN).putShort(56, (short) 0xffff);
    assertRejected(xnum, "PN_XNUM");
    // Segment 3's file range past the end: p_filesz huge.
    byte[] filesz = good.clone();
    b = ByteBuffer.wrap(filesz).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(64 + 3 * 56 + 32, 1L << 40);
    b.putLong(64 + 3 * 56 + 40, 1L << 41);
    assertRejected(filesz, "runs past the end");
    byte[] offset = good.clone();
    ByteBuffer.wrap(offset).order(ByteOrder.LITTLE_ENDIAN).putLong(64 + 3 * 56 + 8, Long.MAX_VALUE);
    assertRejected(offset, "runs past the end");
    byte[] memsz = good.clone();
    ByteBuffer.wrap(memsz).order(ByteOrder.LITTLE_ENDIAN).putLong(64 + 3 * 56 + 40, 1);
    assertRejected(memsz, "smaller than p_filesz");
    byte[] vaddr = good.clone();
    ByteBuffer.wrap(vaddr).order(ByteOrder.LITTLE_ENDIAN).putLong(64 + 3 * 56 + 16, -4096);
    assertRejected(vaddr, "1 TiB");

    Random random = new Random(3);
    for (int i = 0; i < 500; i++) {
      byte[] junk = good.clone();
      for (int k = 0; k < 4; k++) {
        junk[random.nextInt(64 + 8 * 56)] = (byte) random.nextInt();
      }
      try {
        ElfProgramHeaders.parse(junk);
      } catch (ElfFormatException expected) {
        // typed; anything else fails the test
      }
    }
  }

  private static void assertRejected(byte[] elf, String part) {
    ElfFormatException e =
        assertThrows(ElfFormatException.class, () -> ElfProgramHeaders.parse(elf));
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
