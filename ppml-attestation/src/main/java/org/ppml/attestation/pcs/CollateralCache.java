package org.ppml.attestation.pcs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.bouncycastle.cert.X509CRLHolder;
import org.ppml.attestation.collateral.CollateralBundle;
import org.ppml.attestation.collateral.CollateralFormatException;
import org.ppml.attestation.dcap.CrlMode;

/**
 * A directory of collateral bundles keyed by TEE type, FMSPC and PCK CA, in front of a {@link
 * PcsClient}. A cached bundle is used until {@code refreshMargin} before its earliest {@code
 * nextUpdate} (TCB Info, QE Identity or either CRL); then it is fetched again.
 *
 * <p>Cache entries are untrusted input like any other collateral: a corrupt entry is refetched, and
 * the verifier checks every signature regardless of where the bundle came from. An entry without
 * CRLs (collateral archived by a system that checks revocation elsewhere) serves a cache whose
 * {@link CrlMode} is {@code off}; under {@code strict} or {@code lenient} it cannot serve, so it is
 * refetched like a corrupt one, and a fetched bundle must have its CRLs ({@link
 * CrlMode#requireRevocationData}).
 */
public final class CollateralCache {
  private final Path dir;
  private final PcsClient client;
  private final Duration refreshMargin;
  private final CrlMode crlMode;

  /** A cache for a verifier with strict CRLs (the broker's). */
  public CollateralCache(Path dir, PcsClient client, Duration refreshMargin) {
    this(dir, client, refreshMargin, CrlMode.STRICT);
  }

  /**
   * @param crlMode the CRL mode of the verifier the bundles are for
   */
  public CollateralCache(Path dir, PcsClient client, Duration refreshMargin, CrlMode crlMode) {
    this.dir = Objects.requireNonNull(dir, "dir");
    this.client = Objects.requireNonNull(client, "client");
    this.refreshMargin = Objects.requireNonNull(refreshMargin, "refreshMargin");
    this.crlMode = Objects.requireNonNull(crlMode, "crlMode");
  }

  /** Returns a bundle for {@code request} that does not need refreshing at {@code now}. */
  public CollateralBundle get(CollateralRequest request, Instant now)
      throws IOException, CollateralFormatException {
    Path file = dir.resolve(request.cacheKey());
    if (Files.isRegularFile(file) && Files.size(file) <= CollateralBundle.MAX_SIZE) {
      try {
        CollateralBundle cached = CollateralBundle.parse(Files.readAllBytes(file));
        crlMode.requireRevocationData(cached);
        if (now.isBefore(earliestNextUpdate(cached).minus(refreshMargin))) {
          return cached;
        }
      } catch (CollateralFormatException e) {
        // A damaged entry, or one without the CRLs the mode needs, is replaced by a fresh fetch.
      }
    }
    CollateralBundle fresh = client.fetch(request);
    crlMode.requireRevocationData(fresh);
    store(file, fresh);
    return fresh;
  }

  /** The earliest time at which any part of {@code bundle} needs an update. */
  public static Instant earliestNextUpdate(CollateralBundle bundle)
      throws CollateralFormatException {
    Instant earliest = bundle.tcbInfo().nextUpdate();
    if (bundle.qeIdentity().nextUpdate().isBefore(earliest)) {
      earliest = bundle.qeIdentity().nextUpdate();
    }
    for (byte[] der : new byte[][] {bundle.rootCaCrl(), bundle.pckCrl()}) {
      Instant next = crlNextUpdate(der);
      if (next != null && next.isBefore(earliest)) {
        earliest = next;
      }
    }
    return earliest;
  }

  private static Instant crlNextUpdate(byte[] der) throws CollateralFormatException {
    if (der.length == 0) {
      return null;
    }
    try {
      X509CRLHolder crl = new X509CRLHolder(der);
      return crl.getNextUpdate() == null ? null : crl.getNextUpdate().toInstant();
    } catch (IOException | RuntimeException e) {
      throw new CollateralFormatException("a CRL in the bundle is not DER");
    }
  }

  private void store(Path file, CollateralBundle bundle) throws IOException {
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      Files.write(tmp, bundle.toJson().toString().getBytes(StandardCharsets.UTF_8));
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
