package org.ppml.kms.attest;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.ppml.attestation.collateral.CollateralBundle;
import org.ppml.attestation.collateral.CollateralFormatException;
import org.ppml.attestation.dcap.VerificationException;
import org.ppml.attestation.pcs.CollateralCache;
import org.ppml.attestation.pcs.CollateralRequest;
import org.ppml.attestation.quote.Quote;

/** Where the broker gets the collateral to verify a quote against. */
@FunctionalInterface
public interface CollateralSource {
  /**
   * The collateral for {@code quote}'s platform, valid at {@code now}.
   *
   * @throws VerificationException if the quote does not say which platform it comes from (its PCK
   *     certificate is unreadable): the evidence is at fault, not the broker
   * @throws IOException if the collateral cannot be fetched
   */
  CollateralBundle collateralFor(Quote quote, Instant now)
      throws IOException, CollateralFormatException, VerificationException;

  /**
   * The bundles this source holds itself and never refreshes, whose freshness is the operator's to
   * keep (readiness checks them); empty for a source that fetches on demand.
   */
  default List<CollateralBundle> heldBundles() {
    return List.of();
  }

  /** Always the same bundle: a bundle file, or the dev home's collateral. */
  static CollateralSource fixed(CollateralBundle bundle) {
    return new CollateralSource() {
      @Override
      public CollateralBundle collateralFor(Quote quote, Instant now) {
        return bundle;
      }

      @Override
      public List<CollateralBundle> heldBundles() {
        return List.of(bundle);
      }
    };
  }

  /**
   * Per-platform collateral from a PCCS or Intel PCS through a disk cache refreshed before
   * nextUpdate.
   */
  static CollateralSource cached(CollateralCache cache) {
    return (quote, now) -> cache.get(CollateralRequest.forQuote(quote), now);
  }
}
