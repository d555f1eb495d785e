/**
 * TDX evidence through Linux configfs-tsm ({@code /sys/kernel/config/tsm/report}, Linux 6.7+): the
 * {@code tdx} evidence provider and its factory.
 *
 * <p>The report root is a parameter, and entry creation and removal sit behind {@link
 * org.ppml.attestation.tdx.TsmReportEntries}, because configfs creates attribute files on {@code
 * mkdir} and a test's plain directory tree cannot; everything else is the same file I/O as on a TDX
 * guest.
 */
package org.ppml.attestation.tdx;
