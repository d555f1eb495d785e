package org.ppml.spark.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.ppml.spark.fs.PpmlFileSystem;
import org.ppml.spark.fs.SchemeSettings;

/**
 * Rewrites user paths to {@code ppml+<scheme>} paths, and names the Hadoop settings that make those
 * schemes resolve to {@link PpmlFileSystem}.
 */
final class PpmlPaths {
  private PpmlPaths() {}

  /**
   * {@code /data/x} (on a {@code file:} default FS) becomes {@code ppml+file:/data/x}; {@code
   * hdfs://nn/x} becomes {@code ppml+hdfs://nn/x}; a {@code ppml+} path stays as it is.
   */
  static Path toPpml(String path, Configuration conf) {
    Path p = new Path(path);
    if (PpmlFileSystem.isPpmlScheme(p.toUri().getScheme())) {
      return p;
    }
    URI q;
    try {
      q = p.getFileSystem(conf).makeQualified(p).toUri();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve the file system of " + path, e);
    }
    return new Path(PpmlFileSystem.ppmlScheme(q.getScheme()), q.getAuthority(), q.getPath());
  }

  /**
   * The settings for a job over {@code ppmlPath}: the implementation classes (FileSystem and
   * FileContext), so that any scheme resolves without user configuration, and no FileSystem
   * caching, so that every job's FileSystem sees that job's settings (its write key) rather than
   * the first job's.
   */
  static Map<String, String> fileSystemSettings(Path ppmlPath) {
    String scheme = ppmlPath.toUri().getScheme();
    Map<String, String> out = new LinkedHashMap<>(SchemeSettings.hadoop(scheme));
    out.put("fs." + scheme + ".impl.disable.cache", "true");
    return out;
  }
}
