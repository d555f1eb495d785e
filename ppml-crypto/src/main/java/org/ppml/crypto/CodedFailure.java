package org.ppml.crypto;

import java.util.List;

/**
 * What the project's exceptions tell a front end about themselves, so that the CLI (and any other
 * caller) maps them to exit codes and machine-readable errors without knowing their types.
 */
public interface CodedFailure {
  /** A stable, machine-readable code, such as {@code integrity} or {@code kms.denied}. */
  String code();

  /**
   * True for a negative verdict about well-formed input (tampered, rejected, denied: CLI exit 1);
   * false for an error (usage, I/O, malformed input, an unreachable service: exit 2).
   */
  boolean isVerdict();

  /** The individual reasons behind a verdict, such as the policy violations a broker named. */
  default List<String> violations() {
    return List.of();
  }
}
