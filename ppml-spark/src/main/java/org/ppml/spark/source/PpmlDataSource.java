package org.ppml.spark.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.util.CaseInsensitiveMap;
import org.apache.spark.sql.execution.datasources.DataSource;
import org.apache.spark.sql.execution.datasources.HadoopFsRelation;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat;
import org.apache.spark.sql.sources.BaseRelation;
import org.apache.spark.sql.sources.CreatableRelationProvider;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.sources.RelationProvider;
import org.apache.spark.sql.sources.SchemaRelationProvider;
import org.apache.spark.sql.types.StructType;
import org.ppml.crypto.kms.Kms;
import org.ppml.spark.conf.PpmlConf;
import org.ppml.spark.keys.JobDataKey;
import org.ppml.spark.keys.KeyReleases;
import org.ppml.spark.pme.ParquetEncryptionSettings;
import org.ppml.spark.pme.PmeParquetFileFormat;
import scala.Option;
import scala.Predef;
import scala.Tuple2;
import scala.collection.JavaConverters;

/**
 * {@code format("ppml")}: Spark's own file format (option {@code format}) over {@code ppml+} paths.
 *
 * <p>Reads build the inner format's relation exactly as {@code spark.read.format(inner)} would,
 * only over the rewritten paths, so schema inference, partition discovery, pushdown and splits are
 * Spark's own; the relation Spark gets back is a plain {@code HadoopFsRelation}, which is also what
 * makes {@code INSERT INTO} a table {@code USING ppml} work. Writes get a wrapped data key from the
 * KMS on the driver, put it (and only it) into the write job's options, and run the inner format's
 * writer, so commit semantics are the normal ones.
 */
public final class PpmlDataSource
    implements DataSourceRegister,
        RelationProvider,
        SchemaRelationProvider,
        CreatableRelationProvider {
  /** The name in {@code format("ppml")} and {@code USING ppml}. */
  public static final String SHORT_NAME = "ppml";

  @Override
  public String shortName() {
    return SHORT_NAME;
  }

  @Override
  public BaseRelation createRelation(
      SQLContext sqlContext, scala.collection.immutable.Map<String, String> parameters) {
    return read(sqlContext.sparkSession(), parameters, null);
  }

  @Override
  public BaseRelation createRelation(
      SQLContext sqlContext,
      scala.collection.immutable.Map<String, String> parameters,
      StructType schema) {
    return read(sqlContext.sparkSession(), parameters, schema);
  }

  @Override
  public BaseRelation createRelation(
      SQLContext sqlContext,
      SaveMode mode,
      scala.collection.immutable.Map<String, String> parameters,
      Dataset<Row> data) {
    SparkSession spark = sqlContext.sparkSession();
    PpmlConf sessionConf = PpmlConf.from(spark);
    PpmlOptions options = PpmlOptions.parse(javaMap(parameters), sessionConf.encryption());
    PpmlConf conf = options.key().map(sessionConf::withKey).orElse(sessionConf);
    String keyName =
        conf.key()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no key for writing "
                            + options.outputPath()
                            + ": set "
                            + PpmlConf.KEY
                            + " or .option(\"key\", …)"));
    if (options.encryption() == PpmlConf.Encryption.PME) {
      // Parquet encrypts; executors wrap its keys through PpmlKmsClient. The path stays plain.
      KeyReleases.checkAllowed(conf);
      Map<String, String> inner = new LinkedHashMap<>(options.passThrough());
      inner.putAll(conf.toEntries());
      inner.putAll(ParquetEncryptionSettings.of(options.pmeOptions(), keyName, conf.kmsIdentity()));
      save(data, options, mode, inner, options.outputPath());
      return new WrittenRelation(sqlContext, data.schema());
    }
    Path output = PpmlPaths.toPpml(options.outputPath(), spark.sessionState().newHadoopConf());
    JobDataKey jobKey;
    try {
      Kms kms = KeyReleases.kms(conf);
      jobKey = new JobDataKey(kms.reference(), kms.generateWrappedDataKey(keyName));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot get a data key under '"
              + keyName
              + "' for "
              + options.outputPath()
              + ": "
              + e.getMessage(),
          e);
    }
    Map<String, String> inner = innerOptions(options, conf, List.of(output));
    inner.putAll(jobKey.toEntries());
    save(data, options, mode, inner, output.toString());
    return new WrittenRelation(sqlContext, data.schema());
  }

  private static void save(
      Dataset<Row> data,
      PpmlOptions options,
      SaveMode mode,
      Map<String, String> inner,
      String path) {
    DataFrameWriter<Row> writer =
        data.write().format(options.format().sparkName()).mode(mode).options(inner);
    if (!options.partitionColumns().isEmpty()) {
      writer = writer.partitionBy(options.partitionColumns().toArray(new String[0]));
    }
    writer.save(path);
  }

  private static BaseRelation read(
      SparkSession spark,
      scala.collection.immutable.Map<String, String> parameters,
      StructType schema) {
    PpmlConf sessionConf = PpmlConf.from(spark);
    PpmlOptions options = PpmlOptions.parse(javaMap(parameters), sessionConf.encryption());
    PpmlConf conf = options.key().map(sessionConf::withKey).orElse(sessionConf);
    KeyReleases.checkAllowed(conf);
    if (options.paths().isEmpty()) {
      // Spark hands a relation provider one path at most: load(p1, p2) arrives with none.
      throw new IllegalArgumentException(
          "format(\"ppml\") needs exactly one path in load(path); for several, use a glob, "
              + "or option(\"paths\", \"[\\\"p1\\\", \\\"p2\\\"]\") (a JSON array)");
    }
    List<String> pathNames;
    Map<String, String> innerOptions;
    if (options.encryption() == PpmlConf.Encryption.PME) {
      pathNames = options.paths();
      innerOptions = new LinkedHashMap<>(options.passThrough());
      innerOptions.putAll(conf.toEntries());
      innerOptions.putAll(
          ParquetEncryptionSettings.of(options.pmeOptions(), null, conf.kmsIdentity()));
    } else {
      Configuration hadoop = spark.sessionState().newHadoopConf();
      List<Path> paths = new ArrayList<>();
      for (String p : options.paths()) {
        paths.add(PpmlPaths.toPpml(p, hadoop));
      }
      pathNames = paths.stream().map(Path::toString).toList();
      innerOptions = innerOptions(options, conf, paths);
    }
    DataSource inner =
        new DataSource(
            spark,
            options.format().sparkName(),
            JavaConverters.asScalaBuffer(pathNames).toList(),
            Option.apply(schema),
            JavaConverters.asScalaBuffer(new ArrayList<String>()).toList(),
            Option.empty(),
            scalaMap(innerOptions),
            Option.empty());
    // With a user schema (a catalog table) the location may not exist yet, as for plain formats.
    BaseRelation relation = inner.resolveRelation(schema == null);
    if (options.encryption() == PpmlConf.Encryption.PME
        && relation instanceof HadoopFsRelation fs
        && fs.fileFormat() instanceof ParquetFileFormat) {
      // Same relation, with a Parquet format that reports a part failing authentication as an
      // IntegrityException (file, part, key id) instead of Parquet's "Tag mismatch!".
      return new HadoopFsRelation(
          fs.location(),
          fs.partitionSchema(),
          fs.dataSchema(),
          fs.bucketSpec(),
          new PmeParquetFileFormat(),
          fs.options(),
          fs.sparkSession());
    }
    return relation;
  }

  private static Map<String, String> innerOptions(
      PpmlOptions options, PpmlConf conf, List<Path> paths) {
    Map<String, String> inner = new LinkedHashMap<>(options.passThrough());
    inner.putAll(conf.toEntries());
    for (Path p : paths) {
      inner.putAll(PpmlPaths.fileSystemSettings(p));
    }
    return inner;
  }

  // Spark hands V1 sources a case-insensitive map whose iteration lower-cases keys; the original
  // spelling matters for options that end up in the (case-sensitive) Hadoop configuration.
  private static Map<String, String> javaMap(
      scala.collection.immutable.Map<String, String> parameters) {
    scala.collection.Map<String, String> original =
        parameters instanceof CaseInsensitiveMap<?> ci ? castOriginal(ci) : parameters;
    return new LinkedHashMap<>(JavaConverters.mapAsJavaMap(original));
  }

  @SuppressWarnings("unchecked")
  private static scala.collection.Map<String, String> castOriginal(CaseInsensitiveMap<?> map) {
    return (scala.collection.Map<String, String>)
        (scala.collection.Map<String, ?>) map.originalMap();
  }

  private static scala.collection.immutable.Map<String, String> scalaMap(Map<String, String> map) {
    return JavaConverters.mapAsScalaMap(map).toMap(Predef.<Tuple2<String, String>>$conforms());
  }
}
