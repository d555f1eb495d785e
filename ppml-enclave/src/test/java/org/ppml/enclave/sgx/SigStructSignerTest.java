package org.ppml.enclave.sgx;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.LocalDate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SigStructSignerTest {
  private static RSAPrivateCrtKey gramineKey;
  private static RSAPrivateCrtKey sampleKey;

  @BeforeAll
  static void keys() throws Exception {
    gramineKey =
        EnclaveKeyPem.readPrivateKey(TestVectors.read("sigstruct/gramine-v1.9-a/enclave-key.pem"));
    sampleKey =
        EnclaveKeyPem.readPrivateKey(TestVectors.read("sigstruct/fortanix-sig1/sig1.key.pem"));
  }

  private static SigStructBody body() {
    byte[] mr = new byte[32];
    for (int i = 0; i < 32; i++) {
      mr[i] = (byte) i;
    }
    return SigStructBody.builder()
        .enclaveHash(mr)
        .date(LocalDate.of(2025, 3, 1))
        .debug(true)
        .isvProdId(7)
        .isvSvn(9)
        .miscSelect(1)
        .build();
  }

  @Test
  void twoStepWithOutsideHsmEqualsDirectSigning() throws Exception {
    SigStructBody body = body();
    byte[] data = body.signedData();
    assertEquals(256, data.length);

    // The "HSM": the JDK's own SHA256withRSA, holding a key we never pass to our code.
    Signature hsm = Signature.getInstance("SHA256withRSA");
    hsm.initSign(gramineKey);
    hsm.update(data);
    byte[] detached = hsm.sign();
    assertEquals(384, detached.length);

    RSAPublicKey pub =
        EnclaveKeyPem.readPublicKey(
            TestVectors.read("sigstruct/gramine-v1.9-a/enclave-key.pub.pem"));
    SigStruct twoStep = SigStructSigner.assemble(data, detached, pub);
    SigStruct direct = SigStructSigner.sign(body, gramineKey);
    assertArrayEquals(direct.toBytes(), twoStep.toBytes());
    assertTrue(twoStep.signatureValid());
    assertTrue(twoStep.q1q2Valid());
    assertEquals(
        "901ee2acd0383cd601ff5db8d01e5656ebc36e51f35c92e735ec0690ae94d365",
        twoStep.mrSigner().hex());
  }

  @Test
  void catsigRejectsAnotherKeysSignatureAndWrongPublicKey() throws Exception {
    byte[] data = body().signedData();
    Signature other = Signature.getInstance("SHA256withRSA");
    other.initSign(sampleKey);
    other.update(data);
    byte[] wrongSig = other.sign();
    RSAPublicKey pub = EnclaveKeyPem.publicKeyOf(gramineKey);
    assertThrows(
        SigStructSignatureException.class, () -> SigStructSigner.assemble(data, wrongSig, pub));

    Signature right = Signature.getInstance("SHA256withRSA");
    right.initSign(gramineKey);
    right.update(data);
    byte[] goodSig = right.sign();
    RSAPublicKey wrongPub = EnclaveKeyPem.publicKeyOf(sampleKey);
    assertThrows(
        SigStructSignatureException.class, () -> SigStructSigner.assemble(data, goodSig, wrongPub));

    byte[] flipped = goodSig.clone();
    flipped[10] ^= 1;
    assertThrows(
        SigStructSignatureException.class, () -> SigStructSigner.assemble(data, flipped, pub));
    assertThrows(
        SigStructSignatureException.class,
        () -> SigStructSigner.assemble(data, java.util.Arrays.copyOf(goodSig, 383), pub));
    // Signature as little-endian (a classic mistake) must not pass either.
    byte[] reversed = new byte[384];
    for (int i = 0; i < 384; i++) {
      reversed[i] = goodSig[383 - i];
    }
    assertThrows(
        SigStructSignatureException.class, () -> SigStructSigner.assemble(data, reversed, pub));
    // Tampered data.bin.
    byte[] badData = data.clone();
    badData[200] ^= 1;
    assertThrows(
        SigStructSignatureException.class, () -> SigStructSigner.assemble(badData, goodSig, pub));
    // Malformed data.bin.
    assertThrows(
        SigStructFormatException.class,
        () -> SigStructSigner.assemble(java.util.Arrays.copyOf(data, 255), goodSig, pub));
    byte[] badHeader = data.clone();
    badHeader[0] = 7;
    assertThrows(
        SigStructFormatException.class, () -> SigStructSigner.assemble(badHeader, goodSig, pub));
  }

  @Test
  void rejectsKeysOfOtherSizesAndExponents() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(new RSAKeyGenParameterSpec(3072, RSAKeyGenParameterSpec.F4));
    KeyPair f4 = gen.generateKeyPair();
    EnclaveKeyException e =
        assertThrows(
            EnclaveKeyException.class,
            () -> SigStructSigner.sign(body(), (RSAPrivateCrtKey) f4.getPrivate()));
    assertTrue(e.getMessage().contains("exponent 3"), e.getMessage());
    assertFalse(
        e.getMessage()
            .contains(((RSAPrivateCrtKey) f4.getPrivate()).getPrivateExponent().toString(16)));

    gen.initialize(new RSAKeyGenParameterSpec(2048, BigInteger.valueOf(3)));
    KeyPair small = gen.generateKeyPair();
    e =
        assertThrows(
            EnclaveKeyException.class,
            () -> SigStructSigner.sign(body(), (RSAPrivateCrtKey) small.getPrivate()));
    assertTrue(e.getMessage().contains("RSA-3072"), e.getMessage());
    assertThrows(
        EnclaveKeyException.class,
        () -> SigStructSigner.assemble(body(), new byte[384], (RSAPublicKey) small.getPublic()));
    assertThrows(
        EnclaveKeyException.class,
        () -> EnclaveKeyPem.privateKeyPem((RSAPrivateCrtKey) small.getPrivate()));

    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(256);
    assertThrows(
        EnclaveKeyException.class,
        () -> EnclaveSigningKey.requireSgxKey(ec.generateKeyPair().getPublic()));
  }

  @Test
  void generatedKeysRoundTripThroughPem() throws Exception {
    KeyPair pair = EnclaveSigningKey.generate(new SecureRandom());
    RSAPrivateCrtKey priv = EnclaveSigningKey.requireSgxPrivateKey(pair.getPrivate());
    byte[] pem = EnclaveKeyPem.privateKeyPem(priv);
    String text = new String(pem, java.nio.charset.StandardCharsets.US_ASCII);
    assertTrue(text.startsWith("-----BEGIN RSA PRIVATE KEY-----"), text.substring(0, 40));
    RSAPrivateCrtKey back = EnclaveKeyPem.readPrivateKey(pem);
    assertEquals(priv.getModulus(), back.getModulus());
    assertEquals(BigInteger.valueOf(3), back.getPublicExponent());

    byte[] pubPem = EnclaveKeyPem.publicKeyPem((RSAPublicKey) pair.getPublic());
    assertTrue(
        new String(pubPem, java.nio.charset.StandardCharsets.US_ASCII)
            .startsWith("-----BEGIN PUBLIC KEY-----"));
    assertEquals(priv.getModulus(), EnclaveKeyPem.readPublicKey(pubPem).getModulus());
    // A private key PEM also yields its public half (so catsig can take either).
    assertEquals(priv.getModulus(), EnclaveKeyPem.readPublicKey(pem).getModulus());

    SigStruct s = SigStructSigner.sign(body(), back);
    assertTrue(s.signatureValid());
    assertFalse(s.mrSigner().isIntelSdkSampleKey());
  }

  @Test
  void malformedPemIsTyped() {
    assertThrows(EnclaveKeyException.class, () -> EnclaveKeyPem.readPrivateKey(new byte[0]));
    assertThrows(EnclaveKeyException.class, () -> EnclaveKeyPem.readPrivateKey("hello".getBytes()));
    assertThrows(
        EnclaveKeyException.class,
        () ->
            EnclaveKeyPem.readPrivateKey(
                "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n"
                    .getBytes()));
    assertThrows(EnclaveKeyException.class, () -> EnclaveKeyPem.readPrivateKey(new byte[100_000]));
    assertThrows(
        EnclaveKeyException.class,
        () ->
            EnclaveKeyPem.readPrivateKey(
                "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n".getBytes()));
  }

  /**
   * The documented HSM step, with the real openssl: {@code openssl dgst -sha256 -sign KEY -out
   * sig.bin data.bin}.
   */
  @Test
  void twoStepThroughOpensslCommandLineEqualsDirect(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path openssl = java.nio.file.Paths.get("/usr/bin/openssl");
    // A failure, not a skip: this test is the evidence that the documented openssl command works,
    // and a silently skipped test would let that claim lapse. Install openssl to run it.
    assertTrue(
        java.nio.file.Files.isExecutable(openssl),
        "/usr/bin/openssl is required: this test runs the documented `openssl dgst -sha256 -sign` command");
    SigStructBody body = body();
    java.nio.file.Path data = java.nio.file.Files.write(dir.resolve("data.bin"), body.signedData());
    java.nio.file.Path key = TestVectors.root().resolve("sigstruct/gramine-v1.9-a/enclave-key.pem");
    java.nio.file.Path sig = dir.resolve("sig.bin");
    Process p =
        new ProcessBuilder(
                openssl.toString(),
                "dgst",
                "-sha256",
                "-sign",
                key.toString(),
                "-out",
                sig.toString(),
                data.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), out);
    RSAPublicKey pub =
        EnclaveKeyPem.readPublicKey(
            TestVectors.read("sigstruct/gramine-v1.9-a/enclave-key.pub.pem"));
    SigStruct viaOpenssl =
        SigStructSigner.assemble(
            java.nio.file.Files.readAllBytes(data), java.nio.file.Files.readAllBytes(sig), pub);
    assertArrayEquals(SigStructSigner.sign(body, gramineKey).toBytes(), viaOpenssl.toBytes());
  }

  @Test
  void toStringsCarryNoKeyMaterial() {
    assertFalse(body().toString().contains(gramineKey.getPrivateExponent().toString(16)));
  }
}
