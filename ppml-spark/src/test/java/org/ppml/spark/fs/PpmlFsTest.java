package org.ppml.spark.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.crypto.envelope.EnvelopeHeader;
import org.ppml.crypto.kms.local.LocalKms;
import org.ppml.crypto.testing.TestKeyStores;
import org.ppml.spark.conf.PpmlConf;
import org.ppml.spark.keys.KeyReleases;
import org.ppml.spark.testing.StartingGun;

/**
 * {@code ppml+file} through Hadoop's FileContext API, configured as {@link SchemeSettings} says:
 * files written and read in plaintext, stored encrypted, and renamed without replacing.
 */
class PpmlFsTest {
  @TempDir java.nio.file.Path dir;
  private LocalKms kms;
  private Configuration conf;
  private FileContext fc;

  @BeforeEach
  void setUp() throws IOException {
    kms = TestKeyStores.withKeys(dir, "k1");
    conf = new Configuration();
    conf.set(PpmlConf.KMS_URL, kms.reference());
    conf.set(PpmlConf.KMS_KEY_FILE, dir.resolve("test.key").toString());
    conf.set(PpmlConf.KEY, "k1");
    SchemeSettings.hadoop("ppml+file").forEach(conf::set);
    fc = FileContext.getFileContext(URI.create("ppml+file:///"), conf);
  }

  @AfterEach
  void tearDown() throws IOException {
    kms.close();
    KeyReleases.closeAll();
  }

  private Path ppml(String name) {
    return new Path("ppml+file://" + dir.resolve(name));
  }

  private void write(Path path, String text) throws IOException {
    try (FSDataOutputStream out =
        fc.create(
            path,
            EnumSet.of(CreateFlag.CREATE),
            Options.CreateOpts.checksumParam(Options.ChecksumOpt.createDisabled()))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private String read(Path path) throws IOException {
    try (InputStream in = fc.open(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void fileContextResolvesToPpmlFsAndStoresCiphertext() throws IOException {
    assertInstanceOf(PpmlFs.class, fc.getDefaultFileSystem());
    Path p = ppml("a.json");
    write(p, "{\"plain\":true}");
    assertEquals("{\"plain\":true}", read(p));
    byte[] stored = Files.readAllBytes(dir.resolve("a.json"));
    assertTrue(EnvelopeHeader.hasMagic(stored));
    assertEquals(14, fc.getFileStatus(p).getLen(), "plaintext length");
    assertTrue(fc.util().exists(p));
  }

  @Test
  void renameNoneRefusesAnExistingDestinationAndOverwriteReplacesIt() throws IOException {
    Path src = ppml("src");
    Path dst = ppml("dst");
    write(src, "new");
    write(dst, "old");
    assertThrows(FileAlreadyExistsException.class, () -> fc.rename(src, dst, Options.Rename.NONE));
    assertEquals("old", read(dst));
    assertEquals("new", read(src), "the source stays where it was");

    fc.rename(src, dst, Options.Rename.OVERWRITE);
    assertEquals("new", read(dst));
    assertFalse(fc.util().exists(src));

    Path moved = ppml("moved");
    fc.rename(dst, moved);
    assertEquals("new", read(moved));
    assertFalse(Files.exists(dir.resolve("dst")));
    // The checksum sidecar moved with its file: reading back through the checksummed local file
    // system verifies it.
    assertEquals(
        List.of(),
        Files.list(dir)
            .map(f -> f.getFileName().toString())
            .filter(n -> n.startsWith(".src") || n.startsWith(".dst"))
            .toList());
  }

  @Test
  void renameNoneOfAMissingSourceOrIntoAMissingDirectoryFails() throws IOException {
    write(ppml("x"), "x");
    assertThrows(
        java.io.FileNotFoundException.class,
        () -> fc.rename(ppml("missing"), ppml("y"), Options.Rename.NONE));
    assertThrows(
        java.io.FileNotFoundException.class,
        () -> fc.rename(ppml("x"), ppml("no-dir/y"), Options.Rename.NONE));
    assertEquals("x", read(ppml("x")));
  }

  /** Writers racing to rename their file onto one name: exactly one wins, every round. */
  @Test
  void racingNonReplacingRenamesHaveExactlyOneWinner() throws Exception {
    int writers = 8;
    for (int round = 0; round < 40; round++) {
      Path target = ppml("v" + round);
      List<Path> temps = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        Path t = ppml(".v" + round + "-" + w + ".tmp");
        write(t, "writer " + w);
        temps.add(t);
      }
      List<Integer> winners =
          StartingGun.winners(
              StartingGun.race(
                  writers,
                  w -> {
                    try {
                      FileContext.getFileContext(URI.create("ppml+file:///"), conf)
                          .rename(temps.get(w), target, Options.Rename.NONE);
                      return true;
                    } catch (FileAlreadyExistsException e) {
                      return false;
                    }
                  }));
      assertEquals(1, winners.size(), "round " + round + ": " + winners);
      assertEquals("writer " + winners.get(0), read(target));
      for (int w = 0; w < writers; w++) {
        assertEquals(w != winners.get(0), fc.util().exists(temps.get(w)), "temp of " + w);
      }
    }
  }

  @Test
  void settingsNameBothApisAndDeltasObjectStoreLogStores() {
    assertEquals(
        Map.of(
            "fs.ppml+gs.impl",
            PpmlFileSystem.class.getName(),
            "fs.AbstractFileSystem.ppml+gs.impl",
            PpmlFs.class.getName()),
        SchemeSettings.hadoop("ppml+gs"));
    assertEquals("spark.delta.logStore.ppml+s3a.impl", SchemeSettings.deltaLogStoreKey("ppml+S3A"));
    assertEquals(
        "io.delta.storage.S3SingleDriverLogStore",
        SchemeSettings.session().get("spark.delta.logStore.ppml+s3a.impl"));
    assertEquals(
        PpmlFs.class.getName(),
        SchemeSettings.session().get("spark.hadoop.fs.AbstractFileSystem.ppml+hdfs.impl"));
    assertFalse(SchemeSettings.session().containsKey("spark.delta.logStore.ppml+file.impl"));
    assertThrows(IllegalArgumentException.class, () -> SchemeSettings.hadoop("s3a"));
  }

  @Test
  void renamesAreNotReplacedWhenTheSourceIsADirectory() throws IOException {
    fc.mkdir(ppml("d1"), null, true);
    write(ppml("d1/f"), "f");
    fc.mkdir(ppml("d2"), null, true);
    write(ppml("d2/g"), "g");
    assertThrows(IOException.class, () -> fc.rename(ppml("d1"), ppml("d2"), Options.Rename.NONE));
    assertArrayEquals(
        new String[] {"g"},
        Files.list(dir.resolve("d2"))
            .map(f -> f.getFileName().toString())
            .filter(n -> !n.startsWith("."))
            .toArray());
    fc.rename(ppml("d1"), ppml("d3"), Options.Rename.NONE);
    assertEquals("f", read(ppml("d3/f")));
  }

  /** The documented remedy for the sidecars: the raw local file system as the inner one. */
  @Test
  void rawLocalInnerFileSystemWritesNoChecksumFiles() throws IOException {
    write(ppml("checked"), "x");
    assertTrue(Files.exists(dir.resolve(".checked.crc")), "the checksummed default writes one");

    conf.set("fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem");
    conf.set("fs.file.impl.disable.cache", "true");
    FileContext raw = FileContext.getFileContext(URI.create("ppml+file:///"), conf);
    Path tmp = ppml(".raw.tmp");
    try (FSDataOutputStream out = raw.create(tmp, EnumSet.of(CreateFlag.CREATE))) {
      out.write("raw".getBytes(StandardCharsets.UTF_8));
    }
    raw.rename(tmp, ppml("raw"), Options.Rename.NONE);
    try (InputStream in = raw.open(ppml("raw"))) {
      assertEquals("raw", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    assertTrue(EnvelopeHeader.hasMagic(Files.readAllBytes(dir.resolve("raw"))));
    try (var files = Files.list(dir)) {
      assertEquals(
          List.of(),
          files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(".raw")).toList());
    }
  }
}
