package org.ppml.spark.testing;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * DataFrame equality from spark-testing-base, for JUnit 5 tests that bring their own session.
 *
 * <p>spark-testing-base's comparisons live in {@code DataFrameSuiteBaseLike}, which {@link
 * JavaDataFrameSuiteBase} implements for JUnit 4: its {@code @Before} would start a second
 * SparkContext, but JUnit 5 never runs it, and the comparisons only use the session of the
 * DataFrames they are given. So one instance serves as a plain assertion library here. Failures are
 * {@link AssertionError}s, which JUnit 5 reports as test failures.
 */
public final class DataFrameAssertions {
  private static final JavaDataFrameSuiteBase BASE = new JavaDataFrameSuiteBase();

  private DataFrameAssertions() {}

  /**
   * Equal schemas and the same multiset of rows, in any order: spark-testing-base's {@code
   * assertDataFrameNoOrderEquals}. Spark computes it (a group-by count on each side and a null-safe
   * full outer join), so duplicates count and nothing depends on row order.
   */
  public static void assertEqualAnyOrder(Dataset<Row> expected, Dataset<Row> actual) {
    BASE.assertDataFrameNoOrderEquals(expected, actual);
  }

  /**
   * The same multiset of rows, in any order, without comparing schemas: spark-testing-base's {@code
   * assertDataFrameDataEquals}. For readers that legitimately change the schema, such as Parquet,
   * which reads every column back as nullable.
   */
  public static void assertSameRowsAnyOrder(Dataset<Row> expected, Dataset<Row> actual) {
    BASE.assertDataFrameDataEquals(expected, actual);
  }
}
