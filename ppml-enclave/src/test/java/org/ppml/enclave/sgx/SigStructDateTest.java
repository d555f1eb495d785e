package org.ppml.enclave.sgx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The SIGSTRUCT DATE word (SDM: BCD 0xYYYYMMDD at offset 20, little-endian), zero included. */
class SigStructDateTest {

  @Test
  void theAllZeroWordIsItsOwnValueWithTheTextOfItsDigits() {
    assertEquals(SigStructDate.ZERO, SigStructDate.parse("0000-00-00"));
    assertEquals(0L, SigStructDate.ZERO.word());
    assertEquals("0000-00-00", SigStructDate.ZERO.toString());
    assertEquals(Optional.of(SigStructDate.ZERO), SigStructDate.fromWord(0));
    assertTrue(SigStructDate.ZERO.localDate().isEmpty());
  }

  @Test
  void realDatesKeepTheirBcdWord() {
    SigStructDate d = SigStructDate.parse("2025-01-31");
    assertEquals(0x20250131L, d.word());
    assertEquals(Optional.of(d), SigStructDate.fromWord(0x20250131L));
    assertEquals(LocalDate.of(2025, 1, 31), d.localDate().orElseThrow());
    // Year 0 is a real year: its word is not zero.
    assertEquals(0x00000101L, SigStructDate.parse("0000-01-01").word());
  }

  @Test
  void otherNonDatesAreRefusedOnInputAndUnreadableOnOutput() {
    for (String bad : new String[] {"0000-00-01", "0000-01-00", "2025-02-30", "00000000", ""}) {
      assertThrows(IllegalArgumentException.class, () -> SigStructDate.parse(bad), bad);
    }
    assertTrue(SigStructDate.fromWord(0x20250230L).isEmpty(), "Feb 30");
    assertTrue(SigStructDate.fromWord(0x0000000aL).isEmpty(), "not BCD");
    assertTrue(SigStructDate.fromWord(0x00000001L).isEmpty(), "day without month");
  }

  @Test
  void aZeroDateBodyHasZeroBytesAtTheDateOffsetAndNothingElseDiffers() {
    byte[] mr = new byte[32];
    Arrays.fill(mr, (byte) 0x5a);
    SigStructBody dated =
        SigStructBody.builder().enclaveHash(mr).date(LocalDate.of(2016, 1, 9)).build();
    SigStructBody zero = SigStructBody.builder().enclaveHash(mr).date(SigStructDate.ZERO).build();
    byte[] a = dated.signedData();
    byte[] b = zero.signedData();
    assertArrayEquals(new byte[] {0x09, 0x01, 0x16, 0x20}, Arrays.copyOfRange(a, 20, 24));
    assertArrayEquals(new byte[4], Arrays.copyOfRange(b, 20, 24));
    Arrays.fill(a, 20, 24, (byte) 0);
    assertArrayEquals(a, b);
    assertEquals(Optional.of(SigStructDate.ZERO), zero.signingDate());
    assertArrayEquals(b, dated.withDate(SigStructDate.ZERO).signedData());
  }
}
