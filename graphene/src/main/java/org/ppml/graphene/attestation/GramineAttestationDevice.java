package org.ppml.graphene.attestation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.ppml.attestation.evidence.EvidenceProvider;
import org.ppml.crypto.fs.BoundedFile;

/**
 * Gramine's {@code /dev/attestation} interface, as the {@code gramine} evidence provider uses it
 * (docs/evidence-providers.md): {@code attestation_type} must say {@code dcap}; writing 64 bytes to
 * {@code user_report_data} and then reading {@code quote} gives an SGX DCAP quote whose REPORT_DATA
 * is those bytes.
 *
 * <p>Reads are bounded, and the quote is checked only for a plausible size and version here; the
 * quote model and verifier in {@code ppml-attestation} do the rest. Writing the report data and
 * reading the quote are one step under a lock, so two threads cannot get each other's quote.
 */
public final class GramineAttestationDevice {

  /** Where Gramine mounts the interface inside an enclave. */
  public static final Path DEFAULT_ROOT = Path.of("/dev/attestation");

  /** Largest quote accepted; DCAP quotes with their certification data are a few KiB. */
  public static final int MAX_QUOTE_SIZE = 1 << 20;

  /** A v3/v4 quote has at least its 48-byte header, a 384-byte report body and a length. */
  static final int MIN_QUOTE_SIZE = 48 + 384 + 4;

  private final Path root;

  /**
   * @param root the interface directory, normally {@link #DEFAULT_ROOT}
   */
  public GramineAttestationDevice(Path root) {
    this.root = root;
  }

  /**
   * @return the device at {@link #DEFAULT_ROOT}
   */
  public static GramineAttestationDevice system() {
    return new GramineAttestationDevice(DEFAULT_ROOT);
  }

  /** Where this process runs, as Gramine's {@code /dev/attestation} shows it. */
  public enum Runtime {
    /** Not under Gramine: there is no {@code /dev/attestation}. */
    NONE,
    /**
     * Under Gramine without SGX ({@code gramine-direct}): Gramine mounts {@code /dev/attestation}
     * but adds {@code attestation_type}, {@code report} and {@code quote} only on the SGX PAL
     * (libos/src/fs/dev/attestation.c, ff71d7a), so there is no SGX evidence to be had.
     */
    GRAMINE_DIRECT,
    /** Inside an SGX enclave ({@code gramine-sgx}). */
    GRAMINE_SGX
  }

  /**
   * @return whether this looks like a Gramine SGX enclave (the {@code attestation_type} file
   *     exists)
   */
  public boolean isPresent() {
    return runtime() == Runtime.GRAMINE_SGX;
  }

  /**
   * @return where this process runs
   */
  public Runtime runtime() {
    if (Files.exists(root.resolve("attestation_type"))) {
      return Runtime.GRAMINE_SGX;
    }
    return Files.isDirectory(root) ? Runtime.GRAMINE_DIRECT : Runtime.NONE;
  }

  /** Why there is no quote under gramine-direct, and what to use instead. */
  static final String NO_SGX =
      " exists but has no attestation_type: this is Gramine without SGX (gramine-direct), which"
          + " cannot produce SGX evidence; in Stage 1 use simulated evidence (dev mode, provider"
          + " 'simulated' or 'auto'), and run under gramine-sgx for a DCAP quote";

  /**
   * @return the configured attestation type: {@code none}, {@code dcap} (or {@code epid} on old
   *     Gramine)
   * @throws GramineAttestationException if the file cannot be read
   */
  public String attestationType() throws GramineAttestationException {
    if (runtime() == Runtime.GRAMINE_DIRECT) {
      throw new GramineAttestationException(root + NO_SGX);
    }
    Path f = root.resolve("attestation_type");
    byte[] b = readBounded(f, 64);
    return new String(b, StandardCharsets.US_ASCII).trim();
  }

  /**
   * Gets a DCAP quote binding {@code reportData}.
   *
   * @param reportData exactly 64 bytes for REPORT_DATA (e.g. a hash of the session's public key)
   * @return the quote bytes
   * @throws GramineAttestationException if attestation is not DCAP, or the device fails or returns
   *     something that is not a quote
   */
  public synchronized byte[] quote(byte[] reportData) throws GramineAttestationException {
    if (reportData == null || reportData.length != EvidenceProvider.REPORT_DATA_SIZE) {
      throw new IllegalArgumentException(
          "report data must be exactly " + EvidenceProvider.REPORT_DATA_SIZE + " bytes");
    }
    String type = attestationType();
    if (!type.equals("dcap")) {
      throw new GramineAttestationException(
          root.resolve("attestation_type")
              + " says \""
              + type
              + "\"; the manifest needs sgx.remote_attestation = \"dcap\"");
    }
    Path userReportData = root.resolve("user_report_data");
    // One write of exactly 64 bytes, without truncation: a pseudo-file, not a regular file.
    try (FileChannel ch = FileChannel.open(userReportData, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(reportData.clone());
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
    } catch (IOException e) {
      throw new GramineAttestationException("cannot write " + userReportData, e);
    }
    Path quoteFile = root.resolve("quote");
    byte[] quote = readBounded(quoteFile, MAX_QUOTE_SIZE);
    if (quote.length < MIN_QUOTE_SIZE) {
      throw new GramineAttestationException(
          quoteFile + " returned " + quote.length + " bytes, too short for an SGX quote");
    }
    int version = (quote[0] & 0xff) | (quote[1] & 0xff) << 8;
    if (version != 3 && version != 4) {
      throw new GramineAttestationException(
          quoteFile
              + " returned a quote of version "
              + version
              + ", expected a DCAP quote (3 or 4)");
    }
    return quote;
  }

  private static byte[] readBounded(Path file, int max) throws GramineAttestationException {
    try {
      return BoundedFile.read(file, max);
    } catch (IOException e) {
      throw new GramineAttestationException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "GramineAttestationDevice[" + root + "]";
  }
}
