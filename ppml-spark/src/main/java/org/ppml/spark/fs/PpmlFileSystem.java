package org.ppml.spark.fs;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;
import org.ppml.crypto.IntegrityException;
import org.ppml.crypto.envelope.EnvelopeHeader;
import org.ppml.crypto.envelope.PpmlDecryptor;
import org.ppml.crypto.envelope.PpmlEncryptor;
import org.ppml.crypto.envelope.PpmlFileLayout;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.stream.SeekableDecryptingChannel;
import org.ppml.crypto.stream.SegmentLayout;
import org.ppml.spark.conf.PpmlConf;
import org.ppml.spark.keys.JobDataKey;
import org.ppml.spark.keys.KeyRelease;
import org.ppml.spark.keys.KeyReleases;

/**
 * {@code ppml+<scheme>://…}: any Hadoop FileSystem, with every file encrypted in the PPML v1
 * format. {@code ppml+file:///data/x} is {@code file:///data/x} seen in plaintext.
 *
 * <p>Listings report plaintext lengths computed from the ciphertext length alone (the header has a
 * fixed size), so splitting a dataset costs no extra I/O. That needs the segment size, which is not
 * in the listing: it is taken from {@code spark.ppml.segmentSize} (default 262144), and a file
 * written with another segment size is refused when opened rather than read with wrong splits.
 *
 * <p>{@link #open} checks the header and returns a seekable stream that decrypts one segment per
 * read; {@link #create} encrypts under the write job's data key ({@link JobDataKey}) or, when the
 * job came without one, under a fresh data key for {@code spark.ppml.key}. Rename, delete, mkdirs
 * and listings delegate. Zero-length files (markers such as {@code _SUCCESS} written by other
 * tools) read as empty.
 *
 * <p>Hadoop finds this class by scheme through {@code META-INF/services} for the common schemes
 * (one nested subclass per scheme, since the service loader asks each class for one scheme), and
 * through {@code fs.ppml+<scheme>.impl}, which the data source sets, for any other.
 */
public class PpmlFileSystem extends FileSystem {
  /** What a PPML scheme starts with; the rest is the wrapped scheme. */
  public static final String SCHEME_PREFIX = "ppml+";

  private final String defaultScheme;
  private URI uri;
  private String innerScheme;
  private FileSystem inner;
  private Path workingDirectory;
  private PpmlConf ppml;
  private SegmentLayout layout;

  /** The {@code ppml+file} file system; Hadoop instantiates it reflectively. */
  public PpmlFileSystem() {
    this("ppml+file");
  }

  /**
   * @param defaultScheme the scheme reported before {@link #initialize}
   */
  protected PpmlFileSystem(String defaultScheme) {
    this.defaultScheme = defaultScheme;
  }

  /** The {@code ppml+} scheme that wraps {@code scheme}. */
  public static String ppmlScheme(String scheme) {
    return SCHEME_PREFIX + scheme.toLowerCase(Locale.ROOT);
  }

  /** Whether {@code scheme} is a PPML scheme. */
  public static boolean isPpmlScheme(String scheme) {
    return scheme != null
        && scheme.toLowerCase(Locale.ROOT).startsWith(SCHEME_PREFIX)
        && scheme.length() > SCHEME_PREFIX.length();
  }

  @Override
  public void initialize(URI name, Configuration conf) throws IOException {
    super.initialize(name, conf);
    setConf(conf);
    String scheme = name.getScheme();
    if (!isPpmlScheme(scheme)) {
      throw new IOException("not a ppml+<scheme> URI: " + name);
    }
    scheme = scheme.toLowerCase(Locale.ROOT);
    innerScheme = scheme.substring(SCHEME_PREFIX.length());
    String authority = name.getAuthority();
    inner =
        FileSystem.get(
            URI.create(innerScheme + "://" + (authority == null ? "" : authority) + "/"), conf);
    uri = URI.create(scheme + "://" + (authority == null ? "" : authority) + "/");
    ppml = PpmlConf.from(conf);
    layout = SegmentLayout.of(ppml.segmentSize());
    workingDirectory = toOuter(inner.getWorkingDirectory());
  }

  @Override
  public String getScheme() {
    return uri == null ? defaultScheme : uri.getScheme();
  }

  @Override
  public URI getUri() {
    return uri;
  }

  /** The wrapped FileSystem. */
  public FileSystem innerFileSystem() {
    return inner;
  }

  /** The wrapped path of a {@code ppml+} path: where the ciphertext lies. */
  public Path toInner(Path path) {
    URI u = makeQualified(path).toUri();
    return new Path(innerScheme, u.getAuthority(), u.getPath());
  }

  private Path toOuter(Path innerPath) {
    URI u = innerPath.toUri();
    return new Path(uri.getScheme(), u.getAuthority(), u.getPath());
  }

  // --- reading ------------------------------------------------------------------------------

  @Override
  public FSDataInputStream open(Path path, int bufferSize) throws IOException {
    Path ciphertext = toInner(path);
    FileStatus status = inner.getFileStatus(ciphertext);
    if (status.isDirectory()) {
      throw new FileNotFoundException(path + " is a directory");
    }
    FSDataInputStream raw = inner.open(ciphertext, bufferSize);
    if (status.getLen() == 0) {
      return raw;
    }
    String name = makeQualified(path).toString();
    HadoopCiphertextSource source = new HadoopCiphertextSource(raw, status.getLen());
    SeekableDecryptingChannel channel;
    try {
      channel = new PpmlDecryptor(KeyReleases.resolverFor(ppml)).open(source, name);
    } catch (IntegrityException e) {
      if (e.segment() == IntegrityException.HEADER && !startsWithMagic(ciphertext)) {
        throw new NotPpmlFileException(name);
      }
      throw e;
    }
    long listed = plaintextLength(status.getLen());
    if (channel.size() != listed) {
      channel.close();
      throw segmentSizeMismatch(ciphertext, name);
    }
    return new FSDataInputStream(new DecryptingFSInputStream(channel));
  }

  private boolean startsWithMagic(Path ciphertext) throws IOException {
    try (InputStream in = inner.open(ciphertext)) {
      return EnvelopeHeader.hasMagic(in.readNBytes(4));
    }
  }

  private IOException segmentSizeMismatch(Path ciphertext, String name) throws IOException {
    byte[] block;
    try (InputStream in = inner.open(ciphertext)) {
      block = in.readNBytes(EnvelopeHeader.LENGTH);
    }
    int written = EnvelopeHeader.decode(block, name).segmentSize();
    return new IOException(
        name
            + " was written with segment size "
            + written
            + ", but "
            + PpmlConf.SEGMENT_SIZE
            + " is "
            + ppml.segmentSize()
            + "; listings compute plaintext lengths from that setting, so set it to "
            + written
            + " to read this dataset");
  }

  /** Plaintext length of a file of {@code fileLength} bytes, as listings report it. */
  private long plaintextLength(long fileLength) {
    if (fileLength == 0) {
      return 0;
    }
    long plain = PpmlFileLayout.plaintextLength(fileLength, layout.segmentSize());
    // Not a valid PPML length: report the raw length so that the file is opened (and refused with
    // a clear error) rather than skipped as empty.
    return plain < 0 ? fileLength : plain;
  }

  private FileStatus toOuter(FileStatus s) {
    long length = s.isFile() ? plaintextLength(s.getLen()) : s.getLen();
    return new PlaintextFileStatus(length, toOuter(s.getPath()), s);
  }

  /**
   * The ciphertext's status with the plaintext length and the outer path. Owner, group and
   * permission are read from the inner status only when asked for: on a local file system without
   * Hadoop's native library each of them forks {@code ls}, and copying them eagerly made every
   * {@code getFileStatus} (Parquet opens each file through one) cost a process.
   */
  private static final class PlaintextFileStatus extends FileStatus {
    private static final long serialVersionUID = 1L;
    private final transient FileStatus inner;

    PlaintextFileStatus(long length, Path path, FileStatus inner) {
      super(
          length,
          inner.isDirectory(),
          inner.getReplication(),
          inner.getBlockSize(),
          inner.getModificationTime(),
          inner.getAccessTime(),
          null,
          null,
          null,
          path);
      this.inner = inner;
    }

    @Override
    public FsPermission getPermission() {
      return inner == null ? super.getPermission() : inner.getPermission();
    }

    @Override
    public String getOwner() {
      return inner == null ? super.getOwner() : inner.getOwner();
    }

    @Override
    public String getGroup() {
      return inner == null ? super.getGroup() : inner.getGroup();
    }
  }

  @Override
  public FileStatus getFileStatus(Path path) throws IOException {
    return toOuter(inner.getFileStatus(toInner(path)));
  }

  @Override
  public FileStatus[] listStatus(Path path) throws IOException {
    FileStatus[] statuses = inner.listStatus(toInner(path));
    FileStatus[] out = new FileStatus[statuses.length];
    for (int i = 0; i < statuses.length; i++) {
      out[i] = toOuter(statuses[i]);
    }
    return out;
  }

  /** Block locations of the ciphertext, with offsets mapped back to plaintext (locality hints). */
  @Override
  public BlockLocation[] getFileBlockLocations(FileStatus file, long start, long len)
      throws IOException {
    if (file == null) {
      return null;
    }
    if (start < 0 || len < 0) {
      throw new IllegalArgumentException("invalid start or len parameter");
    }
    Path ciphertext = toInner(file.getPath());
    long from = ciphertextOffset(start);
    long to = ciphertextOffset(start + len);
    BlockLocation[] blocks = inner.getFileBlockLocations(ciphertext, from, Math.max(0, to - from));
    if (blocks == null) {
      return null;
    }
    BlockLocation[] out = new BlockLocation[blocks.length];
    for (int i = 0; i < blocks.length; i++) {
      BlockLocation b = blocks[i];
      long offset = plaintextOffset(b.getOffset());
      long end = Math.min(file.getLen(), plaintextOffset(b.getOffset() + b.getLength()));
      out[i] =
          new BlockLocation(
              b.getNames(),
              b.getHosts(),
              b.getTopologyPaths(),
              offset,
              Math.max(0, end - offset),
              b.isCorrupt());
    }
    return out;
  }

  private long ciphertextOffset(long plaintextOffset) {
    long segment = layout.segmentOf(plaintextOffset);
    return EnvelopeHeader.LENGTH
        + layout.ciphertextStart(segment)
        + (plaintextOffset - layout.plaintextStart(segment));
  }

  private long plaintextOffset(long ciphertextOffset) {
    long body = ciphertextOffset - EnvelopeHeader.LENGTH;
    if (body <= SegmentLayout.HEADER_LENGTH) {
      return 0;
    }
    long segment = body / layout.segmentSize();
    long within = body - layout.ciphertextStart(segment);
    int capacity =
        segment == 0 ? layout.firstPlaintextSegmentSize() : layout.plaintextSegmentSize();
    return layout.plaintextStart(segment) + Math.max(0, Math.min(within, capacity));
  }

  // --- writing ------------------------------------------------------------------------------

  @Override
  public FSDataOutputStream create(
      Path path,
      FsPermission permission,
      boolean overwrite,
      int bufferSize,
      short replication,
      long blockSize,
      Progressable progress)
      throws IOException {
    PpmlEncryptor encryptor = encryptorFor(makeQualified(path).toString());
    boolean ok = false;
    try {
      FSDataOutputStream raw =
          inner.create(
              toInner(path), permission, overwrite, bufferSize, replication, blockSize, progress);
      // FSDataOutputStream counts the bytes written through it, so getPos() is a plaintext offset,
      // which is what Parquet and ORC record in their footers.
      FSDataOutputStream out =
          new FSDataOutputStream(
              new EncryptingFileOutputStream(encryptor, encryptor.encrypt(raw)), statistics);
      ok = true;
      return out;
    } finally {
      if (!ok) {
        encryptor.close();
      }
    }
  }

  private PpmlEncryptor encryptorFor(String name) throws IOException {
    var job = JobDataKey.from(getConf());
    if (job.isPresent()) {
      try (DataKey key =
          KeyReleases.resolverFor(ppml)
              .resolve(job.get().kmsReference(), job.get().wrapped(), name)) {
        return PpmlEncryptor.forDataKey(key, job.get().kmsReference(), layout.segmentSize());
      }
    }
    String keyName =
        ppml.key()
            .orElseThrow(
                () ->
                    new IOException(
                        "cannot write "
                            + name
                            + ": no key for writes; set "
                            + PpmlConf.KEY
                            + " or write with format(\"ppml\").option(\"key\", …)"));
    KeyRelease release = KeyReleases.forConf(ppml);
    try (DataKey key = release.newDataKey(keyName)) {
      return PpmlEncryptor.forDataKey(key, release.kmsReference(), layout.segmentSize());
    }
  }

  @Override
  public FSDataOutputStream append(Path path, int bufferSize, Progressable progress) {
    throw new UnsupportedOperationException("PPML files cannot be appended to: " + path);
  }

  // --- namespace ----------------------------------------------------------------------------

  @Override
  public boolean rename(Path src, Path dst) throws IOException {
    return inner.rename(toInner(src), toInner(dst));
  }

  @Override
  public boolean delete(Path path, boolean recursive) throws IOException {
    return inner.delete(toInner(path), recursive);
  }

  @Override
  public boolean mkdirs(Path path, FsPermission permission) throws IOException {
    return inner.mkdirs(toInner(path), permission);
  }

  @Override
  public void setWorkingDirectory(Path dir) {
    workingDirectory = makeQualified(dir);
  }

  @Override
  public Path getWorkingDirectory() {
    return workingDirectory;
  }

  @Override
  public Path getHomeDirectory() {
    return toOuter(inner.getHomeDirectory());
  }

  @Override
  public long getDefaultBlockSize(Path path) {
    return inner.getDefaultBlockSize(toInner(path));
  }

  @Override
  public short getDefaultReplication(Path path) {
    return inner.getDefaultReplication(toInner(path));
  }

  @Override
  public void setPermission(Path path, FsPermission permission) throws IOException {
    inner.setPermission(toInner(path), permission);
  }

  @Override
  public void setTimes(Path path, long mtime, long atime) throws IOException {
    inner.setTimes(toInner(path), mtime, atime);
  }

  @Override
  public String toString() {
    return "PpmlFileSystem[" + uri + " over " + inner + "]";
  }

  /** {@code ppml+hdfs}. */
  public static final class Hdfs extends PpmlFileSystem {
    public Hdfs() {
      super("ppml+hdfs");
    }
  }

  /** {@code ppml+s3a}. */
  public static final class S3a extends PpmlFileSystem {
    public S3a() {
      super("ppml+s3a");
    }
  }

  /** {@code ppml+abfs}. */
  public static final class Abfs extends PpmlFileSystem {
    public Abfs() {
      super("ppml+abfs");
    }
  }

  /** {@code ppml+abfss}. */
  public static final class Abfss extends PpmlFileSystem {
    public Abfss() {
      super("ppml+abfss");
    }
  }

  /** {@code ppml+gs}. */
  public static final class Gs extends PpmlFileSystem {
    public Gs() {
      super("ppml+gs");
    }
  }
}
