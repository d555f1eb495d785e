package org.ppml.attestation.dcap;

import java.io.IOException;
import java.util.Arrays;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * Comparing and printing X.500 names from untrusted certificates and CRLs.
 *
 * <p>Names are compared by their DER encoding: Intel's chains repeat names byte for byte, and
 * Bouncy Castle's semantic comparison and its {@code toString} parse attribute values lazily and
 * can throw unchecked exceptions on a malformed name.
 */
final class DistinguishedNames {
    private DistinguishedNames() {
    }

    static boolean same(X500Name a, X500Name b) {
        try {
            return Arrays.equals(a.getEncoded(), b.getEncoded());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static String describe(X500Name name) {
        try {
            return "\"" + name + "\"";
        } catch (RuntimeException e) {
            return "<malformed name>";
        }
    }
}
