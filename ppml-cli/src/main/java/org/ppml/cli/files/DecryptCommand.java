package org.ppml.cli.files;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ppml.cli.CommandOutput;
import org.ppml.cli.ExitCodes;
import org.ppml.cli.KmsOptions;
import org.ppml.cli.OutputOptions;
import org.ppml.crypto.envelope.KmsKeyResolver;
import org.ppml.crypto.envelope.PpmlDecryptor;
import org.ppml.crypto.kms.Kms;
import org.ppml.crypto.stream.CiphertextSource;
import org.ppml.crypto.stream.SeekableDecryptingChannel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ppml decrypt}: PPML files back to plaintext. Any integrity failure aborts the whole run
 * with exit code 1 and leaves no output at all. Plaintext outputs are created owner-only.
 */
@Command(
    name = "decrypt",
    mixinStandardHelpOptions = true,
    description =
        "Decrypt a PPML file or directory tree. On any integrity failure: no output, exit 1.")
public final class DecryptCommand implements Callable<Integer> {
  @Mixin KmsOptions kms;
  @Mixin OutputOptions output;
  @Spec CommandSpec spec;

  @Mixin InOutArguments files;

  @Override
  public Integer call() throws IOException {
    CommandOutput result =
        new CommandOutput(output.json(), spec.commandLine().getOut(), spec.commandLine().getErr());
    TreeTransform.Summary summary;
    try (Kms k = kms.open()) {
      PpmlDecryptor decryptor = new PpmlDecryptor(new KmsKeyResolver(k));
      summary =
          TreeTransform.run(
              files.in,
              files.out,
              files.force,
              "decrypt",
              output.json(),
              Progress.Target.of(spec),
              (src, dst, progress) -> decrypt(decryptor, src, dst, progress));
    }
    ObjectNode json = CommandOutput.object();
    summary.describe(json, files.in, files.out, false);
    result.result(json);
    result.line(
        String.format(
            "decrypted %d file(s), %d bytes, into %s in %.2f s",
            summary.files(), summary.bytesOut(), files.out, summary.seconds()));
    return ExitCodes.OK;
  }

  private static void decrypt(PpmlDecryptor decryptor, Path src, Path dst, Progress progress)
      throws IOException {
    if (!Files.exists(dst)) {
      Files.createFile(
          dst,
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
              org.ppml.crypto.fs.AtomicFile.OWNER_ONLY));
    }
    ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
    try (SeekableDecryptingChannel in =
            decryptor.open(CiphertextSource.of(FileChannel.open(src)), src.toString());
        OutputStream out = Files.newOutputStream(dst)) {
      long before = 0;
      while (in.read(buffer.clear()) >= 0) {
        out.write(buffer.array(), 0, buffer.position());
        long now = in.position();
        progress.advance(now - before);
        before = now;
      }
    }
  }
}
