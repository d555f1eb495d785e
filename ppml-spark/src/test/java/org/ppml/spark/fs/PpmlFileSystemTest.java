package org.ppml.spark.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.crypto.IntegrityException;
import org.ppml.crypto.envelope.EnvelopeHeader;
import org.ppml.crypto.envelope.KmsKeyResolver;
import org.ppml.crypto.envelope.PpmlDecryptor;
import org.ppml.crypto.envelope.PpmlFileLayout;
import org.ppml.crypto.kms.local.LocalKms;
import org.ppml.crypto.testing.TestKeyStores;
import org.ppml.spark.conf.PpmlConf;
import org.ppml.spark.keys.KeyReleases;

/** The FileSystem through the plain Hadoop API, with no Spark session and no fs.*.impl conf. */
class PpmlFileSystemTest {
  private static final int SEGMENT = 4096;
  @TempDir java.nio.file.Path dir;
  private LocalKms kms;
  private Configuration conf;
  private FileSystem fs;

  @BeforeEach
  void setUp() throws IOException {
    kms = TestKeyStores.withKeys(dir, "k1");
    conf = new Configuration();
    conf.set(PpmlConf.KMS_URL, kms.reference());
    conf.set(PpmlConf.KMS_KEY_FILE, dir.resolve("test.key").toString());
    conf.set(PpmlConf.KEY, "k1");
    conf.set(PpmlConf.SEGMENT_SIZE, Integer.toString(SEGMENT));
    // Found through META-INF/services alone: no fs.ppml+file.impl is set.
    fs = FileSystem.newInstance(URI.create("ppml+file:///"), conf);
  }

  @AfterEach
  void tearDown() throws IOException {
    fs.close();
    KeyReleases.closeAll();
  }

  private Path ppml(String name) {
    return new Path("ppml+file://" + dir.resolve(name));
  }

  private byte[] write(String name, int length) throws IOException {
    byte[] data = new byte[length];
    new Random(length).nextBytes(data);
    try (FSDataOutputStream out = fs.create(ppml(name), true)) {
      out.write(data, 0, length / 3);
      assertEquals(length / 3, out.getPos(), "getPos counts plaintext");
      out.write(data, length / 3, length - length / 3);
      assertEquals(length, out.getPos());
    }
    return data;
  }

  @Test
  void isRegisteredForPpmlSchemes() {
    assertInstanceOf(PpmlFileSystem.class, fs);
    assertEquals("ppml+file", fs.getScheme());
    assertEquals("ppml+file", fs.getUri().getScheme());
  }

  @Test
  void writesRealPpmlFilesThatTheCryptoLibraryDecrypts() throws IOException {
    byte[] data = write("a.bin", 50_000);
    java.nio.file.Path onDisk = dir.resolve("a.bin");
    byte[] raw = Files.readAllBytes(onDisk);
    assertTrue(EnvelopeHeader.hasMagic(raw));
    assertEquals(PpmlFileLayout.fileLength(data.length, SEGMENT), raw.length);
    try (InputStream in =
        new PpmlDecryptor(new KmsKeyResolver(kms))
            .open(Files.newInputStream(onDisk), onDisk.toString())) {
      assertArrayEquals(data, in.readAllBytes());
    }
  }

  @Test
  void listingReportsPlaintextLengths() throws IOException {
    write("a.bin", 50_000);
    write("b.bin", 0);
    FileStatus a = fs.getFileStatus(ppml("a.bin"));
    assertEquals(50_000, a.getLen());
    assertEquals("ppml+file", a.getPath().toUri().getScheme());
    FileStatus[] all = fs.listStatus(new Path("ppml+file://" + dir));
    long a2 =
        Arrays.stream(all)
            .filter(s -> s.getPath().getName().equals("a.bin"))
            .findFirst()
            .orElseThrow()
            .getLen();
    long b2 =
        Arrays.stream(all)
            .filter(s -> s.getPath().getName().equals("b.bin"))
            .findFirst()
            .orElseThrow()
            .getLen();
    assertEquals(50_000, a2);
    assertEquals(0, b2);
    // Owner, group and permission are the ciphertext's (read when asked, not at listing time).
    FileStatus inner =
        FileSystem.getLocal(new Configuration())
            .getFileStatus(new Path(dir.resolve("a.bin").toUri()));
    assertEquals(inner.getPermission(), a.getPermission());
    assertEquals(inner.getOwner(), a.getOwner());
    assertEquals(inner.getGroup(), a.getGroup());
    assertEquals(inner.getModificationTime(), a.getModificationTime());
  }

  @Test
  void seeksAndPositionedReadsDecryptTheRightBytes() throws IOException {
    byte[] data = write("a.bin", 100_000);
    try (FSDataInputStream in = fs.open(ppml("a.bin"))) {
      byte[] buf = new byte[5000];
      for (long at : new long[] {99_000, 0, 4039, 4040, 4041, 8119, 8120, 55_555}) {
        in.seek(at);
        assertEquals(at, in.getPos());
        int n = Math.min(buf.length, (int) (data.length - at));
        in.readFully(buf, 0, n);
        assertArrayEquals(
            Arrays.copyOfRange(data, (int) at, (int) at + n), Arrays.copyOf(buf, n), "at " + at);
        assertEquals(at + n, in.getPos());
      }
      byte[] p = new byte[777];
      in.readFully(12_345, p);
      assertArrayEquals(Arrays.copyOfRange(data, 12_345, 12_345 + 777), p);
      ByteBuffer bb = ByteBuffer.allocateDirect(1000);
      in.seek(30_000);
      assertEquals(1000, in.read(bb));
      bb.flip();
      byte[] got = new byte[1000];
      bb.get(got);
      assertArrayEquals(Arrays.copyOfRange(data, 30_000, 31_000), got);
      assertTrue(in.hasCapability("in:readbytebuffer"));
      in.seek(data.length);
      assertEquals(-1, in.read());
      assertThrows(EOFException.class, () -> in.seek(data.length + 1L));
    }
  }

  @Test
  void blockLocationsCoverThePlaintext() throws IOException {
    write("a.bin", 100_000);
    FileStatus status = fs.getFileStatus(ppml("a.bin"));
    var blocks = fs.getFileBlockLocations(status, 0, status.getLen());
    assertEquals(1, blocks.length);
    assertEquals(0, blocks[0].getOffset());
    assertEquals(100_000, blocks[0].getLength());
  }

  @Test
  void namespaceOperationsDelegate() throws IOException {
    byte[] data = write("a.bin", 10_000);
    assertTrue(fs.mkdirs(ppml("sub/dir")));
    assertTrue(fs.rename(ppml("a.bin"), ppml("sub/dir/b.bin")));
    assertFalse(Files.exists(dir.resolve("a.bin")));
    try (FSDataInputStream in = fs.open(ppml("sub/dir/b.bin"))) {
      assertArrayEquals(data, in.readAllBytes());
    }
    assertTrue(fs.delete(ppml("sub"), true));
    assertFalse(fs.exists(ppml("sub")));
  }

  @Test
  void plaintextUnderPpmlPathIsATypedErrorNamingTheFile() throws IOException {
    Files.writeString(dir.resolve("plain.csv"), "a,b\n1,2\n".repeat(500));
    NotPpmlFileException e =
        assertThrows(NotPpmlFileException.class, () -> fs.open(ppml("plain.csv")));
    assertTrue(e.getMessage().contains("plain.csv"), e.getMessage());
  }

  @Test
  void zeroLengthMarkersReadAsEmpty() throws IOException {
    Files.createFile(dir.resolve("_SUCCESS"));
    try (FSDataInputStream in = fs.open(ppml("_SUCCESS"))) {
      assertEquals(-1, in.read());
    }
  }

  @Test
  void tamperingFailsWithAnIntegrityErrorNamingTheFileAndSegment() throws IOException {
    write("a.bin", 20_000);
    java.nio.file.Path onDisk = dir.resolve("a.bin");
    byte[] raw = Files.readAllBytes(onDisk);
    raw[1024 + 2 * SEGMENT + 100] ^= 1;
    Files.write(onDisk, raw);
    Files.deleteIfExists(dir.resolve(".a.bin.crc")); // an attacker rewrites Hadoop's checksum too
    try (FSDataInputStream in = fs.open(ppml("a.bin"))) {
      in.readFully(0, new byte[4000]); // segment 0 is intact
      IntegrityException e = assertThrows(IntegrityException.class, () -> in.readAllBytes());
      assertEquals(2, e.segment());
      assertTrue(e.getMessage().contains("a.bin"), e.getMessage());
    }
  }

  @Test
  void truncationAndSwappedHeadersAreIntegrityErrors() throws IOException {
    write("a.bin", 20_000);
    write("b.bin", 20_000);
    java.nio.file.Path a = dir.resolve("a.bin");
    byte[] raw = Files.readAllBytes(a);
    // Cut at a segment boundary: a shorter file whose length is still a valid PPML length.
    Files.write(a, Arrays.copyOf(raw, 1024 + 2 * SEGMENT));
    Files.deleteIfExists(dir.resolve(".a.bin.crc"));
    try (FSDataInputStream in = fs.open(ppml("a.bin"))) {
      IntegrityException e = assertThrows(IntegrityException.class, in::readAllBytes);
      assertTrue(e.getMessage().contains("a.bin"), e.getMessage());
    }
    // b's body under a's header: a's data key does not authenticate b's segments.
    java.nio.file.Path b = dir.resolve("b.bin");
    byte[] rawB = Files.readAllBytes(b);
    System.arraycopy(raw, 0, rawB, 0, EnvelopeHeader.LENGTH);
    Files.write(b, rawB);
    Files.deleteIfExists(dir.resolve(".b.bin.crc"));
    try (FSDataInputStream in = fs.open(ppml("b.bin"))) {
      assertThrows(IntegrityException.class, in::readAllBytes);
    } catch (IntegrityException e) {
      // Or already at open, when the empty-final-segment check reads a segment.
      assertTrue(e.getMessage().contains("b.bin"), e.getMessage());
    }
  }

  @Test
  void aFileWithAnotherSegmentSizeIsRefusedAtOpen() throws IOException {
    write("a.bin", 20_000);
    Configuration other = new Configuration(conf);
    other.set(PpmlConf.SEGMENT_SIZE, "8192");
    try (FileSystem fs2 = FileSystem.newInstance(URI.create("ppml+file:///"), other)) {
      IOException e = assertThrows(IOException.class, () -> fs2.open(ppml("a.bin")));
      assertTrue(e.getMessage().contains("segment size 4096"), e.getMessage());
    }
  }

  @Test
  void productionModeRefusesALocalKeyStore() throws IOException {
    write("a.bin", 100);
    Configuration prod = new Configuration(conf);
    prod.set(PpmlConf.MODE, "production");
    try (FileSystem fs2 = FileSystem.newInstance(URI.create("ppml+file:///"), prod)) {
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> fs2.open(ppml("a.bin")));
      assertTrue(e.getMessage().contains("production refuses the local key store"), e.getMessage());
    }
  }
}
