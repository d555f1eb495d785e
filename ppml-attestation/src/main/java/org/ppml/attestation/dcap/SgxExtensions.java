package org.ppml.attestation.dcap;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * The Intel SGX extension of a PCK certificate (OID 1.2.840.113741.1.13.1): PPID, the platform's
 * TCB (16 CPU SVN components and PCESVN), PCE-ID, FMSPC and SGX type.
 *
 * <p>These values are signed by Intel's PCK CA, which is why TCB levels are chosen from them rather
 * than from the quote header.
 */
public final class SgxExtensions {
  /** The SGX extension OID. */
  public static final ASN1ObjectIdentifier OID = new ASN1ObjectIdentifier("1.2.840.113741.1.13.1");

  private static final ASN1ObjectIdentifier PPID = OID.branch("1");
  private static final ASN1ObjectIdentifier TCB = OID.branch("2");
  private static final ASN1ObjectIdentifier PCE_ID = OID.branch("3");
  private static final ASN1ObjectIdentifier FMSPC = OID.branch("4");
  private static final ASN1ObjectIdentifier SGX_TYPE = OID.branch("5");
  private static final ASN1ObjectIdentifier PCESVN = TCB.branch("17");
  private static final ASN1ObjectIdentifier CPUSVN = TCB.branch("18");
  private static final int MAX_ENTRIES = 32;

  private final byte[] ppid;
  private final int[] cpuSvnComponents;
  private final int pceSvn;
  private final byte[] pceId;
  private final byte[] fmspc;
  private final int sgxType;

  private SgxExtensions(
      byte[] ppid, int[] cpuSvnComponents, int pceSvn, byte[] pceId, byte[] fmspc, int sgxType) {
    this.ppid = ppid;
    this.cpuSvnComponents = cpuSvnComponents;
    this.pceSvn = pceSvn;
    this.pceId = pceId;
    this.fmspc = fmspc;
    this.sgxType = sgxType;
  }

  /**
   * Reads the SGX extension of a PCK certificate.
   *
   * @throws VerificationException (step {@link VerificationStep#PCK_CERT_CHAIN}) if it is absent or
   *     malformed
   */
  public static SgxExtensions of(X509CertificateHolder pck) throws VerificationException {
    Extension ext = pck.getExtension(OID);
    if (ext == null) {
      throw invalid("the PCK certificate has no SGX extension");
    }
    try {
      return parse(ASN1Sequence.getInstance(ext.getParsedValue()));
    } catch (IllegalArgumentException | IllegalStateException | ClassCastException e) {
      // Bouncy Castle's getInstance signals a wrong ASN.1 type with these.
      throw invalid("the PCK certificate's SGX extension is malformed");
    }
  }

  private static SgxExtensions parse(ASN1Sequence seq) throws VerificationException {
    if (seq.size() > MAX_ENTRIES) {
      throw invalid("SGX extension has too many entries");
    }
    byte[] ppid = null;
    int[] comps = null;
    int pcesvn = -1;
    byte[] pceId = null;
    byte[] fmspc = null;
    int type = -1;
    Set<ASN1ObjectIdentifier> seen = new HashSet<>();
    for (ASN1Encodable e : seq) {
      ASN1Sequence pair = ASN1Sequence.getInstance(e);
      if (pair.size() != 2) {
        throw invalid("SGX extension entry is not an (OID, value) pair");
      }
      ASN1ObjectIdentifier oid = ASN1ObjectIdentifier.getInstance(pair.getObjectAt(0));
      if (!seen.add(oid)) {
        throw invalid("SGX extension repeats " + oid);
      }
      ASN1Encodable value = pair.getObjectAt(1);
      if (oid.equals(PPID)) {
        ppid = octets(value, 16, "PPID");
      } else if (oid.equals(TCB)) {
        ASN1Sequence tcb = ASN1Sequence.getInstance(value);
        if (tcb.size() > MAX_ENTRIES) {
          throw invalid("SGX TCB has too many entries");
        }
        comps = new int[16];
        boolean[] have = new boolean[16];
        Set<ASN1ObjectIdentifier> tcbSeen = new HashSet<>();
        for (ASN1Encodable t : tcb) {
          ASN1Sequence tp = ASN1Sequence.getInstance(t);
          if (tp.size() != 2) {
            throw invalid("SGX TCB entry is not an (OID, value) pair");
          }
          ASN1ObjectIdentifier toid = ASN1ObjectIdentifier.getInstance(tp.getObjectAt(0));
          if (!tcbSeen.add(toid)) {
            throw invalid("SGX TCB repeats " + toid);
          }
          if (toid.equals(PCESVN)) {
            pcesvn = integer(tp.getObjectAt(1), 0xffff, "PCESVN");
          } else if (toid.equals(CPUSVN)) {
            octets(tp.getObjectAt(1), 16, "CPUSVN");
          } else if (toid.on(TCB)) {
            int idx = componentIndex(toid);
            if (idx >= 0) {
              comps[idx] = integer(tp.getObjectAt(1), 255, "TCB component " + (idx + 1));
              have[idx] = true;
            }
          }
        }
        for (int i = 0; i < 16; i++) {
          if (!have[i]) {
            throw invalid("SGX TCB lacks component " + (i + 1));
          }
        }
      } else if (oid.equals(PCE_ID)) {
        pceId = octets(value, 2, "PCE-ID");
      } else if (oid.equals(FMSPC)) {
        fmspc = octets(value, 6, "FMSPC");
      } else if (oid.equals(SGX_TYPE)) {
        BigInteger v = ASN1Enumerated.getInstance(value).getValue();
        type = v.bitLength() < 8 ? v.intValue() : -1;
      }
    }
    if (comps == null || pcesvn < 0 || pceId == null || fmspc == null) {
      throw invalid("SGX extension lacks TCB, PCESVN, PCE-ID or FMSPC");
    }
    return new SgxExtensions(ppid == null ? new byte[0] : ppid, comps, pcesvn, pceId, fmspc, type);
  }

  private static int componentIndex(ASN1ObjectIdentifier oid) {
    String tail = oid.getId().substring(TCB.getId().length() + 1);
    if (tail.length() > 2 || tail.isEmpty() || !tail.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    int n = Integer.parseInt(tail);
    return n >= 1 && n <= 16 ? n - 1 : -1;
  }

  private static byte[] octets(ASN1Encodable value, int length, String name)
      throws VerificationException {
    byte[] b = ASN1OctetString.getInstance(value).getOctets();
    if (b.length != length) {
      throw invalid("SGX extension " + name + " must be " + length + " bytes");
    }
    return b;
  }

  private static int integer(ASN1Encodable value, int max, String name)
      throws VerificationException {
    BigInteger v = ASN1Integer.getInstance(value).getValue();
    if (v.signum() < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
      throw invalid("SGX extension " + name + " is outside 0.." + max);
    }
    return v.intValue();
  }

  private static VerificationException invalid(String message) {
    return new VerificationException(VerificationStep.PCK_CERT_CHAIN, message);
  }

  /** The platform provisioning ID (16 bytes). */
  public byte[] ppid() {
    return ppid.clone();
  }

  /** The 16 CPU SVN components, unsigned, as certified by Intel. */
  public int[] cpuSvnComponents() {
    return cpuSvnComponents.clone();
  }

  int cpuSvnComponent(int i) {
    return cpuSvnComponents[i];
  }

  /** The certified PCE SVN. */
  public int pceSvn() {
    return pceSvn;
  }

  public byte[] pceId() {
    return pceId.clone();
  }

  public byte[] fmspc() {
    return fmspc.clone();
  }

  /** 0 Standard, 1 Scalable, 2 Scalable with integrity; -1 if absent. */
  public int sgxType() {
    return sgxType;
  }
}
