package org.ppml.crypto.kms;

import java.time.Instant;
import java.util.List;

/**
 * What a KMS tells about a primary key; never its material.
 *
 * @param name the key name
 * @param primaryVersion the version new data keys are wrapped under
 * @param versions all versions that still unwrap, ascending
 * @param enabled false once disabled
 * @param created when version 1 was created
 */
public record PrimaryKeyInfo(
    String name, int primaryVersion, List<Integer> versions, boolean enabled, Instant created) {
  public PrimaryKeyInfo {
    versions = List.copyOf(versions);
  }
}
