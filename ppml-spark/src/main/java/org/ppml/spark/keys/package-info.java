/**
 * Data keys inside a Spark job: which component may hold which form of a key.
 *
 * <p>The driver asks for wrapped data keys only and hands them to write jobs ({@link
 * org.ppml.spark.keys.JobDataKey}). Executors turn wrapped keys into plaintext through the JVM's
 * {@link org.ppml.crypto.kms.Kms} ({@link org.ppml.spark.keys.KeyReleases}): a local store in dev
 * mode, the attested key broker ({@code ppml+https}) or a KBS ({@code kbs+https}) in production.
 * They keep released keys in a bounded, expiring {@link org.ppml.spark.keys.DataKeyCache} that
 * zeroes what it drops. Plaintext keys never enter Spark or Hadoop configuration.
 */
package org.ppml.spark.keys;
