package org.ppml.cli.quickstart;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.SplittableRandom;

/**
 * A deterministic TPC-H-like data set: {@code orders} and {@code lineitem} as CSV part files with a
 * header. The same scale gives the same bytes on every machine.
 *
 * <p>Deviations from TPC-H, on purpose: {@code o_mktsegment} is carried on {@code orders} (TPC-H
 * keeps it on {@code customer}) so that Q3 needs no third table; and {@code l_returnflag = 'R'} is
 * more likely for late, discounted items, so that the training step has a signal to learn. Money
 * columns have two decimals, so sums are exact under Spark's decimal arithmetic and results can be
 * compared with the plaintext run byte for byte.
 */
public final class TpchData {
  /** Orders per MB of total data, measured on this generator (lineitem dominates the size). */
  private static final int ORDERS_PER_MB = 2_170;

  private static final int PARTS = 4;
  private static final LocalDate START = LocalDate.of(1992, 1, 1);
  private static final String[] PRIORITIES = {
    "1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW"
  };
  private static final String[] SEGMENTS = {
    "AUTOMOBILE", "BUILDING", "FURNITURE", "HOUSEHOLD", "MACHINERY"
  };
  private static final String[] INSTRUCT = {
    "DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN"
  };
  private static final String[] MODES = {"REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB"};

  public static final String ORDERS_SCHEMA =
      "o_orderkey BIGINT, o_custkey BIGINT, o_orderstatus STRING, o_totalprice DECIMAL(12,2), "
          + "o_orderdate DATE, o_orderpriority STRING, o_clerk STRING, o_shippriority INT, o_mktsegment STRING";
  public static final String LINEITEM_SCHEMA =
      "l_orderkey BIGINT, l_partkey BIGINT, l_suppkey BIGINT, l_linenumber INT, l_quantity DECIMAL(12,2), "
          + "l_extendedprice DECIMAL(12,2), l_discount DECIMAL(4,2), l_tax DECIMAL(4,2), l_returnflag STRING, "
          + "l_linestatus STRING, l_shipdate DATE, l_commitdate DATE, l_receiptdate DATE, l_shipinstruct STRING, "
          + "l_shipmode STRING";

  /** What was written. */
  public record Summary(long orders, long lineitems, long bytes) {}

  private TpchData() {}

  /**
   * Writes {@code dir/orders/part-N.csv} and {@code dir/lineitem/part-N.csv} for about {@code
   * megabytes} MB.
   */
  public static Summary generate(Path dir, double megabytes) throws IOException {
    long orders = Math.max(50, Math.round(megabytes * ORDERS_PER_MB));
    SplittableRandom random = new SplittableRandom(19_920_101L);
    Files.createDirectories(dir.resolve("orders"));
    Files.createDirectories(dir.resolve("lineitem"));
    long lineitems = 0;
    long perPart = (orders + PARTS - 1) / PARTS;
    for (int part = 0; part < PARTS; part++) {
      try (BufferedWriter o = writer(dir.resolve("orders/part-" + part + ".csv"));
          BufferedWriter l = writer(dir.resolve("lineitem/part-" + part + ".csv"))) {
        o.write(
            "o_orderkey,o_custkey,o_orderstatus,o_totalprice,o_orderdate,o_orderpriority,o_clerk,o_shippriority,o_mktsegment\n");
        l.write(
            "l_orderkey,l_partkey,l_suppkey,l_linenumber,l_quantity,l_extendedprice,l_discount,l_tax,"
                + "l_returnflag,l_linestatus,l_shipdate,l_commitdate,l_receiptdate,l_shipinstruct,l_shipmode\n");
        long first = part * perPart + 1;
        long last = Math.min(orders, first + perPart - 1);
        for (long key = first; key <= last; key++) {
          lineitems += order(o, l, key, random);
        }
      }
    }
    long bytes = 0;
    for (String table : new String[] {"orders", "lineitem"}) {
      try (var files = Files.list(dir.resolve(table))) {
        for (Path f : files.toList()) {
          bytes += Files.size(f);
        }
      }
    }
    return new Summary(orders, lineitems, bytes);
  }

  private static BufferedWriter writer(Path file) throws IOException {
    return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
  }

  private static int order(BufferedWriter o, BufferedWriter l, long key, SplittableRandom r)
      throws IOException {
    LocalDate orderDate = START.plusDays(r.nextInt(2400));
    int lines = 1 + r.nextInt(7);
    long totalCents = 0;
    StringBuilder items = new StringBuilder();
    for (int n = 1; n <= lines; n++) {
      long partKey = 1 + r.nextInt(200_000);
      int quantity = 1 + r.nextInt(50);
      long priceCents = quantity * (90_000L + partKey % 20_001 * 10 + r.nextInt(100)) / 100;
      int discount = r.nextInt(11);
      int tax = r.nextInt(9);
      LocalDate ship = orderDate.plusDays(1 + r.nextInt(121));
      LocalDate commit = orderDate.plusDays(30 + r.nextInt(61));
      LocalDate receipt = ship.plusDays(1 + r.nextInt(30));
      boolean late = receipt.isAfter(commit);
      // Returns cluster on late, discounted deliveries: a signal for the training step.
      double returnOdds = 0.08 + (late ? 0.35 : 0) + discount * 0.03;
      String returnFlag =
          receipt.isAfter(LocalDate.of(1995, 6, 17))
              ? "N"
              : (r.nextDouble() < returnOdds ? "R" : "A");
      String lineStatus = ship.isAfter(LocalDate.of(1995, 6, 17)) ? "O" : "F";
      totalCents += priceCents;
      items
          .append(key)
          .append(',')
          .append(partKey)
          .append(',')
          .append(1 + r.nextInt(10_000))
          .append(',')
          .append(n)
          .append(',')
          .append(quantity)
          .append(".00,")
          .append(cents(priceCents))
          .append(',')
          .append("0.")
          .append(pad2(discount))
          .append(",0.")
          .append(pad2(tax))
          .append(',')
          .append(returnFlag)
          .append(',')
          .append(lineStatus)
          .append(',')
          .append(ship)
          .append(',')
          .append(commit)
          .append(',')
          .append(receipt)
          .append(',')
          .append(INSTRUCT[r.nextInt(INSTRUCT.length)])
          .append(',')
          .append(MODES[r.nextInt(MODES.length)])
          .append('\n');
    }
    l.write(items.toString());
    o.write(
        key
            + ","
            + (1 + r.nextInt(150_000))
            + ","
            + (orderDate.isAfter(LocalDate.of(1995, 6, 17)) ? "O" : "F")
            + ","
            + cents(totalCents)
            + ","
            + orderDate
            + ","
            + PRIORITIES[r.nextInt(PRIORITIES.length)]
            + String.format(",Clerk#%09d,0,", 1 + r.nextInt(1000))
            + SEGMENTS[r.nextInt(SEGMENTS.length)]
            + "\n");
    return lines;
  }

  private static String cents(long cents) {
    return cents / 100 + "." + pad2((int) (cents % 100));
  }

  private static String pad2(int v) {
    return v < 10 ? "0" + v : Integer.toString(v);
  }
}
