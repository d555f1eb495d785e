package org.ppml.cli.files;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ppml.cli.CommandOutput;
import org.ppml.cli.ExitCodes;
import org.ppml.cli.OutputOptions;
import org.ppml.crypto.IntegrityException;
import org.ppml.crypto.envelope.EnvelopeHeader;
import org.ppml.crypto.envelope.PpmlDecryptor;
import org.ppml.crypto.envelope.PpmlFileLayout;
import org.ppml.crypto.stream.CiphertextSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ppml inspect}: what a PPML file's header says, without any key. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = "Show a PPML file's header and lengths (needs no key).")
public final class InspectCommand implements Callable<Integer> {
  @Mixin OutputOptions output;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE")
  Path file;

  @Override
  public Integer call() throws IOException {
    CommandOutput out =
        new CommandOutput(output.json(), spec.commandLine().getOut(), spec.commandLine().getErr());
    EnvelopeHeader h;
    long length;
    try (CiphertextSource source = CiphertextSource.of(FileChannel.open(file))) {
      length = source.size();
      h = PpmlDecryptor.readHeader(source, file.toString());
    }
    long plaintext = PpmlFileLayout.plaintextLength(length, h.segmentSize());
    if (plaintext < 0) {
      throw new IntegrityException(
          file.toString(),
          IntegrityException.HEADER,
          "file length " + length + " is not a valid PPML length (truncated or extended)");
    }
    ObjectNode json = CommandOutput.object();
    json.put("formatVersion", EnvelopeHeader.VERSION);
    json.put("suite", h.suite());
    json.put("segmentSize", h.segmentSize());
    json.put("kms", h.kms());
    json.put("keyName", h.keyName());
    json.put("keyVersion", h.keyVersion());
    json.put("plaintextLength", plaintext);
    json.put("ciphertextLength", length);
    out.result(json);
    out.line("file:            " + file);
    out.line("format:          PPML v" + EnvelopeHeader.VERSION + ", " + h.suite());
    out.line("segment size:    " + h.segmentSize());
    out.line("kms:             " + h.kms());
    out.line(
        "key:             "
            + h.keyName()
            + " v"
            + h.keyVersion()
            + " (wrapped data key in header)");
    out.line("plaintext bytes: " + plaintext);
    out.line("file bytes:      " + length);
    return ExitCodes.OK;
  }
}
