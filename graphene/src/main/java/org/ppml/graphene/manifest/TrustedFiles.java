package org.ppml.graphene.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Collects files to trust and hashes them, giving a sorted, de-duplicated list so the same inputs
 * always render the same manifest (and so the same MRENCLAVE).
 */
public final class TrustedFiles {

  /** Bound on files collected, so a mistaken root such as "/" fails instead of hashing a disk. */
  public static final int MAX_FILES = 200_000;

  private final TreeMap<String, TrustedFile> byUri = new TreeMap<>();

  /**
   * Adds one regular file.
   *
   * @param file an existing regular file
   * @return this
   * @throws IOException if it cannot be read or is not a regular file
   */
  public TrustedFiles addFile(Path file) throws IOException {
    Path abs = file.toAbsolutePath().normalize();
    if (!Files.isRegularFile(abs)) {
      throw new IOException("trusted file " + abs + " is not a regular file");
    }
    String uri = "file:" + abs;
    if (!byUri.containsKey(uri)) {
      if (byUri.size() >= MAX_FILES) {
        throw new IOException(
            "more than " + MAX_FILES + " trusted files; is a root directory too broad?");
      }
      byUri.put(uri, new TrustedFile(uri, sha256(abs)));
    }
    return this;
  }

  /**
   * Adds every regular file under a directory, recursively (symlinked files are hashed through the
   * link, symlinked directories are not followed, as gramine-manifest does).
   *
   * @param dir an existing directory
   * @return this
   * @throws IOException if it cannot be walked or a file cannot be read
   */
  public TrustedFiles addTree(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + " is not a directory");
    }
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      // Files.walk does not descend into symlinked directories; symlinked files count.
      walk.filter(Files::isRegularFile).forEach(files::add);
    }
    for (Path f : files) {
      addFile(f);
    }
    return this;
  }

  /**
   * Adds every {@code *.jar} directly inside a directory (Spark's {@code jars/} layout).
   *
   * @param dir an existing directory
   * @return this
   * @throws IOException if it cannot be listed or a jar cannot be read
   */
  public TrustedFiles addJars(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + " is not a directory");
    }
    List<Path> jars = new ArrayList<>();
    try (Stream<Path> list = Files.list(dir)) {
      list.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p))
          .forEach(jars::add);
    }
    for (Path jar : jars) {
      addFile(jar);
    }
    return this;
  }

  /**
   * @return the entries, sorted by URI
   */
  public List<TrustedFile> list() {
    return List.copyOf(byUri.values());
  }

  static String sha256(Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
