package org.ppml.attestation.simulated;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.util.encoders.Hex;
import org.ppml.attestation.quote.CertificationData;
import org.ppml.attestation.quote.EnclaveReport;
import org.ppml.attestation.quote.QuoteHeader;

/**
 * Writes real-format SGX v3 quotes for the simulated platform: the enclave report (DEBUG always
 * set), signed by the attestation key, whose binding is in a QE report signed by the dev PCK key,
 * followed by the PEM PCK chain (type 5) with a trailing NUL as real quotes have.
 */
final class SimulatedQuoteBuilder {
  /** Intel's QE vendor ID, which real quotes carry. */
  private static final byte[] QE_VENDOR_ID = Hex.decode("939a7233f79c4ca9940a0db3957f0607");

  /** SGX ATTRIBUTES.FLAGS: INIT | DEBUG | MODE64BIT. Debug is always set for simulated enclaves. */
  private static final byte ENCLAVE_FLAGS = 0x07;

  /** XFRM: x87 and SSE. */
  private static final byte ENCLAVE_XFRM = 0x03;

  /** QE FLAGS: INIT | PROVISIONKEY, as Intel's QE identity expects. */
  private static final byte QE_FLAGS = 0x11;

  private final DevPki pki;
  private final KeyPair attestationKey;
  private byte[] qeSection;

  SimulatedQuoteBuilder(DevPki pki, KeyPair attestationKey) {
    this.pki = pki;
    this.attestationKey = attestationKey;
  }

  byte[] build(byte[] mrEnclave, byte[] mrSigner, byte[] reportData)
      throws GeneralSecurityException, IOException {
    ByteBuffer header = le(QuoteHeader.SIZE);
    header
        .putShort((short) 3)
        .putShort((short) QuoteHeader.ATTESTATION_KEY_ECDSA_P256)
        .putInt(0)
        .putShort((short) DevPlatform.QE_ISV_SVN)
        .putShort((short) DevPlatform.PCE_SVN)
        .put(QE_VENDOR_ID)
        .put(new byte[20]);
    byte[] cpuSvn = new byte[16];
    for (int i = 0; i < 16; i++) {
      cpuSvn[i] = (byte) DevPlatform.CPU_SVN[i];
    }
    byte[] body =
        report(cpuSvn, ENCLAVE_FLAGS, ENCLAVE_XFRM, mrEnclave, mrSigner, 0, 0, reportData);
    byte[] signed =
        ByteBuffer.allocate(QuoteHeader.SIZE + EnclaveReport.SIZE)
            .put(header.array())
            .put(body)
            .array();

    byte[] tail = qeSection(cpuSvn);
    ByteBuffer q = le(signed.length + 4 + 64 + tail.length);
    q.put(signed).putInt(64 + tail.length);
    q.put(RawEcdsa.sign(attestationKey.getPrivate(), signed));
    q.put(tail);
    return q.array();
  }

  /**
   * Everything after the quote signature: the attestation key, the QE report binding it and the PCK
   * key's signature over that report, the auth data and the PCK chain. None of it depends on the
   * enclave, so it is built once, as a real QE certifies its attestation key once and not per
   * quote; a verifier that remembers checked signatures then sees what it sees on hardware.
   */
  private synchronized byte[] qeSection(byte[] cpuSvn)
      throws GeneralSecurityException, IOException {
    if (qeSection != null) {
      return qeSection;
    }
    byte[] attestKeyRaw = RawEcdsa.rawPublicKey((ECPublicKey) attestationKey.getPublic());
    byte[] authData = new byte[32];
    for (int i = 0; i < authData.length; i++) {
      authData[i] = (byte) i;
    }
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(attestKeyRaw);
    sha.update(authData);
    byte[] qeReportData = new byte[64];
    System.arraycopy(sha.digest(), 0, qeReportData, 0, 32);
    byte[] qeMrEnclave =
        MessageDigest.getInstance("SHA-256")
            .digest("ppml dev quoting enclave".getBytes(StandardCharsets.US_ASCII));
    byte[] qeReport =
        report(
            cpuSvn,
            QE_FLAGS,
            ENCLAVE_XFRM,
            qeMrEnclave,
            DevPlatform.QE_MRSIGNER,
            DevPlatform.QE_ISV_PROD_ID,
            DevPlatform.QE_ISV_SVN,
            qeReportData);
    byte[] chain = (pki.pckChainPem() + "\0").getBytes(StandardCharsets.US_ASCII);
    ByteBuffer t = le(64 + EnclaveReport.SIZE + 64 + 2 + authData.length + 2 + 4 + chain.length);
    t.put(attestKeyRaw);
    t.put(qeReport);
    t.put(RawEcdsa.sign(pki.pckKey(), qeReport));
    t.putShort((short) authData.length).put(authData);
    t.putShort((short) CertificationData.TYPE_PCK_CERT_CHAIN).putInt(chain.length).put(chain);
    qeSection = t.array();
    return qeSection;
  }

  private static byte[] report(
      byte[] cpuSvn,
      byte flags,
      byte xfrm,
      byte[] mrEnclave,
      byte[] mrSigner,
      int isvProdId,
      int isvSvn,
      byte[] reportData) {
    ByteBuffer r = le(EnclaveReport.SIZE);
    r.put(0, cpuSvn);
    r.put(48, flags);
    r.put(56, xfrm);
    r.put(64, mrEnclave);
    r.put(128, mrSigner);
    r.putShort(256, (short) isvProdId);
    r.putShort(258, (short) isvSvn);
    r.put(320, reportData);
    return r.array();
  }

  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }
}
