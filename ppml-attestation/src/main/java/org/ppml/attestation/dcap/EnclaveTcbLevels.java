package org.ppml.attestation.dcap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.ppml.attestation.collateral.EnclaveTcbLevel;

/**
 * Choosing an ISV-SVN keyed TCB level (QE Identity, TDX module identity): the highest level whose
 * SVN the enclave meets, after sorting, never in JSON order.
 */
final class EnclaveTcbLevels {
  private EnclaveTcbLevels() {}

  static Optional<EnclaveTcbLevel> highestMet(List<EnclaveTcbLevel> levels, int isvSvn) {
    List<EnclaveTcbLevel> sorted = new ArrayList<>(levels);
    sorted.sort(Comparator.comparingInt(EnclaveTcbLevel::isvSvn).reversed());
    for (EnclaveTcbLevel l : sorted) {
      if (isvSvn >= l.isvSvn()) {
        return Optional.of(l);
      }
    }
    return Optional.empty();
  }

  /** True if {@code (value & mask) == (expected & mask)} bytewise; lengths must be equal. */
  static boolean maskedEquals(byte[] value, byte[] expected, byte[] mask) {
    if (value.length != expected.length || value.length != mask.length) {
      return false;
    }
    int diff = 0;
    for (int i = 0; i < value.length; i++) {
      diff |= (value[i] & mask[i]) ^ (expected[i] & mask[i]);
    }
    return diff == 0;
  }
}
