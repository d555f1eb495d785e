package org.ppml.attestation.dcap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * Comparing and printing X.500 names from untrusted certificates and CRLs.
 *
 * <p>Names are compared by their DER encoding: Intel's chains repeat names byte for byte, and
 * Bouncy Castle's semantic comparison and its {@code toString} parse attribute values lazily and
 * can throw unchecked exceptions on a malformed name.
 */
final class DistinguishedNames {
  private DistinguishedNames() {}

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

  /**
   * The string values of attribute {@code type} (e.g. CN, O) in {@code name}; empty if unreadable.
   */
  static List<String> values(X500Name name, ASN1ObjectIdentifier type) {
    List<String> values = new ArrayList<>();
    try {
      for (RDN rdn : name.getRDNs(type)) {
        // A multi-valued RDN holds other attributes beside the one asked for.
        for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
          if (atv.getType().equals(type) && atv.getValue() instanceof ASN1String s) {
            values.add(s.getString());
          }
        }
      }
    } catch (RuntimeException e) {
      // Names are parsed lazily; an unreadable one has no usable values.
      return List.of();
    }
    return values;
  }
}
