package org.ppml.cli.quickstart;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The Spark step of the quickstart, wherever it runs: in this JVM ({@link QuickstartSparkJob}) or
 * inside Gramine ({@link GramineQuickstartSpark}). The quickstart runs the same checks on the
 * results either way.
 */
interface QuickstartSpark extends AutoCloseable {

  /** TPC-H Q1, Q3, Q6 over the encrypted tables, each checked against the plaintext run. */
  QuickstartSparkJob.Result run(Path plain, Path encrypted, Path results, Consumer<String> progress)
      throws Exception;

  /** Logistic regression on a feature table read from encrypted lineitem; returns test AUC. */
  double train(Consumer<String> progress) throws Exception;

  /**
   * Reads the encrypted lineitem once more with every released key forgotten, after the caller
   * changed the policy; returns null if it succeeded, else why it was refused.
   */
  String readAfterForgettingKeys(Path encrypted) throws Exception;

  @Override
  void close() throws Exception;
}
