package org.ppml.spark.pme;

import java.io.Closeable;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.crypto.TagVerificationException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.PartitionedFile;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import org.ppml.crypto.IntegrityException;
import scala.Function1;
import scala.collection.AbstractIterator;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;

/**
 * Spark's Parquet format for reads under modular encryption ({@code encryption=pme}), which turns
 * Parquet's authentication failure into the project's {@link IntegrityException} (through {@link
 * PmeIntegrity}), so a job reading a file with a wrong key or a tampered part fails with the same
 * type and facts (file, part, key id) as the CLI, not with Parquet's "Tag mismatch!" inside a
 * generic read error. Everything else, including the vectorized reader, is Spark's own.
 */
public final class PmeParquetFileFormat extends ParquetFileFormat {
  private static final long serialVersionUID = 1L;

  @Override
  public Function1<PartitionedFile, Iterator<InternalRow>> buildReaderWithPartitionValues(
      SparkSession sparkSession,
      StructType dataSchema,
      StructType partitionSchema,
      StructType requiredSchema,
      scala.collection.Seq<Filter> filters,
      scala.collection.immutable.Map<String, String> options,
      Configuration hadoopConf) {
    Function1<PartitionedFile, Iterator<InternalRow>> read =
        super.buildReaderWithPartitionValues(
            sparkSession,
            dataSchema,
            partitionSchema,
            requiredSchema,
            filters,
            options,
            hadoopConf);
    return new Checked(read, new SerializableConfiguration(hadoopConf));
  }

  @Override
  public String toString() {
    return "Parquet (PPML modular encryption)";
  }

  /** The inner reader, with authentication failures located and retyped. */
  private static final class Checked
      extends AbstractFunction1<PartitionedFile, Iterator<InternalRow>> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Function1<PartitionedFile, Iterator<InternalRow>> read;
    private final SerializableConfiguration conf;

    Checked(
        Function1<PartitionedFile, Iterator<InternalRow>> read, SerializableConfiguration conf) {
      this.read = read;
      this.conf = conf;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Iterator<InternalRow> apply(PartitionedFile file) {
      try {
        // The vectorized reader's "rows" are ColumnarBatches (erased generics): pass them through
        // as objects, never cast to InternalRow.
        Iterator<Object> inner = (Iterator<Object>) (Iterator<?>) read.apply(file);
        return (Iterator<InternalRow>)
            (Iterator<?>) new CheckedIterator(inner, file.toPath(), conf.value());
      } catch (Exception e) { // Scala code throws checked exceptions undeclared
        throw retyped(e, file.toPath(), conf.value());
      }
    }
  }

  /** Passes rows (or columnar batches) through; closes what Spark would close. */
  private static final class CheckedIterator extends AbstractIterator<Object> implements Closeable {
    private final Iterator<Object> inner;
    private final Path path;
    private final Configuration conf;

    CheckedIterator(Iterator<Object> inner, Path path, Configuration conf) {
      this.inner = inner;
      this.path = path;
      this.conf = conf;
    }

    @Override
    public boolean hasNext() {
      try {
        return inner.hasNext();
      } catch (Exception e) { // Scala code throws checked exceptions undeclared
        throw retyped(e, path, conf);
      }
    }

    @Override
    public Object next() {
      try {
        return inner.next();
      } catch (Exception e) { // Scala code throws checked exceptions undeclared
        throw retyped(e, path, conf);
      }
    }

    @Override
    public void close() throws IOException {
      if (inner instanceof Closeable c) {
        c.close();
      }
    }
  }

  /**
   * Parquet's authentication failure as an {@link IntegrityException} in an {@link
   * UncheckedIOException} (Spark's iterators declare nothing; the task fails with it as the cause),
   * anything else rethrown unchanged.
   */
  static RuntimeException retyped(Exception e, Path path, Configuration conf) {
    TagVerificationException tag = PmeIntegrity.tagFailure(e);
    if (tag == null) {
      IntegrityException keyFailure = PmeIntegrity.keyFailure(e);
      if (keyFailure != null) {
        return new UncheckedIOException(path + ": " + keyFailure.getMessage(), keyFailure);
      }
      throw PmeParquetFileFormat.<RuntimeException>sneaky(e);
    }
    IntegrityException integrity = PmeIntegrity.locate(conf, path, path.toString(), tag);
    return new UncheckedIOException(integrity.getMessage(), integrity);
  }

  @SuppressWarnings("unchecked")
  private static <T extends Exception> T sneaky(Exception e) throws T {
    throw (T) e;
  }
}
