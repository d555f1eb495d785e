/**
 * Files read and written safely. Crash-safe output ({@link org.ppml.crypto.fs.AtomicFile}): a file
 * is either its old content or its complete new content, never a mix, and secret files are created
 * owner-only (0600) from the first byte. Bounded input ({@link org.ppml.crypto.fs.BoundedFile}): a
 * small file named by configuration is read whole but never beyond a bound.
 */
package org.ppml.crypto.fs;
