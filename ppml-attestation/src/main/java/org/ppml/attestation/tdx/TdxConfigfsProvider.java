package org.ppml.attestation.tdx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.ppml.attestation.evidence.Evidence;
import org.ppml.attestation.evidence.EvidenceException;
import org.ppml.attestation.evidence.EvidenceProvider;
import org.ppml.attestation.evidence.QuoteEvidence;
import org.ppml.attestation.quote.Quote;
import org.ppml.attestation.quote.TeeType;
import org.ppml.crypto.fs.BoundedFile;

/**
 * The {@code tdx} evidence provider over Linux configfs-tsm ({@code
 * /sys/kernel/config/tsm/report}): create an entry, write the 64-byte report data to {@code
 * inblob}, read {@code outblob} (the TD quote) and {@code provider}, check that {@code generation}
 * did not move while reading, remove the entry.
 *
 * <p>Each call uses its own entry, so concurrent calls do not share state. {@code generation}
 * counts writes to the entry; if it changes between our write and our read, someone else wrote
 * {@code inblob} and the outblob may not be ours.
 */
public final class TdxConfigfsProvider implements EvidenceProvider {
  /** The provider name. */
  public static final String NAME = "tdx";

  /** Where configfs-tsm lives. */
  public static final String REPORT_ROOT = "/sys/kernel/config/tsm/report";

  /** What {@code provider} says on a TDX guest. */
  public static final String TDX_GUEST = "tdx_guest";

  private static final int MAX_TEXT = 64;

  private final Path reportRoot;
  private final TsmReportEntries entries;

  /**
   * @param reportRoot the configfs-tsm report directory, normally {@link #REPORT_ROOT}
   * @param entries how entries are created and removed ({@link TsmReportEntries#configfs()})
   */
  public TdxConfigfsProvider(Path reportRoot, TsmReportEntries entries) {
    this.reportRoot = reportRoot;
    this.entries = entries;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Evidence evidence(byte[] reportData) throws EvidenceException {
    QuoteEvidence.checkReportData(reportData);
    Path entry;
    try {
      entry = entries.create(reportRoot);
    } catch (IOException e) {
      throw new EvidenceException(
          "cannot create a configfs-tsm report entry under "
              + reportRoot
              + " (is this a TDX guest with configfs mounted?): "
              + e.getMessage(),
          e);
    }
    EvidenceException failure = null;
    try {
      return quote(entry, reportData);
    } catch (EvidenceException e) {
      failure = e;
      throw e;
    } finally {
      try {
        entries.remove(entry);
      } catch (IOException e) {
        // A leftover entry costs a little kernel memory, never a wrong quote: keep the
        // result, and only attach the cleanup error to a failure.
        if (failure != null) {
          failure.addSuppressed(e);
        }
      }
    }
  }

  private Evidence quote(Path entry, byte[] reportData) throws EvidenceException {
    Path inblob = entry.resolve("inblob");
    try (FileChannel ch = FileChannel.open(inblob, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(reportData.clone());
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
    } catch (IOException e) {
      throw new EvidenceException("cannot write " + inblob, e);
    }
    long generation = generation(entry);
    Path outblob = entry.resolve("outblob");
    byte[] quote = read(outblob, Quote.MAX_SIZE);
    String provider = text(entry.resolve("provider"));
    if (!provider.equals(TDX_GUEST)) {
      throw new EvidenceException(
          entry.resolve("provider")
              + " says \""
              + provider
              + "\", expected "
              + TDX_GUEST
              + " (this configfs-tsm is not backed by TDX)");
    }
    long after = generation(entry);
    if (after != generation) {
      throw new EvidenceException(
          entry
              + ": generation moved from "
              + generation
              + " to "
              + after
              + " while reading the quote; another writer used this entry");
    }
    return QuoteEvidence.of(NAME, TeeType.TDX, quote, reportData, outblob.toString());
  }

  private static long generation(Path entry) throws EvidenceException {
    Path file = entry.resolve("generation");
    String text = text(file);
    try {
      long value = Long.parseLong(text);
      if (value < 0) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new EvidenceException(file + " holds \"" + text + "\", not a generation number");
    }
  }

  private static String text(Path file) throws EvidenceException {
    return new String(read(file, MAX_TEXT), StandardCharsets.US_ASCII).trim();
  }

  private static byte[] read(Path file, int max) throws EvidenceException {
    try {
      return BoundedFile.read(file, max);
    } catch (IOException e) {
      throw new EvidenceException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "TdxConfigfsProvider[" + reportRoot + "]";
  }
}
