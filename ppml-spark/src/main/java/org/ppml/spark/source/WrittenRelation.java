package org.ppml.spark.source;

import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.sources.BaseRelation;
import org.apache.spark.sql.types.StructType;

/**
 * What a {@code format("ppml")} write returns to Spark: the written schema. Spark only inspects it
 * (CTAS), so the output is not listed and re-read just to build it.
 */
final class WrittenRelation extends BaseRelation {
  private final SQLContext sqlContext;
  private final StructType schema;

  WrittenRelation(SQLContext sqlContext, StructType schema) {
    this.sqlContext = sqlContext;
    this.schema = schema;
  }

  @Override
  public SQLContext sqlContext() {
    return sqlContext;
  }

  @Override
  public StructType schema() {
    return schema;
  }
}
