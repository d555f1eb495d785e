package org.ppml.spark.fs;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@code ppml+<scheme>} through Hadoop's {@code FileContext} API: the {@link
 * org.apache.hadoop.fs.AbstractFileSystem} over {@link PpmlFileSystem}, as {@code LocalFs} is over
 * the local FileSystem.
 *
 * <p>Delta Lake's default log store ({@code HDFSLogStore}) commits through {@code FileContext}: it
 * writes a temporary file and renames it onto {@code _delta_log/<version>.json} with {@code
 * Options.Rename.NONE}, so that of two writers of one version exactly one wins. Hadoop has no
 * service loader for this API, so {@code fs.AbstractFileSystem.ppml+<scheme>.impl} must name this
 * class ({@link SchemeSettings} lists what the data source and the plugin set).
 *
 * <p>Renames are the one operation not left to {@link DelegateToFileSystem}'s defaults: both go to
 * {@link PpmlFileSystem#renameNoReplace}, which hands the non-overwriting rename to the inner file
 * system rather than checking for the destination first.
 */
public class PpmlFs extends DelegateToFileSystem {
  /**
   * The constructor {@code AbstractFileSystem.createFileSystem} calls reflectively.
   *
   * @param uri a {@code ppml+<scheme>} URI
   */
  public PpmlFs(URI uri, Configuration conf) throws IOException, URISyntaxException {
    super(uri, new PpmlFileSystem(scheme(uri)), conf, scheme(uri), false);
  }

  private static String scheme(URI uri) throws IOException {
    String scheme = uri.getScheme();
    if (!PpmlFileSystem.isPpmlScheme(scheme)) {
      throw new IOException("not a ppml+<scheme> URI: " + uri);
    }
    return scheme;
  }

  /** No default port: the inner scheme's authority, port included, is carried as it is. */
  @Override
  public int getUriDefaultPort() {
    return -1;
  }

  @Override
  public void renameInternal(Path src, Path dst) throws IOException {
    renameInternal(src, dst, false);
  }

  @Override
  public void renameInternal(Path src, Path dst, boolean overwrite) throws IOException {
    checkPath(src);
    checkPath(dst);
    ((PpmlFileSystem) fsImpl).renameNoReplace(src, dst, overwrite);
  }
}
