/**
 * The {@code ppml+<scheme>://} Hadoop FileSystem: any FileSystem, seen in plaintext.
 *
 * <p>It is the one place where Spark's I/O meets the PPML v1 format, which is why the data source
 * and plain {@code ppml+} paths behave alike: RDDs, SQL and third-party formats all go through
 * {@link org.ppml.spark.fs.PpmlFileSystem}. Reads are seekable by segment ({@link
 * org.ppml.spark.fs.DecryptingFSInputStream}); writes encrypt and report plaintext positions. Keys
 * come from {@link org.ppml.spark.keys}; nothing here holds a key longer than one open file.
 */
package org.ppml.spark.fs;
