package org.ppml.crypto.envelope;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.ppml.crypto.IntegrityException;
import org.ppml.crypto.fs.AtomicFile;
import org.ppml.crypto.kms.Kms;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.PrimaryKeyInfo;
import org.ppml.crypto.kms.WrappedKey;

/**
 * Re-wraps a file's data key under the newest primary-key version by rewriting its 1024-byte header
 * in place; the body is never touched.
 *
 * <p>Crash safety: a 1024-byte write is not atomic on every device, so the new header is first
 * written to a journal beside the file ({@code .NAME.ppml-rewrap}, durable), then over the old
 * header, then the journal is removed. If the process dies in between, the next rewrap of that file
 * finds the journal and finishes the job (roll forward), whatever state the header is in.
 */
public final class HeaderRewrapper {
  /** Suffix of the journal beside a file being re-wrapped. */
  public static final String JOURNAL_SUFFIX = ".ppml-rewrap";

  /**
   * What happened to one file.
   *
   * @param oldVersion the key version the file had
   * @param newVersion the key version it has now
   * @param recovered true if an interrupted earlier rewrap was completed first
   */
  public record Result(Path file, int oldVersion, int newVersion, boolean recovered) {
    public boolean changed() {
      return oldVersion != newVersion;
    }
  }

  private final Kms kms;

  public HeaderRewrapper(Kms kms) {
    this.kms = Objects.requireNonNull(kms);
  }

  /** The journal path for {@code file}. */
  public static Path journalOf(Path file) {
    return file.resolveSibling("." + file.getFileName() + JOURNAL_SUFFIX);
  }

  /**
   * Re-wraps {@code file} under the newest version of {@code keyName}. A file already at that
   * version is left alone.
   */
  public Result rewrap(Path file, String keyName) throws IOException {
    String name = file.toString();
    boolean recovered = recover(file);
    EnvelopeHeader header;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      byte[] block = new byte[(int) Math.min(ch.size(), EnvelopeHeader.LENGTH)];
      ch.read(ByteBuffer.wrap(block), 0);
      header = EnvelopeHeader.decode(block, name);
    }
    if (!kms.matches(header.kms())) {
      throw new IntegrityException(
          name,
          IntegrityException.HEADER,
          "file names KMS '" + header.kms() + "', not " + kms.reference());
    }
    WrappedKey wrapped = header.wrapped();
    PrimaryKeyInfo target = find(keyName);
    if (wrapped.keyName().equals(keyName) && wrapped.keyVersion() == target.primaryVersion()) {
      return new Result(file, wrapped.keyVersion(), wrapped.keyVersion(), recovered);
    }
    WrappedKey fresh;
    try {
      fresh = kms.rewrap(wrapped, keyName);
    } catch (KmsException e) {
      if (e.reason() == KmsException.Reason.UNWRAP_FAILED) {
        throw new IntegrityException(name, IntegrityException.HEADER, e.getMessage(), e);
      }
      throw e;
    }
    byte[] newHeader = header.withWrappedKey(fresh).encode();
    Path journal = journalOf(file);
    AtomicFile.write(journal, AtomicFile.OWNER_ONLY, out -> out.write(newHeader));
    writeHeader(file, newHeader);
    Files.delete(journal);
    AtomicFile.forceDirectory(journal.toAbsolutePath().getParent());
    return new Result(file, wrapped.keyVersion(), fresh.keyVersion(), recovered);
  }

  /** Completes an interrupted rewrap of {@code file}, if its journal exists. */
  public static boolean recover(Path file) throws IOException {
    Path journal = journalOf(file);
    if (!Files.exists(journal)) {
      return false;
    }
    if (Files.size(journal) != EnvelopeHeader.LENGTH) {
      // The journal is written atomically, so a wrong size means someone else's file; leave it.
      throw new IOException(
          "rewrap journal " + journal + " is not a 1024-byte header; remove it after checking");
    }
    byte[] header = Files.readAllBytes(journal);
    EnvelopeHeader.decode(header, journal.toString());
    writeHeader(file, header);
    Files.delete(journal);
    AtomicFile.forceDirectory(journal.toAbsolutePath().getParent());
    return true;
  }

  private static void writeHeader(Path file, byte[] header) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(header);
      long at = 0;
      while (b.hasRemaining()) {
        at += ch.write(b, at);
      }
      ch.force(true);
    }
  }

  private PrimaryKeyInfo find(String keyName) throws KmsException {
    for (PrimaryKeyInfo k : kms.listKeys()) {
      if (k.name().equals(keyName)) {
        return k;
      }
    }
    throw new KmsException(
        KmsException.Reason.KEY_NOT_FOUND, "no key named '" + keyName + "' in " + kms.reference());
  }
}
