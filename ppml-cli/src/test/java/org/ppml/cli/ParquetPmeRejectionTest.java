package org.ppml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.crypto.ColumnEncryptionProperties;
import org.apache.parquet.crypto.FileEncryptionProperties;
import org.apache.parquet.crypto.ParquetCipher;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.ColumnPath;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.crypto.kms.local.LocalKms;
import org.ppml.crypto.testing.TestKeyStores;
import org.ppml.spark.conf.PpmlConf;
import org.ppml.spark.pme.ParquetEncryptionSettings;

/**
 * Issue 13 §3: a Parquet modular encryption part that does not authenticate (a wrong key, or a
 * tampered file) is a rejection: {@code ppml parquet head} exits 1 on one line naming the file, the
 * part (footer, plaintext footer signature, or column) and the key id, and prints no row. On
 * parquet-testing's real files (AES_GCM_V1, AES_GCM_CTR_V1, plaintext signed footer) and on files
 * written here with parquet-java's encryption API.
 */
class ParquetPmeRejectionTest {
  private static final byte[] KF = ascii("0123456789012345");
  private static final byte[] KC1 = ascii("1234567890123450");
  private static final byte[] KC2 = ascii("1234567890123451");
  private static final byte[] WRONG = ascii("9999999999999999");

  @TempDir static Path dir;

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** A key store holding the vectors' keys under their ids, with {@code wrongId}'s key wrong. */
  private static String store(String name, String wrongId) throws IOException {
    Path d = dir.resolve(name);
    LocalKms kms = TestKeyStores.withKeys(d);
    kms.importKey("kf", "kf".equals(wrongId) ? WRONG : KF);
    kms.importKey("kc1", "kc1".equals(wrongId) ? WRONG : KC1);
    kms.importKey("kc2", "kc2".equals(wrongId) ? WRONG : KC2);
    kms.close();
    return name;
  }

  private static Cli.Result head(Path file, String store) {
    Path d = dir.resolve(store);
    return Cli.run(
        "parquet",
        "head",
        file.toString(),
        "--kms",
        "local:" + d.resolve("keys"),
        "--keystore-key-file",
        d.resolve("test.key").toString());
  }

  private static void assertRejected(Cli.Result r, Path file, String part, String keyId) {
    r.assertError(1, file.toString(), part, "'" + keyId + "'", "does not authenticate");
    assertEquals("", r.out(), "no row printed");
  }

  @BeforeAll
  static void stores() throws IOException {
    store("right", null);
    store("wrong-kf", "kf");
    store("wrong-kc1", "kc1");
    store("wrong-kc2", "kc2");
  }

  @Test
  void theRealVectorsReadWithTheRightKeys() {
    for (String f :
        new String[] {
          "encrypt_columns_and_footer.parquet.encrypted",
          "encrypt_columns_and_footer_ctr.parquet.encrypted",
          "encrypt_columns_plaintext_footer.parquet.encrypted"
        }) {
      Cli.Result r = head(TestData.file("parquet-pme/" + f), "right");
      assertEquals(0, r.exit(), f + ": " + r.err());
      assertEquals(10, r.out().strip().lines().count(), f);
    }
  }

  @Test
  void aWrongFooterKeyIsARejectionNamingTheFooter() {
    Path gcm = TestData.file("parquet-pme/encrypt_columns_and_footer.parquet.encrypted");
    assertRejected(head(gcm, "wrong-kf"), gcm, "at the footer", "kf");
    Path ctr = TestData.file("parquet-pme/encrypt_columns_and_footer_ctr.parquet.encrypted");
    assertRejected(head(ctr, "wrong-kf"), ctr, "at the footer", "kf");
  }

  @Test
  void aPlaintextFooterWhoseSignatureDoesNotVerifyIsARejection() {
    Path plain = TestData.file("parquet-pme/encrypt_columns_plaintext_footer.parquet.encrypted");
    assertRejected(head(plain, "wrong-kf"), plain, "plaintext footer's signature", "kf");
  }

  @Test
  void aWrongColumnKeyIsARejectionNamingTheColumn() {
    Path gcm = TestData.file("parquet-pme/encrypt_columns_and_footer.parquet.encrypted");
    assertRejected(head(gcm, "wrong-kc2"), gcm, "column 'float_field'", "kc2");
    assertRejected(head(gcm, "wrong-kc1"), gcm, "column 'double_field'", "kc1");
    Path ctr = TestData.file("parquet-pme/encrypt_columns_and_footer_ctr.parquet.encrypted");
    assertRejected(head(ctr, "wrong-kc1"), ctr, "column 'double_field'", "kc1");
    Path plain = TestData.file("parquet-pme/encrypt_columns_plaintext_footer.parquet.encrypted");
    assertRejected(head(plain, "wrong-kc2"), plain, "column 'float_field'", "kc2");
  }

  /** Writes a small file with parquet-java's own encryption API and explicit key ids. */
  private static Path write(String name, ParquetCipher cipher, boolean plaintextFooter)
      throws IOException {
    MessageType schema =
        MessageTypeParser.parseMessageType(
            "message m { required int32 id; required binary name (UTF8); required double price; }");
    Map<ColumnPath, ColumnEncryptionProperties> columns =
        Map.of(
            // id under the footer key: listed, or it would be left in plaintext
            ColumnPath.get("id"),
            ColumnEncryptionProperties.builder("id").build(),
            ColumnPath.get("name"),
            ColumnEncryptionProperties.builder("name").withKey(KC1).withKeyID("kc1").build(),
            ColumnPath.get("price"),
            ColumnEncryptionProperties.builder("price").withKey(KC2).withKeyID("kc2").build());
    FileEncryptionProperties.Builder props =
        FileEncryptionProperties.builder(KF)
            .withFooterKeyID("kf")
            .withAlgorithm(cipher)
            .withEncryptedColumns(columns);
    if (plaintextFooter) {
      props.withPlaintextFooter();
    }
    Path file = dir.resolve(name);
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
            .withConf(new Configuration())
            .withType(schema)
            .withEncryption(props.build())
            .build()) {
      for (int i = 0; i < 50; i++) {
        w.write(groups.newGroup().append("id", i).append("name", "n" + i).append("price", i * .5));
      }
    }
    return file;
  }

  @Test
  void filesWrittenWithParquetJavasEncryptionApiAreRejectedTheSameWay() throws IOException {
    for (ParquetCipher cipher : ParquetCipher.values()) {
      for (boolean plaintextFooter : new boolean[] {false, true}) {
        Path f = write(cipher + "-" + plaintextFooter + ".parquet", cipher, plaintextFooter);
        Cli.Result ok = head(f, "right");
        assertEquals(0, ok.exit(), f + ": " + ok.err());
        assertTrue(ok.out().contains("\"name\":\"n1\""), ok.out());
        assertRejected(
            head(f, "wrong-kf"),
            f,
            plaintextFooter ? "plaintext footer's signature" : "at the footer",
            "kf");
        assertRejected(head(f, "wrong-kc1"), f, "column 'name'", "kc1");
        assertRejected(head(f, "wrong-kc2"), f, "column 'price'", "kc2");
      }
    }
  }

  @Test
  void aTamperedColumnChunkIsARejectionToo() throws IOException {
    Path f = write("tampered.parquet", ParquetCipher.AES_GCM_V1, false);
    byte[] bytes = Files.readAllBytes(f);
    // "PARE" then the first column chunk (id, under the footer key): flip a byte of its first page.
    bytes[40] ^= 1;
    Path t = dir.resolve("tampered-copy.parquet");
    Files.write(t, bytes);
    Cli.Result r = head(t, "right");
    r.assertError(1, t.toString(), "column 'id'", "does not authenticate", "'kf'");
    assertEquals("", r.out());
  }

  /**
   * Writes a file the way {@code format("ppml")} with {@code encryption=pme} does: every Parquet
   * key wrapped through {@code PpmlKmsClient} by the keys of {@code store}.
   */
  private static Path writeWrapped(String name, String store) throws IOException {
    Path d = dir.resolve(store);
    Configuration conf = new Configuration();
    conf.set(PpmlConf.KMS_URL, "local:" + d.resolve("keys"));
    conf.set(PpmlConf.KMS_KEY_FILE, d.resolve("test.key").toString());
    conf.set(PpmlConf.MODE, "dev");
    ParquetEncryptionSettings.of(
            Map.of("columnkeys", "kc1:name;kc2:price"), "kf", conf.get(PpmlConf.KMS_URL))
        .forEach(conf::set);
    MessageType schema =
        MessageTypeParser.parseMessageType(
            "message m { required int32 id; required binary name (UTF8); required double price; }");
    Path file = dir.resolve(name);
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
            .withConf(conf)
            .withType(schema)
            .build()) {
      for (int i = 0; i < 50; i++) {
        w.write(groups.newGroup().append("id", i).append("name", "n" + i).append("price", i * .5));
      }
    }
    return file;
  }

  /**
   * Key metadata whose Parquet key does not authenticate (here: another store holding keys of the
   * same names and versions) is a verdict on the file, exit 1 naming the file and the key, like a
   * part that does not authenticate; not exit 2 as if the key were missing. The impostor reads
   * first, the right store next; then the right store with a wrong key file must not be served by
   * the store that opened before.
   */
  @Test
  void keyMetadataThatDoesNotUnwrapIsARejection() throws IOException {
    TestKeyStores.withKeys(dir.resolve("wrapping"), "kf", "kc1", "kc2").close();
    TestKeyStores.withKeys(dir.resolve("impostor"), "kf", "kc1", "kc2").close();
    Path f = writeWrapped("wrapped.parquet", "wrapping");
    Cli.Result r = head(f, "impostor");
    r.assertError(1, f.toString(), "integrity check failed", "Parquet key under 'kf'");
    assertEquals("", r.out(), "no row printed");
    Cli.Result ok = head(f, "wrapping");
    assertEquals(0, ok.exit(), ok.err());
    assertTrue(ok.out().contains("\"name\":\"n1\""), ok.out());
    // The same store with another keystore key file does not open, though the store that did
    // open is cached (ours and Parquet's caches are keyed by URL and key file together).
    Cli.Result wrongKeyFile =
        Cli.run(
            "parquet",
            "head",
            f.toString(),
            "--kms",
            "local:" + dir.resolve("wrapping").resolve("keys"),
            "--keystore-key-file",
            dir.resolve("impostor").resolve("test.key").toString());
    assertEquals(2, wrongKeyFile.exit(), wrongKeyFile.err());
    assertEquals("", wrongKeyFile.out(), "no row printed");
  }
}
