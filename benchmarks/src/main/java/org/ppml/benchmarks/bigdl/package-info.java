/**
 * A baseline written in the style of BigDL PPML's file encryption, for the Spark scan benchmark:
 * one AES-CBC stream per file behind a Hadoop {@code CompressionCodec}, with an HMAC over the
 * whole ciphertext at the end. Not splittable, and plaintext is handed out before the HMAC is
 * checked. It exists only to be measured against; nothing outside {@code benchmarks} may use it.
 */
package org.ppml.benchmarks.bigdl;
