package org.ppml.kms.attest;

import java.io.IOException;
import java.time.Instant;
import org.ppml.attestation.collateral.CollateralBundle;
import org.ppml.attestation.collateral.CollateralFormatException;
import org.ppml.attestation.quote.Quote;

/** Where the broker gets the collateral to verify a quote against. */
@FunctionalInterface
public interface CollateralSource {
    /** The collateral for {@code quote}'s platform, valid at {@code now}. */
    CollateralBundle collateralFor(Quote quote, Instant now) throws IOException, CollateralFormatException;

    /** Always the same bundle: a bundle file, or the dev home's collateral. */
    static CollateralSource fixed(CollateralBundle bundle) {
        return (quote, now) -> bundle;
    }
}
