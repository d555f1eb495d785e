/**
 * The {@code ppml} command line (picocli), following docs/cli.md.
 *
 * <p>Every command takes {@code --json} (one JSON object on stdout) and {@code --verbose} (stack
 * traces on errors). Exit codes: 0 success, 1 a negative verdict (tampered, rejected, denied), 2
 * usage, I/O or parse errors. Errors are one line on stderr naming what and where.
 *
 * <p>Sub-packages hold the commands by domain: {@code keys}, {@code files} (encrypt, decrypt,
 * inspect, rewrap), {@code crypto}, {@code bench}, {@code quickstart}, {@code dev} and {@code
 * quote} (attestation), {@code kms} (the key broker and its clients), {@code enclave} and {@code
 * gramine} (enclave build and signing). This package holds only the entry point and what every
 * command shares. {@code ppml kms serve} takes no {@code --json} (it serves until stopped), and
 * {@code ppml kms audit --json} prints one object per record rather than one in all.
 */
package org.ppml.cli;
