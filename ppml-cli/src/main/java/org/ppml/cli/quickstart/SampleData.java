package org.ppml.cli.quickstart;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.SplittableRandom;

/** A deterministic TPC-H-like {@code orders} CSV: the same seed and rows give the same bytes. */
final class SampleData {
  private static final String[] PRIORITIES = {"1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW"};
  private static final String[] STATUS = {"O", "F", "P"};

  private SampleData() {}

  static void writeOrders(Path file, int rows, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    LocalDate start = LocalDate.of(1992, 1, 1);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("o_orderkey,o_custkey,o_orderstatus,o_totalprice,o_orderdate,o_orderpriority,o_clerk,o_shippriority\n");
      for (int i = 1; i <= rows; i++) {
        w.write(Integer.toString(i));
        w.write(',');
        w.write(Integer.toString(1 + random.nextInt(150_000)));
        w.write(',');
        w.write(STATUS[random.nextInt(STATUS.length)]);
        w.write(',');
        w.write(String.format("%.2f", 900 + random.nextDouble() * 500_000));
        w.write(',');
        w.write(start.plusDays(random.nextInt(2400)).toString());
        w.write(',');
        w.write(PRIORITIES[random.nextInt(PRIORITIES.length)]);
        w.write(String.format(",Clerk#%09d,0%n", 1 + random.nextInt(1000)));
      }
    }
  }
}
