package org.ppml.spark.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Equality of small query results (a few hundred rows) by collecting them: the same schema and the
 * same multiset of rows. Cheaper than {@link DataFrameAssertions}, whose Spark-side comparison of a
 * table-format scan ran thousands of tasks per comparison.
 */
public final class SmallTables {
  private SmallTables() {}

  public static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
    assertEquals(expected.schema().simpleString(), actual.schema().simpleString(), "schema");
    assertEquals(sorted(expected), sorted(actual));
  }

  private static List<String> sorted(Dataset<Row> d) {
    return d.collectAsList().stream().map(Row::toString).sorted().toList();
  }
}
