package org.ppml.kmsclient.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The client decrypts standard ECDH-ES+A256KW JWEs, remembered agreement or not. */
class ResponseDecrypterTest {
  private static final byte[] SECRET = "a data key of thirty-two bytes!!".getBytes();

  private static JWEObject encrypt(ECKey to, JWEHeader header) throws JOSEException {
    JWEObject o = new JWEObject(header, new Payload(SECRET));
    o.encrypt(new ECDHEncrypter(to.toECPublicKey()));
    return o;
  }

  private static JWEObject reparse(JWEObject o) {
    try {
      return JWEObject.parse(o.serialize());
    } catch (java.text.ParseException e) {
      throw new AssertionError(e);
    }
  }

  private static JWEHeader header() {
    return new JWEHeader.Builder(JWEAlgorithm.ECDH_ES_A256KW, EncryptionMethod.A256GCM).build();
  }

  @Test
  void freshAndRepeatedEphemeralKeysBothDecrypt() throws Exception {
    ECKey tee = new ECKeyGenerator(Curve.P_256).generate();
    ResponseDecrypter d = new ResponseDecrypter(tee);
    // Standard encrypters use a new epk every time; each must agree afresh and still decrypt.
    for (int i = 0; i < 3; i++) {
      JWEObject o = reparse(encrypt(tee, header()));
      o.decrypt(d);
      assertArrayEquals(SECRET, o.getPayload().toBytes());
      // The same JWE again takes the remembered agreement.
      JWEObject again = reparse(o);
      again.decrypt(d);
      assertArrayEquals(SECRET, again.getPayload().toBytes());
    }
  }

  @Test
  void aJweForAnotherKeyDoesNotDecrypt() throws Exception {
    ECKey tee = new ECKeyGenerator(Curve.P_256).generate();
    ECKey other = new ECKeyGenerator(Curve.P_256).generate();
    JWEObject o = reparse(encrypt(other, header()));
    assertThrows(JOSEException.class, () -> o.decrypt(new ResponseDecrypter(tee)));
  }

  @Test
  void anEphemeralKeyOffTheCurveIsRefusedBeforeAnyAgreement() throws Exception {
    ECKey tee = new ECKeyGenerator(Curve.P_256).generate();
    JWEObject good = reparse(encrypt(tee, header()));
    ECKey epk = (ECKey) good.getHeader().getEphemeralPublicKey();
    // Same x, y + 1: not a point on P-256 (an invalid-curve attack would send such a point).
    byte[] y = epk.getY().decode();
    y[y.length - 1] ^= 1;
    Map<String, Object> h = good.getHeader().toJSONObject();
    @SuppressWarnings("unchecked")
    Map<String, Object> epkJson = (Map<String, Object>) h.get("epk");
    epkJson.put("y", Base64URL.encode(y).toString());
    String[] parts = good.serialize().split("\\.");
    String forged =
        Base64URL.encode(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(h)).toString()
            + "."
            + parts[1]
            + "."
            + parts[2]
            + "."
            + parts[3]
            + "."
            + parts[4];
    // Nimbus already refuses such a header when parsing; the decrypter checks again so that it
    // does not depend on how its caller built the header.
    Exception e =
        assertThrows(
            Exception.class, () -> JWEObject.parse(forged).decrypt(new ResponseDecrypter(tee)));
    assertTrue(e.getMessage().contains("curve"), e.getMessage());
  }

  @Test
  void criticalHeaderParametersAreRefused() throws Exception {
    ECKey tee = new ECKeyGenerator(Curve.P_256).generate();
    JWEObject good = reparse(encrypt(tee, header()));
    Map<String, Object> h = good.getHeader().toJSONObject();
    h.put("crit", java.util.List.of("x-ppml"));
    h.put("x-ppml", 1);
    String[] parts = good.serialize().split("\\.");
    JWEObject bad =
        JWEObject.parse(
            Base64URL.encode(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(h))
                + "."
                + parts[1]
                + "."
                + parts[2]
                + "."
                + parts[3]
                + "."
                + parts[4]);
    JOSEException e =
        assertThrows(JOSEException.class, () -> bad.decrypt(new ResponseDecrypter(tee)));
    assertTrue(e.getMessage().contains("critical"), e.getMessage());
  }
}
