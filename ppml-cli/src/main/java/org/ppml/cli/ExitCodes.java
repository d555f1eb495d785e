package org.ppml.cli;

/** The exit codes of docs/cli.md. */
public final class ExitCodes {
  /** Success, or verified and allowed. */
  public static final int OK = 0;

  /** A negative verdict: rejected, tampered, denied. */
  public static final int NEGATIVE = 1;

  /** Usage, I/O or parse errors. */
  public static final int ERROR = 2;

  private ExitCodes() {}
}
