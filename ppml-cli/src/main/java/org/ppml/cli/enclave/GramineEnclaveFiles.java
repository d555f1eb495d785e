package org.ppml.cli.enclave;

import java.io.IOException;
import java.nio.file.Path;
import org.ppml.cli.ErrorReporter;
import org.ppml.cli.InputFile;
import org.ppml.graphene.elf.ElfFormatException;
import org.ppml.graphene.layout.GramineLayoutException;
import org.ppml.graphene.layout.GramineMeasurement;
import org.ppml.graphene.layout.GramineMeasurer;
import org.ppml.graphene.manifest.GramineManifestException;
import org.ppml.graphene.manifest.GramineSgxSettings;

/**
 * A Gramine v1.9 enclave as files: the exact {@code .manifest.sgx} and {@code libpal.so}, measured.
 * A failure names the file it comes from: the manifest for its settings and layout, libpal.so for
 * its ELF headers.
 */
public final class GramineEnclaveFiles {
  private GramineEnclaveFiles() {}

  public static GramineMeasurement measure(Path manifestSgx, Path libpal) throws IOException {
    byte[] manifest =
        InputFile.read(manifestSgx, "Gramine manifest", GramineSgxSettings.MAX_MANIFEST_BYTES);
    return measure(manifest, manifestSgx.toString(), libpal);
  }

  /**
   * @param manifestSgx the manifest bytes exactly as they are (or will be) on disk
   * @param manifestName the file they are written to, for error messages
   */
  public static GramineMeasurement measure(byte[] manifestSgx, String manifestName, Path libpal)
      throws IOException {
    byte[] pal = InputFile.read(libpal, "libpal.so", GramineMeasurer.MAX_LIBPAL_BYTES);
    try {
      return GramineMeasurer.measure(manifestSgx, pal);
    } catch (GramineManifestException | GramineLayoutException e) {
      throw new ErrorReporter.Located(manifestName, e);
    } catch (ElfFormatException e) {
      throw new ErrorReporter.Located(libpal.toString(), e);
    }
  }
}
