/**
 * Crash-safe file output: a file is either its old content or its complete new content, never a
 * mix, and secret files are created owner-only (0600) from the first byte.
 */
package org.ppml.crypto.fs;
