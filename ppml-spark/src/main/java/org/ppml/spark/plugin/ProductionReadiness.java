package org.ppml.spark.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.ppml.spark.conf.PpmlConf;
import org.ppml.spark.keys.KeyReleases;

/**
 * What a Spark application lacks to run on encrypted data in production (docs/spark.md).
 *
 * <p>Data leaves the enclaves in RPC, shuffle and spill, so besides a KMS that releases keys only
 * after attestation, production needs authenticated and encrypted RPC, encrypted local I/O, and
 * local directories on memory or an encrypted device. Each problem is one line that names the
 * setting to change.
 */
public final class ProductionReadiness {
  /**
   * One line of {@code /proc/self/mounts}.
   *
   * @param device the mounted device, e.g. {@code /dev/mapper/secure} or {@code tmpfs}
   * @param mountPoint where it is mounted
   * @param type the file system type
   */
  public record Mount(String device, String mountPoint, String type) {}

  private ProductionReadiness() {}

  /**
   * The problems of an application's configuration; empty when it is ready.
   *
   * @param spark the SparkConf lookup (null for unset)
   * @param localDirs the directories executors spill and shuffle to
   * @param mounts the mount table of this host
   */
  public static List<String> problems(
      Function<String, String> spark, PpmlConf conf, List<Path> localDirs, List<Mount> mounts) {
    List<String> out = new ArrayList<>();
    if (!conf.hasKms()) {
      out.add(PpmlConf.KMS_URL + " is not set");
    } else {
      try {
        KeyReleases.checkAllowed(conf);
      } catch (IllegalStateException e) {
        out.add(e.getMessage());
      }
    }
    requireTrue(
        spark, "spark.authenticate", "RPC between driver and executors is not authenticated", out);
    requireTrue(
        spark, "spark.network.crypto.enabled", "RPC and block transfers are not encrypted", out);
    requireTrue(
        spark,
        "spark.io.encryption.enabled",
        "shuffle and spill files are written in plaintext",
        out);
    for (Path dir : localDirs) {
      Mount m = mountOf(dir, mounts);
      if (m == null || !isProtected(m)) {
        out.add(
            "local dir "
                + dir
                + " is on "
                + (m == null ? "an unknown mount" : m.type() + " (" + m.device() + ")")
                + ", not on tmpfs or an encrypted (dm-crypt) device: set spark.local.dir / SPARK_LOCAL_DIRS");
      }
    }
    return out;
  }

  /** The local directories Spark will use, resolved as Spark does. */
  public static List<Path> localDirs(Function<String, String> spark) {
    String dirs = System.getenv("SPARK_LOCAL_DIRS");
    if (dirs == null || dirs.isBlank()) {
      dirs = spark.apply("spark.local.dir");
    }
    if (dirs == null || dirs.isBlank()) {
      dirs = System.getProperty("java.io.tmpdir");
    }
    List<Path> out = new ArrayList<>();
    for (String d : dirs.split(",")) {
      if (!d.isBlank()) {
        out.add(Path.of(d.trim()));
      }
    }
    return out;
  }

  /** This host's mount table, or empty where there is none to read. */
  public static List<Mount> hostMounts() {
    try {
      return parseMounts(Files.readAllLines(Path.of("/proc/self/mounts")));
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Parses {@code /proc/self/mounts} lines (octal escapes such as {@code \040} decoded). */
  public static List<Mount> parseMounts(List<String> lines) {
    List<Mount> out = new ArrayList<>();
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 3) {
        out.add(new Mount(unescape(f[0]), unescape(f[1]), f[2]));
      }
    }
    return out;
  }

  private static String unescape(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\'
          && i + 3 < s.length()
          && s.substring(i + 1, i + 4).chars().allMatch(ch -> ch >= '0' && ch <= '7')) {
        b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static Mount mountOf(Path dir, List<Mount> mounts) {
    Path abs = dir.toAbsolutePath().normalize();
    Mount best = null;
    for (Mount m : mounts) {
      Path point = Path.of(m.mountPoint());
      if (abs.startsWith(point)
          && (best == null || point.getNameCount() >= Path.of(best.mountPoint()).getNameCount())) {
        best = m;
      }
    }
    return best;
  }

  private static boolean isProtected(Mount m) {
    String type = m.type().toLowerCase(Locale.ROOT);
    return type.equals("tmpfs")
        || type.equals("ramfs")
        || m.device().startsWith("/dev/mapper/")
        || m.device().startsWith("/dev/dm-");
  }

  private static void requireTrue(
      Function<String, String> spark, String key, String why, List<String> out) {
    if (!"true".equalsIgnoreCase(String.valueOf(spark.apply(key)).trim())) {
      out.add(key + " is not true: " + why);
    }
  }
}
