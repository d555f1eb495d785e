package org.ppml.cli.quickstart;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.ppml.cli.CommandOutput;
import org.ppml.cli.ErrorReporter;
import org.ppml.cli.ExitCodes;
import org.ppml.cli.OutputOptions;
import org.ppml.crypto.IntegrityException;
import org.ppml.crypto.envelope.EnvelopeHeader;
import org.ppml.crypto.envelope.KmsKeyResolver;
import org.ppml.crypto.envelope.PpmlDecryptor;
import org.ppml.crypto.envelope.PpmlEncryptor;
import org.ppml.crypto.envelope.PpmlFileLayout;
import org.ppml.crypto.kms.KmsCredentials;
import org.ppml.crypto.kms.local.LocalKms;
import org.ppml.crypto.provider.CryptoProviders;
import org.ppml.crypto.stream.CiphertextSource;
import org.ppml.crypto.stream.SeekableDecryptingChannel;
import org.ppml.crypto.stream.SegmentLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Stage 1 end to end with the local key store and the PPML file format. */
@Command(
    name = "quickstart",
    mixinStandardHelpOptions = true,
    description = "Run Stage 1 end to end on this machine: key store, encrypt, inspect, decrypt, tamper check.")
public final class QuickstartCommand implements Callable<Integer> {
  private static final int STEPS = 6;
  private static final String KEY = "quickstart";

  @Mixin OutputOptions output;
  @Spec CommandSpec spec;

  @Option(names = "--home", paramLabel = "DIR", description = "Working directory (default: $PPML_HOME or ~/.ppml, then /quickstart).")
  Path home;

  @Option(names = "--rows", paramLabel = "N", description = "Rows of sample data (default ${DEFAULT-VALUE}).")
  int rows = 200_000;

  private CommandOutput out;
  private int step;

  @Override
  public Integer call() throws IOException {
    out = new CommandOutput(output.json(), spec.commandLine().getOut(), spec.commandLine().getErr());
    if (rows < 1) {
      throw new ErrorReporter.UsageError("--rows must be at least 1");
    }
    long start = System.nanoTime();
    Path work = workspace();
    ObjectNode json = CommandOutput.object();
    json.put("workspace", work.toString());
    json.put("cryptoProvider", CryptoProviders.active().description());

    progress("key store: creating " + work.resolve("keys") + " with primary key '" + KEY + "'");
    LocalKms kms = LocalKms.open(work.resolve("keys"), KmsCredentials.of(null, work.resolve("keystore.key")));
    kms.createKey(KEY);

    Path plain = work.resolve("orders.csv");
    progress("data: generating " + rows + " TPC-H-like orders rows");
    SampleData.writeOrders(plain, rows, 20_240_101L);
    long plaintextBytes = Files.size(plain);
    json.put("plaintextBytes", plaintextBytes);

    Path encrypted = work.resolve("orders.csv.ppml");
    progress("encrypt: " + plain.getFileName() + " -> " + encrypted.getFileName());
    long t = System.nanoTime();
    try (PpmlEncryptor enc = PpmlEncryptor.create(kms, KEY, SegmentLayout.DEFAULT_SEGMENT_SIZE);
        InputStream in = Files.newInputStream(plain);
        OutputStream o = enc.encrypt(Files.newOutputStream(encrypted))) {
      in.transferTo(o);
    }
    json.put("encryptSeconds", seconds(t));

    progress("inspect: header of " + encrypted.getFileName());
    EnvelopeHeader header;
    try (CiphertextSource src = CiphertextSource.of(FileChannel.open(encrypted))) {
      header = PpmlDecryptor.readHeader(src, encrypted.toString());
    }
    long fileLength = Files.size(encrypted);
    out.note("        " + header + ", plaintext " + PpmlFileLayout.plaintextLength(fileLength, header.segmentSize()) + " of " + fileLength + " bytes");
    json.putObject("inspect")
        .put("keyName", header.keyName())
        .put("keyVersion", header.keyVersion())
        .put("segmentSize", header.segmentSize())
        .put("plaintextLength", PpmlFileLayout.plaintextLength(fileLength, header.segmentSize()))
        .put("ciphertextLength", fileLength);

    progress("decrypt: verify the round trip by SHA-256");
    PpmlDecryptor decryptor = new PpmlDecryptor(new KmsKeyResolver(kms));
    t = System.nanoTime();
    String decryptedDigest = digestOfDecryption(decryptor, encrypted);
    json.put("decryptSeconds", seconds(t));
    boolean roundTrip = decryptedDigest.equals(digest(plain));
    json.put("roundTrip", roundTrip);
    if (!roundTrip) {
      throw new ErrorReporter.NegativeVerdict("roundtrip", "decrypted data differs from the original");
    }

    progress("tamper: flip one bit in a copy and decrypt it");
    Path tampered = work.resolve("orders-tampered.csv.ppml");
    byte[] bytes = Files.readAllBytes(encrypted);
    bytes[EnvelopeHeader.LENGTH + (bytes.length - EnvelopeHeader.LENGTH) / 2] ^= 0x01;
    Files.write(tampered, bytes);
    String reason;
    try {
      digestOfDecryption(decryptor, tampered);
      throw new ErrorReporter.NegativeVerdict("tamper", "a tampered file decrypted without error");
    } catch (IntegrityException e) {
      reason = e.getMessage();
    }
    out.note("        rejected as expected: " + reason);
    json.putObject("tamper").put("detected", true).put("reason", reason);
    kms.close();

    double total = seconds(start);
    json.put("seconds", total);
    out.result(json);
    out.line("");
    out.line(String.format("quickstart OK: %d rows (%d bytes) encrypted, inspected, decrypted and verified; tampering detected. %.1f s", rows, plaintextBytes, total));
    out.line("workspace: " + work);
    return ExitCodes.OK;
  }

  private void progress(String message) {
    out.note("[" + (++step) + "/" + STEPS + "] " + message);
  }

  private Path workspace() throws IOException {
    Path base = home;
    if (base == null) {
      String env = System.getenv("PPML_HOME");
      base = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".ppml");
    }
    Path work = base.resolve("quickstart").toAbsolutePath().normalize();
    // A second run starts clean rather than tripping over the first run's key store.
    if (Files.exists(work)) {
      try (Stream<Path> walk = Files.walk(work)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(work);
    return work;
  }

  private static String digestOfDecryption(PpmlDecryptor decryptor, Path file) throws IOException {
    MessageDigest sha = sha256();
    ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
    try (SeekableDecryptingChannel ch = decryptor.open(CiphertextSource.of(FileChannel.open(file)), file.toString())) {
      while (ch.read(buffer.clear()) >= 0) {
        sha.update(buffer.array(), 0, buffer.position());
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static String digest(Path file) throws IOException {
    MessageDigest sha = sha256();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static double seconds(long startNanos) {
    return Math.round((System.nanoTime() - startNanos) / 1e6) / 1000.0;
  }
}
