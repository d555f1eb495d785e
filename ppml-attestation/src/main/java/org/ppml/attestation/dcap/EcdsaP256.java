package org.ppml.attestation.dcap;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.math.ec.ECCurve;

/**
 * ECDSA P-256 with SHA-256 in the raw form DCAP uses: 64-byte {@code r‖s} signatures and 64-byte
 * {@code x‖y} public keys.
 *
 * <p>Raw keys come from the untrusted quote, so the point is validated on the curve before the JDK
 * sees it.
 */
final class EcdsaP256 {
    private static final ECParameterSpec P256;
    private static final ECCurve CURVE = ECNamedCurveTable.getByName("secp256r1").getCurve();

    static {
        try {
            AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
            params.init(new ECGenParameterSpec("secp256r1"));
            P256 = params.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private EcdsaP256() {
    }

    /** A public key from raw {@code x‖y}; throws if the point is not on P-256. */
    static PublicKey rawPublicKey(byte[] xy) throws GeneralSecurityException {
        if (xy.length != 64) {
            throw new GeneralSecurityException("a raw P-256 key is 64 bytes");
        }
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(xy, 0, 32));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(xy, 32, 64));
        try {
            CURVE.validatePoint(x, y);
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("point is not on P-256");
        }
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), P256));
    }

    /** The subject public key of a certificate, as a JDK key. */
    static PublicKey publicKey(X509CertificateHolder cert) throws GeneralSecurityException {
        try {
            return KeyFactory.getInstance("EC")
                    .generatePublic(new X509EncodedKeySpec(cert.getSubjectPublicKeyInfo().getEncoded()));
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("unreadable subject public key");
        }
    }

    /** Verifies a raw {@code r‖s} signature; false for any malformed key or signature. */
    static boolean verify(PublicKey key, byte[] data, byte[] rawSignature) {
        if (rawSignature.length != 64) {
            return false;
        }
        try {
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initVerify(key);
            s.update(data);
            return s.verify(rawSignature);
        } catch (GeneralSecurityException | RuntimeException e) {
            // The JDK throws SignatureException for r or s out of range; that is a bad signature.
            return false;
        }
    }
}
