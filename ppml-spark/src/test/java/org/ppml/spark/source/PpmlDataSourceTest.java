package org.ppml.spark.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ppml.crypto.IntegrityException;
import org.ppml.crypto.envelope.EnvelopeHeader;
import org.ppml.crypto.envelope.KmsKeyResolver;
import org.ppml.crypto.envelope.PpmlDecryptor;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.local.LocalKms;
import org.ppml.crypto.testing.TestKeyStores;
import org.ppml.spark.conf.PpmlConf;
import org.ppml.spark.fs.NotPpmlFileException;
import org.ppml.spark.testing.DataFrameAssertions;
import org.ppml.spark.testing.PpmlTestSession;

/** format("ppml") and ppml+file paths against the plain formats, in a real local session. */
class PpmlDataSourceTest {
  private static PpmlTestSession session;
  private static SparkSession spark;

  @BeforeAll
  static void start() throws IOException {
    session = PpmlTestSession.start(4096);
    spark = session.spark();
  }

  @AfterAll
  static void stop() throws IOException {
    session.close();
  }

  /** Flat columns every format, CSV included, can hold; with nulls, decimals and timestamps. */
  private static Dataset<Row> flat() {
    StructType schema =
        new StructType(
            new StructField[] {
              new StructField("id", DataTypes.IntegerType, false, Metadata.empty()),
              new StructField("name", DataTypes.StringType, true, Metadata.empty()),
              new StructField("category", DataTypes.StringType, true, Metadata.empty()),
              new StructField("amount", DataTypes.createDecimalType(12, 2), true, Metadata.empty()),
              new StructField("at", DataTypes.TimestampType, true, Metadata.empty()),
            });
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      rows.add(
          RowFactory.create(
              i,
              i % 17 == 0 ? null : "name-" + i + (i % 5 == 0 ? ", with \"quotes\"" : ""),
              "c" + (i % 3),
              i % 11 == 0 ? null : new BigDecimal(i).movePointLeft(2),
              new Timestamp(1_700_000_000_000L + i * 1000L)));
    }
    return spark.createDataFrame(rows, schema).repartition(3);
  }

  /** Nested, binary and null values, for the formats that carry them. */
  private static Dataset<Row> rich() {
    return spark.sql(
        "SELECT id, named_struct('x', id * 2, 'tags', array(concat('t', id), null)) AS nested, "
            + "CAST(id AS DECIMAL(20,4)) / 3 AS ratio, "
            + "timestamp_seconds(1700000000 + id) AS at, "
            + "CAST(concat('bin', id) AS BINARY) AS payload, "
            + "IF(id % 7 = 0, NULL, id) AS maybe "
            + "FROM range(0, 500, 1, 3)");
  }

  /** Same schema, exactly, and the same rows in any order (spark-testing-base's comparison). */
  private static void assertSameData(Dataset<Row> expected, Dataset<Row> actual) {
    assertEquals(expected.schema(), actual.schema());
    DataFrameAssertions.assertEqualAnyOrder(expected, actual);
  }

  /** Every data file is a PPML file that the crypto library alone decrypts. */
  private static List<byte[]> decryptAll(Path root) throws IOException {
    List<byte[]> out = new ArrayList<>();
    PpmlDecryptor decryptor = new PpmlDecryptor(new KmsKeyResolver(session.kms()));
    List<Path> files = PpmlTestSession.dataFiles(root);
    assertFalse(files.isEmpty(), "no data files under " + root);
    for (Path f : files) {
      try (InputStream raw = Files.newInputStream(f)) {
        assertTrue(EnvelopeHeader.hasMagic(raw.readNBytes(4)), f + " has no PPML magic");
      }
      try (InputStream in = decryptor.open(Files.newInputStream(f), f.toString())) {
        out.add(in.readAllBytes());
      }
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"csv", "json", "text", "parquet", "orc", "avro"})
  void roundTripMatchesThePlainFormat(String format) throws IOException {
    Dataset<Row> data =
        switch (format) {
          case "csv" -> flat();
          case "text" -> flat().selectExpr("concat_ws('|', id, name, amount) AS value");
          default -> rich();
        };
    Map<String, String> options =
        format.equals("csv") ? Map.of("header", "true", "inferSchema", "true") : Map.of();
    Path plain = session.newPath(format + "-plain");
    Path encrypted = session.newPath(format + "-ppml");
    data.write().format(format).options(options).save(plain.toString());
    data.write()
        .format("ppml")
        .option("format", format)
        .options(options)
        .save(encrypted.toString());

    Dataset<Row> expected = spark.read().format(format).options(options).load(plain.toString());
    Dataset<Row> actual =
        spark
            .read()
            .format("ppml")
            .option("format", format)
            .options(options)
            .load(encrypted.toString());
    assertSameData(expected, actual);

    // The plain format over a ppml+file path, with no format("ppml") involved.
    String direct = "ppml+file://" + session.newPath(format + "-direct");
    data.write().format(format).options(options).save(direct);
    assertSameData(expected, spark.read().format(format).options(options).load(direct));
    // What format("ppml") wrote, a plain reader over the ppml+file path reads.
    assertSameData(
        expected, spark.read().format(format).options(options).load("ppml+file://" + encrypted));

    List<byte[]> plaintexts = decryptAll(encrypted);
    if (format.equals("csv") || format.equals("json") || format.equals("text")) {
      // Same plan, same partitions: each decrypted file is byte-identical to its plain twin.
      List<Path> plainFiles = PpmlTestSession.dataFiles(plain);
      assertEquals(plainFiles.size(), plaintexts.size());
      List<String> a = new ArrayList<>();
      List<String> b = new ArrayList<>();
      for (int i = 0; i < plainFiles.size(); i++) {
        a.add(Files.readString(plainFiles.get(i)));
        b.add(new String(plaintexts.get(i), StandardCharsets.UTF_8));
      }
      a.sort(null);
      b.sort(null);
      assertEquals(a, b);
    }
  }

  /** Same rows and column types; Parquet reads every column back as nullable. */
  private static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
    assertEquals(expected.schema().simpleString(), actual.schema().simpleString());
    DataFrameAssertions.assertSameRowsAnyOrder(expected, actual);
  }

  @Test
  void theDataFrameComparisonSeesAMissingRowAndAChangedValue() {
    // The comparison the round trips rely on must be able to fail, through this wiring.
    Dataset<Row> data = flat();
    assertThrows(AssertionError.class, () -> assertSameData(data, data.where("id <> 300")));
    assertThrows(
        AssertionError.class,
        () ->
            assertSameData(
                data,
                data.selectExpr(
                    "id", "IF(id = 7, 'changed', name) AS name", "category", "amount", "at")));
    assertThrows(
        AssertionError.class,
        () -> assertSameRows(data, data.union(data.where("id = 1"))),
        "a duplicated row is a difference");
    assertSameData(data, data.repartition(5).orderBy(org.apache.spark.sql.functions.desc("id")));
  }

  @Test
  void filesEncryptedByTheCryptoLibraryAreReadBySpark() throws IOException {
    // What `ppml encrypt DIR` produces: each file encrypted on its own, outside Spark.
    Path plain = session.newPath("owner-plain");
    Path encrypted = session.newPath("owner-encrypted");
    flat().write().option("header", "true").csv(plain.toString());
    Files.createDirectories(encrypted);
    try (var encryptor =
        org.ppml.crypto.envelope.PpmlEncryptor.create(session.kms(), PpmlTestSession.KEY, 4096)) {
      for (Path f : PpmlTestSession.dataFiles(plain)) {
        try (var out =
            encryptor.encrypt(Files.newOutputStream(encrypted.resolve(f.getFileName())))) {
          Files.copy(f, out);
        }
      }
    }
    assertSameData(
        spark.read().option("header", "true").option("inferSchema", "true").csv(plain.toString()),
        spark
            .read()
            .format("ppml")
            .option("format", "csv")
            .option("header", "true")
            .option("inferSchema", "true")
            .load(encrypted.toString()));
  }

  @Test
  void partitionedWritesKeepSparksLayoutAndDiscovery() throws IOException {
    Path plain = session.newPath("part-plain");
    Path encrypted = session.newPath("part-ppml");
    flat().write().partitionBy("category").parquet(plain.toString());
    flat()
        .write()
        .format("ppml")
        .option("format", "parquet")
        .partitionBy("category")
        .save(encrypted.toString());
    for (String c : List.of("c0", "c1", "c2")) {
      assertTrue(Files.isDirectory(encrypted.resolve("category=" + c)), "category=" + c);
    }
    assertTrue(Files.exists(encrypted.resolve("_SUCCESS")));
    decryptAll(encrypted);
    Dataset<Row> actual =
        spark.read().format("ppml").option("format", "parquet").load(encrypted.toString());
    assertSameData(spark.read().parquet(plain.toString()), actual);
    assertEquals(200, actual.where("category = 'c1'").count());
  }

  @Test
  void loadsSeveralPaths() throws IOException {
    Path a = session.newPath("multi-a");
    Path b = session.newPath("multi-b");
    flat().where("id < 100").write().format("ppml").option("format", "json").save(a.toString());
    flat().where("id >= 100").write().format("ppml").option("format", "json").save(b.toString());
    String both = "[\"" + a + "\", \"" + b + "\"]";
    assertEquals(
        600,
        spark.read().format("ppml").option("format", "json").option("paths", both).load().count());
    assertEquals(
        600,
        spark
            .read()
            .format("ppml")
            .option("format", "json")
            .load(session.newPath("multi-*").toString())
            .count());
    // Spark passes a relation provider no path at all for load(p1, p2): say what to do instead.
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                spark
                    .read()
                    .format("ppml")
                    .option("format", "json")
                    .load(a.toString(), b.toString()));
    assertTrue(e.getMessage().contains("a JSON array"), e.getMessage());
  }

  @Test
  void emptyDataFramesAndAppendMode() throws IOException {
    Path encrypted = session.newPath("empty");
    Dataset<Row> none = flat().limit(0);
    none.write().format("ppml").option("format", "parquet").save(encrypted.toString());
    Dataset<Row> back =
        spark.read().format("ppml").option("format", "parquet").load(encrypted.toString());
    // Parquet reads every column back as nullable, with or without ppml.
    assertEquals(List.of(none.schema().fieldNames()), List.of(back.schema().fieldNames()));
    assertEquals(
        none.schema().apply("amount").dataType(), back.schema().apply("amount").dataType());
    assertEquals(0, back.count());
    flat()
        .write()
        .format("ppml")
        .option("format", "parquet")
        .mode(SaveMode.Append)
        .save(encrypted.toString());
    assertEquals(
        600,
        spark.read().format("ppml").option("format", "parquet").load(encrypted.toString()).count());
    assertThrows(
        Exception.class,
        () ->
            flat()
                .write()
                .format("ppml")
                .option("format", "parquet")
                .mode(SaveMode.ErrorIfExists)
                .save(encrypted.toString()));
  }

  @Test
  void ppmlPathsWorkWithPlainReadersAndRdds() throws IOException {
    Path dir = session.newPath("direct");
    String url = "ppml+file://" + dir;
    flat().write().option("header", "true").csv(url);
    decryptAll(dir);
    Dataset<Row> back = spark.read().option("header", "true").csv(url);
    assertEquals(600, back.count());
    assertEquals(
        flat().select("id").orderBy("id").collectAsList().toString(),
        back.selectExpr("CAST(id AS INT) AS id").orderBy("id").collectAsList().toString());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<String> lines = jsc.textFile(url).collect();
    assertEquals(600 + 3, lines.size(), "600 rows and one header per file");
    assertTrue(lines.contains("id,name,category,amount,at"));
    List<String> wholeFiles =
        jsc.binaryFiles(url)
            .values()
            .map(s -> new String(s.toArray(), StandardCharsets.UTF_8))
            .collect();
    assertEquals(3, wholeFiles.size());
    assertTrue(
        wholeFiles.stream().allMatch(f -> f.startsWith("id,name,category,amount,at\n")),
        "binaryFiles decrypts");
  }

  @Test
  void tamperedFileFailsTheJobNamingTheFileAndWritesNoOutput() throws IOException {
    Path source = session.newPath("tamper-src");
    flat().write().format("ppml").option("format", "csv").save(source.toString());
    Path victim = PpmlTestSession.dataFiles(source).get(1);
    byte[] raw = Files.readAllBytes(victim);
    raw[raw.length - 30] ^= 0x20;
    Files.write(victim, raw);
    Files.deleteIfExists(victim.resolveSibling("." + victim.getFileName() + ".crc"));

    Path output = session.newPath("tamper-out");
    Exception e =
        assertThrows(
            Exception.class,
            () ->
                spark
                    .read()
                    .format("ppml")
                    .option("format", "csv")
                    .load(source.toString())
                    .write()
                    .format("ppml")
                    .option("format", "csv")
                    .save(output.toString()));
    IntegrityException cause = findCause(e, IntegrityException.class);
    assertTrue(cause.getMessage().contains(victim.getFileName().toString()), cause.getMessage());
    assertTrue(cause.source().startsWith("ppml+file:"), cause.source());
    // The normal commit protocol: a failed job leaves no data files and no _SUCCESS.
    assertFalse(Files.exists(output.resolve("_SUCCESS")));
    if (Files.exists(output)) {
      assertEquals(
          List.of(),
          PpmlTestSession.dataFiles(output).stream()
              .filter(p -> !p.toString().contains("_temporary"))
              .toList());
    }
  }

  @Test
  void plaintextInsideAnEncryptedDatasetIsRefusedByName() throws IOException {
    Path dir = session.newPath("mixed");
    flat().write().format("ppml").option("format", "csv").save(dir.toString());
    Files.writeString(dir.resolve("sneaky.csv"), "1,x,c0,1.00,2024-01-01 00:00:00\n");
    Exception e =
        assertThrows(
            Exception.class,
            () -> spark.read().format("ppml").option("format", "csv").load(dir.toString()).count());
    NotPpmlFileException cause = findCause(e, NotPpmlFileException.class);
    assertTrue(cause.file().endsWith("sneaky.csv"), cause.file());
  }

  @Test
  void productionModeRefusesTheLocalKeyStoreAtPlanTime() {
    spark.conf().set(PpmlConf.MODE, "production");
    try {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () ->
                  spark
                      .read()
                      .format("ppml")
                      .option("format", "csv")
                      .load(session.newPath("whatever").toString()));
      assertTrue(e.getMessage().contains("production refuses the local key store"), e.getMessage());
      assertThrows(
          IllegalStateException.class,
          () ->
              flat()
                  .write()
                  .format("ppml")
                  .option("format", "csv")
                  .save(session.newPath("prod-out").toString()));
    } finally {
      spark.conf().set(PpmlConf.MODE, "dev");
    }
  }

  @Test
  void unknownFormatsAndMissingKeysAreClearErrors() {
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                spark
                    .read()
                    .format("ppml")
                    .option("format", "xml")
                    .load(session.newPath("x").toString()));
    assertTrue(bad.getMessage().contains("csv, json, text, parquet, orc, avro"), bad.getMessage());
    IllegalArgumentException noFormat =
        assertThrows(
            IllegalArgumentException.class,
            () -> spark.read().format("ppml").load(session.newPath("x").toString()));
    assertTrue(noFormat.getMessage().contains("needs option 'format'"), noFormat.getMessage());
  }

  @Test
  void perWriteKeyOptionIsUsed() throws IOException {
    session.kms().createKey("k2");
    Path dir = session.newPath("k2");
    flat().write().format("ppml").option("format", "json").option("key", "k2").save(dir.toString());
    Path file = PpmlTestSession.dataFiles(dir).get(0);
    EnvelopeHeader header = EnvelopeHeader.decode(Files.readAllBytes(file), file.toString());
    assertEquals("k2", header.keyName());
    assertEquals(
        600, spark.read().format("ppml").option("format", "json").load(dir.toString()).count());
  }

  @Test
  void dataKeysNeverAppearInConfEventLogsOrDriverLogs() throws IOException {
    Path dir = session.newPath("secret-check");
    // Capture everything the driver (and, in local mode, the executors) log at INFO and above.
    java.io.StringWriter driverLog = new java.io.StringWriter();
    org.apache.logging.log4j.core.LoggerContext ctx =
        (org.apache.logging.log4j.core.LoggerContext)
            org.apache.logging.log4j.LogManager.getContext(false);
    org.apache.logging.log4j.core.config.Configuration config = ctx.getConfiguration();
    org.apache.logging.log4j.core.appender.WriterAppender capture =
        org.apache.logging.log4j.core.appender.WriterAppender.createAppender(
            org.apache.logging.log4j.core.layout.PatternLayout.createDefaultLayout(),
            null,
            driverLog,
            "key-grep",
            false,
            true);
    capture.start();
    config.addAppender(capture);
    org.apache.logging.log4j.Level before = config.getRootLogger().getLevel();
    config.getRootLogger().addAppender(capture, org.apache.logging.log4j.Level.INFO, null);
    config.getRootLogger().setLevel(org.apache.logging.log4j.Level.INFO);
    ctx.updateLoggers();
    try {
      flat().write().format("ppml").option("format", "csv").save(dir.toString());
      spark.read().format("ppml").option("format", "csv").load(dir.toString()).count();
    } finally {
      config.getRootLogger().removeAppender("key-grep");
      config.getRootLogger().setLevel(before);
      ctx.updateLoggers();
      capture.stop();
    }
    Path file = PpmlTestSession.dataFiles(dir).get(0);
    EnvelopeHeader header = EnvelopeHeader.decode(Files.readAllBytes(file), file.toString());
    byte[] key;
    try (DataKey k = session.kms().unwrap(header.wrapped())) {
      key = k.keyBytes();
    }
    List<String> forms =
        List.of(
            HexFormat.of().formatHex(key), HexFormat.of().withUpperCase().formatHex(key),
            Base64.getEncoder().encodeToString(key),
                Base64.getUrlEncoder().withoutPadding().encodeToString(key));
    StringBuilder everything = new StringBuilder();
    for (var entry : spark.sparkContext().getConf().getAll()) {
      everything.append(entry._1()).append('=').append(entry._2()).append('\n');
    }
    for (var entry : spark.sessionState().newHadoopConf()) {
      everything.append(entry.getKey()).append('=').append(entry.getValue()).append('\n');
    }
    try (Stream<Path> logs = Files.walk(session.dir().resolve("events"))) {
      for (Path log : logs.filter(Files::isRegularFile).toList()) {
        everything.append(new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1));
      }
    }
    assertTrue(everything.length() > 1000, "event log was written");
    assertTrue(driverLog.toString().length() > 100, "driver log output was captured");
    for (String form : forms) {
      assertFalse(everything.toString().contains(form), "data key found in conf or event log");
      assertFalse(driverLog.toString().contains(form), "data key found in driver log output");
    }
    java.util.Arrays.fill(key, (byte) 0);
  }

  @Test
  void parquetModularEncryptionUniformAndPerColumn() throws IOException {
    Dataset<Row> data = rich();
    Path uniform = session.newPath("pme-uniform");
    data.write()
        .format("ppml")
        .option("format", "parquet")
        .option("encryption", "pme")
        .save(uniform.toString());
    for (Path f : PpmlTestSession.dataFiles(uniform)) {
      byte[] raw = Files.readAllBytes(f);
      assertEquals(
          "PARE", new String(raw, 0, 4, StandardCharsets.US_ASCII), f + " has an encrypted footer");
    }
    assertSameRows(
        data,
        spark
            .read()
            .format("ppml")
            .option("format", "parquet")
            .option("encryption", "pme")
            .load(uniform.toString()));
    assertThrows(
        Exception.class,
        () -> spark.read().parquet(uniform.toString()).count(),
        "plain Parquet cannot read it");

    session.kms().createKey("col");
    Path perColumn = session.newPath("pme-columns");
    Dataset<Row> flat = flat();
    flat.write()
        .format("ppml")
        .option("format", "parquet")
        .option("encryption", "pme")
        .option("columnKeys", "col:name,amount")
        .option("footerKey", "k1")
        .option("plaintextFooter", "true")
        .option("algorithm", "AES_GCM_CTR_V1")
        .option("doubleWrapping", "false")
        .save(perColumn.toString());
    assertSameRows(
        flat,
        spark
            .read()
            .format("ppml")
            .option("format", "parquet")
            .option("encryption", "pme")
            .load(perColumn.toString()));
    // With a plaintext footer, plain readers see the schema and the unencrypted columns only.
    assertEquals(
        600,
        spark.read().parquet(perColumn.toString()).select("id", "category").collectAsList().size());
    assertThrows(
        Exception.class,
        () -> spark.read().parquet(perColumn.toString()).select("name").collectAsList());
  }

  /**
   * A PME file read through another KMS that holds a key of the same name and version: its Parquet
   * keys do not unwrap, so the job fails with an IntegrityException naming the key. It must never
   * be read with the keys of the KMS that wrote it, which Parquet would do if it kept one KMS
   * client and one KEK cache per JVM (we partition both by KMS URL).
   */
  @Test
  void pmeKeysUnderAnotherKmsFailTheJobWithAnIntegrityException() throws Exception {
    Path file = session.newPath("pme-other-kms");
    flat()
        .write()
        .format("ppml")
        .option("format", "parquet")
        .option("encryption", "pme")
        .save(file.toString());
    // Read once with the right KMS first, so that Parquet has its client and KEKs cached.
    assertEquals(600, readPme(file).count());
    Path other = session.dir().resolve("other-kms");
    String url;
    try (LocalKms impostor = TestKeyStores.withKeys(other, PpmlTestSession.KEY)) {
      url = impostor.reference();
    }
    String ownUrl = spark.conf().get(PpmlConf.KMS_URL);
    String ownKeyFile = spark.conf().get(PpmlConf.KMS_KEY_FILE);
    spark.conf().set(PpmlConf.KMS_URL, url);
    spark.conf().set(PpmlConf.KMS_KEY_FILE, other.resolve("test.key").toString());
    try {
      Exception e = assertThrows(Exception.class, () -> readPme(file).collectAsList());
      IntegrityException integrity = findCause(e, IntegrityException.class);
      assertTrue(integrity != null, "no IntegrityException in the chain of " + e);
      assertTrue(
          integrity.getMessage().contains("Parquet key under '" + PpmlTestSession.KEY + "'"),
          integrity.getMessage());
    } finally {
      spark.conf().set(PpmlConf.KMS_URL, ownUrl);
      spark.conf().set(PpmlConf.KMS_KEY_FILE, ownKeyFile);
    }
    assertEquals(600, readPme(file).count());
  }

  private static Dataset<Row> readPme(Path path) {
    return spark
        .read()
        .format("ppml")
        .option("format", "parquet")
        .option("encryption", "pme")
        .load(path.toString());
  }

  @Test
  void pmeFilesWithExplicitKeysFromOtherToolsReadWithTheirKeysImported() throws Exception {
    Path testdata =
        Path.of(System.getProperty("ppml.testdata", "../../shared/testdata"), "parquet-pme");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isDirectory(testdata), "no shared testdata at " + testdata);
    List<Path> vectors;
    try (Stream<Path> files = Files.list(testdata)) {
      vectors = files.filter(p -> p.toString().endsWith(".parquet.encrypted")).sorted().toList();
    }
    assertEquals(4, vectors.size());
    // Before the keys are imported: refused, naming the key id and the file.
    Exception refused =
        assertThrows(
            Exception.class,
            () ->
                spark
                    .read()
                    .format("ppml")
                    .option("format", "parquet")
                    .option("encryption", "pme")
                    .load(vectors.get(0).toString())
                    .collectAsList());
    StringBuilder chain = new StringBuilder();
    for (Throwable t = refused; t != null; t = t.getCause()) {
      chain.append(t.getMessage()).append('\n');
    }
    assertTrue(chain.toString().contains("explicit key id 'kf'"), chain.toString());
    assertTrue(
        chain.toString().contains(vectors.get(0).getFileName().toString()), chain.toString());

    // parquet-testing's explicit keys are the ASCII strings "0123456789012345" etc. (the digits'
    // characters, as parquet-cpp's and parquet-java's tests declare them), not the byte values
    // 0..9.
    session.kms().importKey("kf", "0123456789012345".getBytes(StandardCharsets.US_ASCII));
    session.kms().importKey("kc1", "1234567890123450".getBytes(StandardCharsets.US_ASCII));
    session.kms().importKey("kc2", "1234567890123451".getBytes(StandardCharsets.US_ASCII));
    for (Path f : vectors) {
      // Spark 3.5 has no type for the vectors' TIME(MILLIS) int32_field, so the read names the
      // columns it wants: the footer key, both column keys (kc1: double_field, kc2: float_field)
      // and an unencrypted or footer-key column all take part.
      List<Row> rows =
          spark
              .read()
              .format("ppml")
              .option("format", "parquet")
              .option("encryption", "pme")
              .schema("boolean_field BOOLEAN, float_field FLOAT, double_field DOUBLE")
              .load(f.toString())
              .collectAsList();
      assertEquals(50, rows.size(), f.toString());
      for (int i = 0; i < rows.size(); i++) {
        // parquet-cpp's test-encryption-util values for row i.
        Row r = rows.get(i);
        assertEquals(i % 2 == 0, r.getBoolean(0), f + " row " + i);
        assertEquals(i * 1.1f, r.getFloat(1), f + " row " + i);
        assertEquals(i * 1.1111111, r.getDouble(2), 1e-12, f + " row " + i);
      }
    }
  }

  @Test
  void aPmeColumnThatDoesNotAuthenticateFailsTheJobWithAnIntegrityException() throws Exception {
    // A file written with parquet-java's own encryption API and explicit key ids (as other tools
    // write them); the store holds the right footer key and a wrong key for 'price'.
    byte[] footerKey = "fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
    org.apache.parquet.schema.MessageType schema =
        org.apache.parquet.schema.MessageTypeParser.parseMessageType(
            "message m { required int32 id; required double price; }");
    Path file = session.newPath("pme-wrong-key").resolve("part-0.parquet");
    Files.createDirectories(file.getParent());
    var encryption =
        org.apache.parquet.crypto.FileEncryptionProperties.builder(footerKey)
            .withFooterKeyID("int-kf")
            .withEncryptedColumns(
                Map.of(
                    org.apache.parquet.hadoop.metadata.ColumnPath.get("price"),
                    org.apache.parquet.crypto.ColumnEncryptionProperties.builder("price")
                        .withKey("0011223344556677".getBytes(StandardCharsets.US_ASCII))
                        .withKeyID("int-kc")
                        .build()))
            .build();
    var groups = new org.apache.parquet.example.data.simple.SimpleGroupFactory(schema);
    try (var w =
        org.apache.parquet.hadoop.example.ExampleParquetWriter.builder(
                new org.apache.hadoop.fs.Path(file.toUri()))
            .withConf(new org.apache.hadoop.conf.Configuration())
            .withType(schema)
            .withEncryption(encryption)
            .build()) {
      for (int i = 0; i < 20; i++) {
        w.write(groups.newGroup().append("id", i).append("price", i * 2.5));
      }
    }
    session.kms().importKey("int-kf", footerKey);
    session.kms().importKey("int-kc", "7766554433221100".getBytes(StandardCharsets.US_ASCII));
    Exception e =
        assertThrows(
            Exception.class,
            () ->
                spark
                    .read()
                    .format("ppml")
                    .option("format", "parquet")
                    .option("encryption", "pme")
                    .load(file.getParent().toString())
                    .collectAsList());
    IntegrityException integrity = null;
    for (Throwable t = e; t != null && integrity == null; t = t.getCause()) {
      if (t instanceof IntegrityException i) {
        integrity = i;
      }
    }
    assertTrue(integrity != null, "no IntegrityException in the chain of " + e);
    assertEquals("column 'price'", integrity.location());
    assertTrue(integrity.source().endsWith("part-0.parquet"), integrity.source());
    assertTrue(integrity.getMessage().contains("'int-kc'"), integrity.getMessage());
    // The column under the footer key alone still reads: the failure is the one column's.
    assertEquals(
        20,
        spark
            .read()
            .format("ppml")
            .option("format", "parquet")
            .option("encryption", "pme")
            .load(file.getParent().toString())
            .select("id")
            .collectAsList()
            .size());
  }

  @Test
  void pmeOptionsAreCheckedUpFront() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                flat()
                    .write()
                    .format("ppml")
                    .option("format", "csv")
                    .option("encryption", "pme")
                    .save(session.newPath("bad").toString()));
    assertTrue(e.getMessage().contains("needs format 'parquet'"), e.getMessage());
    IllegalArgumentException e2 =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                flat()
                    .write()
                    .format("ppml")
                    .option("format", "parquet")
                    .option("columnKeys", "k1:id")
                    .save(session.newPath("bad2").toString()));
    assertTrue(e2.getMessage().contains("only with encryption 'pme'"), e2.getMessage());
  }

  static <T extends Throwable> T findCause(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
      for (Throwable s : t.getSuppressed()) {
        if (type.isInstance(s)) {
          return type.cast(s);
        }
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " in the cause chain", e);
  }
}
