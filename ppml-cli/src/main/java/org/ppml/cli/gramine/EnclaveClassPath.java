package org.ppml.cli.gramine;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A JVM class path laid out the way the manifest generator takes it: the first entry as the
 * application jar, every other one in one {@code jars/} directory. Jars are linked (the host
 * follows the link; the manifest trusts the link's path with the target's hash); class directories
 * (a Maven build's {@code target/classes}) are packed into jars, since the manifest trusts files,
 * not directory trees on the class path.
 *
 * @param appJar the first class path entry, as a jar
 * @param jarsDir every other entry
 */
public record EnclaveClassPath(Path appJar, Path jarsDir) {

  /** Fixed entry time, so packing the same classes gives the same jar (and the same MRENCLAVE). */
  private static final long ENTRY_TIME = 315532800000L; // 1980-01-01, the zip epoch

  /**
   * @param classPath the entries, in order
   * @param dir an empty or absent directory to build in
   * @return the staged class path
   * @throws IOException if an entry cannot be linked or packed
   */
  public static EnclaveClassPath stage(List<Path> classPath, Path dir) throws IOException {
    Path app = Files.createDirectories(dir.resolve("app"));
    Path jars = Files.createDirectories(dir.resolve("jars"));
    Path appJar = null;
    int n = 0;
    for (Path entry : classPath) {
      Path abs = entry.toAbsolutePath().normalize();
      Path into = appJar == null ? app : jars;
      Path staged;
      if (Files.isDirectory(abs)) {
        // Numbered: several modules' target/classes have the same name.
        staged = into.resolve(String.format("%03d-%s.jar", n++, abs.getParent().getFileName()));
        pack(abs, staged);
      } else if (Files.isRegularFile(abs) && abs.getFileName().toString().endsWith(".jar")) {
        staged = into.resolve(abs.getFileName());
        if (Files.exists(staged, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          continue; // the same jar twice: the first wins, as on a class path
        }
        Files.createSymbolicLink(staged, abs);
      } else {
        continue; // a missing entry contributes nothing to a class path
      }
      if (appJar == null) {
        appJar = staged;
      }
    }
    if (appJar == null) {
      throw new IOException("the class path is empty");
    }
    return new EnclaveClassPath(appJar, jars);
  }

  /**
   * This JVM's class path, in order, with a launcher jar's manifest {@code Class-Path} expanded
   * where it stands (as {@code java -jar} and Maven Surefire's booter jar use it), since the
   * enclave's class path must name every jar it trusts.
   *
   * @return the entries
   * @throws IOException if a jar's manifest cannot be read
   */
  public static List<Path> ofThisJvm() throws IOException {
    List<Path> entries = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (e.isEmpty()) {
        continue;
      }
      Path p = Path.of(e).toAbsolutePath();
      entries.add(p);
      if (Files.isRegularFile(p) && e.endsWith(".jar")) {
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(p.toFile())) {
          java.util.jar.Manifest mf = jar.getManifest();
          String cp = mf == null ? null : mf.getMainAttributes().getValue("Class-Path");
          if (cp != null) {
            for (String ref : cp.trim().split("\\s+")) {
              java.net.URI uri = p.toUri().resolve(ref);
              entries.add(Path.of(uri));
            }
          }
        }
      }
    }
    return entries;
  }

  private static void pack(Path classes, Path jar) throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(classes)) {
      walk.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).forEach(files::add);
    }
    try (OutputStream os = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(os)) {
      for (Path f : files) {
        JarEntry e = new JarEntry(classes.relativize(f).toString().replace('\\', '/'));
        e.setTime(ENTRY_TIME);
        out.putNextEntry(e);
        Files.copy(f, out);
        out.closeEntry();
      }
    }
  }
}
