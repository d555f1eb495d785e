package org.ppml.crypto.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one way this project configures Jackson for JSON it did not write itself: broker requests and
 * responses, KBS evidence, eHSM responses, Intel collateral, policies, the key-store file, the
 * Parquet KMS client's key material, user-supplied option and policy files.
 *
 * <ul>
 *   <li>Duplicate members are an error: a document whose meaning depends on which duplicate a
 *       parser keeps (signed collateral, a policy) must not be accepted.
 *   <li>Nesting depth, string length and number length are bounded by {@link
 *       StreamReadConstraints}, so hostile input costs bounded memory and time. Callers bound the
 *       document itself before parsing (Jackson 2.15 has no document-length limit).
 *   <li>Trailing tokens after the value, and unknown properties when binding to a type, are errors.
 * </ul>
 *
 * Unknown members of a tree ({@code readTree}) are checked by each format's parser, which knows
 * which members it allows.
 */
public final class StrictJsonMapper {
  /** The default nesting bound, deep enough for every format here. */
  public static final int DEFAULT_MAX_DEPTH = 32;

  /** The default bound on one string, in characters. */
  public static final int DEFAULT_MAX_STRING = 1 << 20;

  // Longer numbers are never meaningful here and are expensive to parse as BigDecimal.
  private static final int MAX_NUMBER_LENGTH = 32;

  private StrictJsonMapper() {}

  /** A strict mapper with the default bounds. */
  public static ObjectMapper create() {
    return create(DEFAULT_MAX_DEPTH, DEFAULT_MAX_STRING);
  }

  /**
   * A strict mapper that allows at most {@code maxDepth} levels and strings of {@code maxString}.
   */
  public static ObjectMapper create(int maxDepth, int maxString) {
    return JsonMapper.builder(factory(maxDepth, maxString))
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .build();
  }

  /**
   * The strict parser factory behind {@link #create(int, int)}, for streaming parsers that need
   * character offsets (a signed body cut from its raw text).
   */
  public static JsonFactory factory(int maxDepth, int maxString) {
    if (maxDepth < 1 || maxString < 1) {
      throw new IllegalArgumentException("JSON bounds must be positive");
    }
    return JsonFactory.builder()
        .streamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(maxDepth)
                .maxStringLength(maxString)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .build())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
  }
}
