package org.ppml.spark.keys;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.ppml.crypto.kms.WrappedKey;

/**
 * The wrapped data key a driver hands to the tasks of one write job, through the job's Hadoop
 * configuration. Only the wrapped form travels; each executor unwraps it through its {@link
 * KeyRelease}, so every file of the dataset shares one data key (DESIGN.md §4).
 *
 * @param kmsReference the KMS that wrapped it, as file headers name it
 * @param wrapped the wrapped data key
 */
public record JobDataKey(String kmsReference, WrappedKey wrapped) {
  /** Configuration key of the KMS reference. */
  public static final String KMS = "spark.ppml.job.kms";

  /** Configuration key of the primary key name. */
  public static final String KEY_NAME = "spark.ppml.job.keyName";

  /** Configuration key of the primary key version. */
  public static final String KEY_VERSION = "spark.ppml.job.keyVersion";

  /** Configuration key of the wrapped data key, base64. */
  public static final String WRAPPED_KEY = "spark.ppml.job.wrappedKey";

  public JobDataKey {
    Objects.requireNonNull(kmsReference, "kmsReference");
    Objects.requireNonNull(wrapped, "wrapped");
  }

  /** The entries to add to a write job's configuration. */
  public Map<String, String> toEntries() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put(KMS, kmsReference);
    out.put(KEY_NAME, wrapped.keyName());
    out.put(KEY_VERSION, Integer.toString(wrapped.keyVersion()));
    out.put(WRAPPED_KEY, Base64.getEncoder().encodeToString(wrapped.wrapped()));
    return out;
  }

  /** The job key in {@code conf}, if a driver put one there. */
  public static Optional<JobDataKey> from(Configuration conf) {
    String wrappedText = conf.get(WRAPPED_KEY);
    if (wrappedText == null) {
      return Optional.empty();
    }
    String kms = conf.get(KMS);
    String name = conf.get(KEY_NAME);
    int version = conf.getInt(KEY_VERSION, 0);
    if (kms == null || name == null || version < 1) {
      throw new IllegalArgumentException(
          "incomplete write key in the job configuration: "
              + KMS
              + ", "
              + KEY_NAME
              + " and "
              + KEY_VERSION
              + " must be set with "
              + WRAPPED_KEY);
    }
    byte[] wrapped;
    try {
      wrapped = Base64.getDecoder().decode(wrappedText);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(WRAPPED_KEY + " is not valid base64");
    }
    return Optional.of(new JobDataKey(kms, new WrappedKey(name, version, wrapped)));
  }
}
