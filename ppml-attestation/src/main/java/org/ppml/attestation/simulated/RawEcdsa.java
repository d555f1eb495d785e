package org.ppml.attestation.simulated;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;

/** ECDSA P-256/SHA-256 signatures and public keys in DCAP's raw 64-byte forms. */
final class RawEcdsa {
  private RawEcdsa() {}

  /** Signs and returns {@code r‖s}. */
  static byte[] sign(PrivateKey key, byte[] data) throws GeneralSecurityException {
    Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
    s.initSign(key);
    s.update(data);
    return s.sign();
  }

  /** The public key as {@code x‖y}, each 32 bytes big-endian. */
  static byte[] rawPublicKey(ECPublicKey key) {
    byte[] out = new byte[64];
    copyFixed(key.getW().getAffineX().toByteArray(), out, 0);
    copyFixed(key.getW().getAffineY().toByteArray(), out, 32);
    return out;
  }

  private static void copyFixed(byte[] bigEndian, byte[] out, int at) {
    byte[] trimmed =
        bigEndian.length > 32
            ? Arrays.copyOfRange(bigEndian, bigEndian.length - 32, bigEndian.length)
            : bigEndian;
    System.arraycopy(trimmed, 0, out, at + 32 - trimmed.length, trimmed.length);
  }
}
