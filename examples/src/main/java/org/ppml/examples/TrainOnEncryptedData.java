package org.ppml.examples;

import java.nio.file.Path;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * MLlib training on encrypted data: the feature table is encrypted Parquet, and the training code
 * is the standard MLlib pipeline, unchanged.
 *
 * <pre>examples/run TrainOnEncryptedData [WORK_DIR] [ROWS]</pre>
 */
public final class TrainOnEncryptedData {
  private TrainOnEncryptedData() {}

  /** Test-set area under ROC. */
  public static double run(Path work, int rows) throws Exception {
    try (ExampleSession s = ExampleSession.start(work, "features", "features")) {
      SparkSession spark = s.spark();
      // A label that depends on the features, plus noise, so there is something to learn.
      spark
          .sql("SELECT rand(1) AS x1, rand(2) AS x2, rand(3) AS noise FROM range(0, " + rows + ")")
          .selectExpr("x1", "x2", "CAST(x1 + 0.5 * x2 + 0.3 * noise > 0.9 AS DOUBLE) AS label")
          .write()
          .format("ppml")
          .option("format", "parquet")
          .mode("overwrite")
          .save(s.path("features").toString());

      Dataset<Row> features =
          spark
              .read()
              .format("ppml")
              .option("format", "parquet")
              .load(s.path("features").toString());
      Dataset<Row>[] split = features.randomSplit(new double[] {0.8, 0.2}, 7);
      VectorAssembler assembler =
          new VectorAssembler().setInputCols(new String[] {"x1", "x2"}).setOutputCol("features");
      var model =
          new Pipeline()
              .setStages(new PipelineStage[] {assembler, new LogisticRegression()})
              .fit(split[0]);
      double auc = new BinaryClassificationEvaluator().evaluate(model.transform(split[1]));
      System.out.printf("area under ROC on held-out encrypted data: %.3f%n", auc);
      return auc;
    }
  }

  public static void main(String[] args) throws Exception {
    run(ExampleSession.workDir(args, "mllib"), ExampleSession.rows(args, 100_000));
  }
}
