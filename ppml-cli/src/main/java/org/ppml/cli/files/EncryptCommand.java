package org.ppml.cli.files;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ppml.cli.CommandOutput;
import org.ppml.cli.ExitCodes;
import org.ppml.cli.KmsOptions;
import org.ppml.cli.OutputOptions;
import org.ppml.crypto.envelope.PpmlEncryptor;
import org.ppml.crypto.kms.Kms;
import org.ppml.crypto.stream.SegmentLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ppml encrypt}: plaintext file or tree to PPML v1, under one fresh data key. */
@Command(
    name = "encrypt",
    mixinStandardHelpOptions = true,
    description = "Encrypt a file or a directory tree (layout kept) into PPML v1 files.")
public final class EncryptCommand implements Callable<Integer> {
  @Mixin KmsOptions kms;
  @Mixin OutputOptions output;
  @Spec CommandSpec spec;

  @Option(
      names = "--key",
      required = true,
      paramLabel = "NAME",
      description = "Primary key that wraps the data key.")
  String keyName;

  @Option(
      names = "--segment-size",
      paramLabel = "BYTES",
      description = "Ciphertext segment size, 4096..8388608 (default ${DEFAULT-VALUE}).")
  int segmentSize = SegmentLayout.DEFAULT_SEGMENT_SIZE;

  @Mixin InOutArguments files;

  @Override
  public Integer call() throws IOException {
    if (!SegmentLayout.isValidSegmentSize(segmentSize)) {
      throw new org.ppml.cli.ErrorReporter.UsageError(
          "--segment-size must lie between "
              + SegmentLayout.MIN_SEGMENT_SIZE
              + " and "
              + SegmentLayout.MAX_SEGMENT_SIZE);
    }
    CommandOutput result =
        new CommandOutput(output.json(), spec.commandLine().getOut(), spec.commandLine().getErr());
    TreeTransform.Summary summary;
    ObjectNode json = CommandOutput.object();
    try (Kms k = kms.open();
        PpmlEncryptor encryptor = PpmlEncryptor.create(k, keyName, segmentSize)) {
      summary =
          TreeTransform.run(
              files.in,
              files.out,
              files.force,
              "encrypt",
              output.json(),
              Progress.Target.of(spec),
              (src, dst, progress) -> encrypt(encryptor, src, dst, progress));
      json.put("kms", k.reference());
      json.put("keyName", encryptor.header().keyName());
      json.put("keyVersion", encryptor.header().keyVersion());
    }
    summary.describe(json, files.in, files.out, true);
    json.put("segmentSize", segmentSize);
    result.result(json);
    result.line(
        String.format(
            "encrypted %d file(s), %d bytes, into %s in %.2f s",
            summary.files(), summary.bytesIn(), files.out, summary.seconds()));
    return ExitCodes.OK;
  }

  private static void encrypt(PpmlEncryptor encryptor, Path src, Path dst, Progress progress)
      throws IOException {
    byte[] buffer = new byte[1 << 20];
    try (InputStream in = Files.newInputStream(src);
        OutputStream out = encryptor.encrypt(Files.newOutputStream(dst))) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        out.write(buffer, 0, n);
        progress.advance(n);
      }
    }
  }
}
