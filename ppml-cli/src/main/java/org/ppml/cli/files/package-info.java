/**
 * {@code ppml encrypt|decrypt|inspect|rewrap}: PPML files and directory trees of them.
 *
 * <p>Outputs are staged beside their target and renamed into place only when every file succeeded,
 * so a failed run (for example a tampered input) leaves no partial output.
 */
package org.ppml.cli.files;
