/**
 * Parquet modular encryption (columnar keys) with keys from the {@code Kms} SPI: option {@code
 * encryption=pme} with {@code format=parquet}. Parquet encrypts columns and footer itself; {@link
 * org.ppml.spark.pme.PpmlKmsClient} wraps its keys through the same key release as whole-file
 * encryption, so the files are plain Parquet paths, not {@code ppml+} ones.
 */
package org.ppml.spark.pme;
