package org.ppml.kms;

import java.util.HashMap;
import java.util.Map;

/**
 * Samples of a Prometheus text-format scrape, by series ({@code name{labels}} exactly as written),
 * read from the format's rules: '#' lines are metadata, a sample is a series and a value separated
 * by the last space.
 */
record MetricsText(String text, Map<String, Double> samples) {
  static MetricsText parse(String text) {
    Map<String, Double> samples = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return new MetricsText(text, samples);
  }

  /** The value of {@code series}, 0 when absent (a counter never incremented is not written). */
  double value(String series) {
    return samples.getOrDefault(series, 0.0);
  }

  /** How much {@code series} grew since {@code before}. */
  double delta(MetricsText before, String series) {
    return value(series) - before.value(series);
  }
}
