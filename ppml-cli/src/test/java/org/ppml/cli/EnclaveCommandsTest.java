package org.ppml.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.enclave.sgx.EnclaveKeyPem;
import org.ppml.graphene.layout.GramineMeasurer;

/** {@code ppml enclave …} over the real SIGSTRUCT vectors, plus hostile inputs through the CLI. */
class EnclaveCommandsTest {
  private static final String SIG1 = "sigstruct/fortanix-sig1/";
  private static final String GRAMINE = "sigstruct/gramine-v1.9-a/";
  private static final String SAMPLE_MRSIGNER =
      "83d719e77deaca1470f6baf62a4d774303c899db69020f9c70ee1dfc08c7ce9e";
  private static final String GRAMINE_MRENCLAVE =
      "9e4eb3845bb3f1dd465ec59130b7bf0f9d445a2de892e8560be6acec39235757";
  private static final String GRAMINE_MRSIGNER =
      "901ee2acd0383cd601ff5db8d01e5656ebc36e51f35c92e735ec0690ae94d365";

  @TempDir static Path shared;
  @TempDir Path dir;

  /** One generated key for the whole class: RSA-3072 e=3 generation takes seconds. */
  static Path key;

  static Path publicKey;
  static String keyMrSigner;

  @BeforeAll
  static void keygen() throws IOException {
    key = shared.resolve("enclave-key.pem");
    publicKey = shared.resolve("enclave-key.pub.pem");
    Cli.Result r =
        Cli.run(
            "enclave",
            "keygen",
            "--out",
            key.toString(),
            "--public-out",
            publicKey.toString(),
            "--json");
    assertEquals(0, r.exit(), r.err());
    keyMrSigner = r.json().get("mrSigner").asText();
    assertEquals(3072, r.json().get("modulusBits").asInt());
    assertEquals(3, r.json().get("exponent").asInt());
    assertFalse(
        r.out().contains("PRIVATE") || r.err().contains("PRIVATE"), "no key material in output");
  }

  private static Cli.Result signSig1(Path out, String... extra) {
    return signSig1("2016-01-09", out, extra);
  }

  private static Cli.Result signSig1(String date, Path out, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "enclave",
                "sign",
                "--key",
                TestData.arg(SIG1 + "sig1.key.pem"),
                "--mrenclave",
                "c50673624a6cb17c1c6c2a4e6906f47a170c4629b8723781d1017ef376f1a75d",
                "--date",
                date,
                "--misc-select",
                "0",
                "--misc-mask",
                "ffffffff",
                "--attributes",
                "0x4:0x3",
                "--attribute-mask",
                "0xfffffffffffffffd:0xffffffffffffff1b",
                "--isvprodid",
                "0",
                "--isvsvn",
                "0",
                "--out",
                out.toString(),
                "--json"));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void signReproducesFortanixSig1ByteForByteAndWarnsAboutTheSampleKey() throws IOException {
    Path out = dir.resolve("sig1.bin");
    Cli.Result r = signSig1(out);
    assertEquals(0, r.exit(), r.err());
    assertArrayEquals(
        Files.readAllBytes(TestData.file(SIG1 + "sig1.sigstruct.bin")), Files.readAllBytes(out));
    JsonNode j = r.json();
    assertEquals(SAMPLE_MRSIGNER, j.get("mrSigner").asText());
    assertTrue(j.get("productionSignedWithSampleKey").asBoolean());
    assertEquals(SAMPLE_MRSIGNER, j.get("policy").get("mrSigner").asText());
    assertEquals(0, j.get("policy").get("minIsvSvn").asInt());
    assertTrue(
        r.err().contains("WARNING") && r.err().contains("sample key"), "warns loudly: " + r.err());
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
  }

  @Test
  void aDebugEnclaveSignedWithTheSampleKeyDrawsNoWarning() {
    Cli.Result r = signSig1(dir.resolve("debug.sig"), "--debug");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.json().get("debug").asBoolean());
    assertFalse(r.err().contains("WARNING"), r.err());
  }

  @Test
  void showGivesSig1sMrSignerAndTheWarning() {
    Cli.Result r = Cli.run("enclave", "show", TestData.arg(SIG1 + "sig1.sigstruct.bin"), "--json");
    assertEquals(0, r.exit(), r.err());
    assertEquals(SAMPLE_MRSIGNER, r.json().get("mrSigner").asText());
    assertTrue(r.json().get("intelSdkSampleKey").asBoolean());
    assertTrue(r.err().contains("WARNING"), r.err());
  }

  @Test
  void showGivesEveryIntelLaunchEnclaveValue() {
    Cli.Result r =
        Cli.run("enclave", "show", TestData.arg("sigstruct/intel-le/le_prod_css.bin"), "--json");
    assertEquals(0, r.exit(), r.err());
    JsonNode j = r.json();
    for (String f :
        List.of(
            "mrEnclave",
            "mrSigner",
            "isvProdId",
            "isvSvn",
            "debug",
            "date",
            "vendor",
            "miscSelect",
            "attributes",
            "signatureValid",
            "q1q2Valid")) {
      assertTrue(j.has(f), f);
    }
    assertEquals("00008086", j.get("vendor").asText());
    assertEquals("2024-08-11", j.get("date").asText());
    assertEquals("0000000000000024", j.get("attributes").get("flags").asText());
    assertEquals(0x20, j.get("isvProdId").asInt());
    assertEquals(7, j.get("isvSvn").asInt());
    assertEquals(
        "7881af9f9def547da9908c008f29cde9bd78064e36ac7e14c83c294ca4806150",
        j.get("mrEnclave").asText());
    assertEquals(
        "acb77012053e05a63d413b8bbae8fb6c5d73b3f2996d91c43bbbf90959c0f8d4",
        j.get("mrSigner").asText());
    assertTrue(j.get("signatureValid").asBoolean());
    assertTrue(j.get("q1q2Valid").asBoolean());
    assertFalse(j.get("debug").asBoolean());
    assertEquals("", r.err());
  }

  @Test
  void tamperingWithAnySignedByteIsANegativeVerdict() throws IOException {
    byte[] original = Files.readAllBytes(TestData.file("sigstruct/intel-le/le_prod_css.bin"));
    Path tampered = dir.resolve("tampered.bin");
    // Every signed byte, the fixed HEADER (0..15) and HEADER2 (24..39) included: [0,128) ∪
    // [900,1028).
    int[] offsets = IntStream.concat(IntStream.range(0, 128), IntStream.range(900, 1028)).toArray();
    assertEquals(256, offsets.length);
    for (int offset : offsets) {
      byte[] b = original.clone();
      b[offset] ^= 0x10;
      Files.write(tampered, b);
      Cli.Result r = Cli.run("enclave", "show", tampered.toString(), "--json");
      assertEquals(1, r.exit(), "offset " + offset + ": " + r.err());
      assertFalse(r.json().get("signatureValid").asBoolean(), "offset " + offset);
      boolean inHeader = offset < 16 || (offset >= 24 && offset < 40);
      assertEquals(!inHeader, r.json().get("headerValid").asBoolean(), "offset " + offset);
    }
    Cli.Result last = Cli.run("enclave", "show", tampered.toString());
    last.assertError(1, "tampered.bin", "signature does not verify");

    byte[] q1 = original.clone();
    q1[1040] ^= 1;
    Files.write(tampered, q1);
    Cli.Result r = Cli.run("enclave", "show", tampered.toString(), "--json");
    r.assertError(1, "Q1/Q2");
    assertTrue(r.json().get("signatureValid").asBoolean());
    assertTrue(r.json().get("headerValid").asBoolean());
    assertFalse(r.json().get("q1q2Valid").asBoolean());

    byte[] header = original.clone();
    header[3] ^= 1;
    Files.write(tampered, header);
    Cli.run("enclave", "show", tampered.toString()).assertError(1, "tampered.bin", "HEADER");
  }

  /**
   * Some signers (Enarx) write DATE as all zeros. The reference is a real SIGSTRUCT with its DATE
   * word zeroed and re-signed by the JDK from the SDM layout (signature over [0,128) ‖ [900,1028),
   * little-endian, Q1/Q2 as EINIT checks them); {@code --date 0000-00-00} must reproduce it.
   */
  @Test
  void signWithAZeroDateReproducesAZeroDateSigStructByteForByte() throws Exception {
    byte[] expected =
        resignedWithZeroDate(
            Files.readAllBytes(TestData.file(SIG1 + "sig1.sigstruct.bin")),
            TestData.file(SIG1 + "sig1.key.pem"));
    Path out = dir.resolve("zero.bin");
    Cli.Result r = signSig1("0000-00-00", out);
    assertEquals(0, r.exit(), r.err());
    assertArrayEquals(expected, Files.readAllBytes(out));
    assertEquals("0000-00-00", r.json().get("date").asText());

    Path reference = Files.write(dir.resolve("reference.bin"), expected);
    Cli.Result shown = Cli.run("enclave", "show", reference.toString(), "--json");
    assertEquals(0, shown.exit(), shown.err());
    assertEquals("0000-00-00", shown.json().get("date").asText(), "show prints what sign takes");
    assertEquals("00000000", shown.json().get("dateRaw").asText());
    assertTrue(shown.json().get("signatureValid").asBoolean());

    // The Gramine path writes the same zero word over the measured fields.
    byte[] gramineExpected =
        resignedWithZeroDate(
            Files.readAllBytes(TestData.file(GRAMINE + "a.sig")),
            TestData.file(GRAMINE + "enclave-key.pem"));
    Path gramineOut = dir.resolve("gramine-zero.sig");
    Cli.Result g =
        Cli.run(
            "enclave",
            "sign",
            "--key",
            TestData.arg(GRAMINE + "enclave-key.pem"),
            "--gramine-manifest",
            TestData.arg(GRAMINE + "a.manifest.sgx"),
            "--libpal",
            TestData.arg(GRAMINE + "libpal.so"),
            "--date",
            "0000-00-00",
            "--out",
            gramineOut.toString());
    assertEquals(0, g.exit(), g.err());
    assertArrayEquals(gramineExpected, Files.readAllBytes(gramineOut));

    // Two-step signing takes it too: gendata's signed data carries the zero word.
    Path data = dir.resolve("zero-data.bin");
    Cli.Result gendata =
        Cli.run(
            "enclave",
            "gendata",
            "--mrenclave",
            "ee".repeat(32),
            "--date",
            "0000-00-00",
            "--out",
            data.toString(),
            "--json");
    assertEquals(0, gendata.exit(), gendata.err());
    assertEquals("0000-00-00", gendata.json().get("date").asText());
    assertArrayEquals(new byte[4], Arrays.copyOfRange(Files.readAllBytes(data), 20, 24));
    // gramine-sgx-sign writes only real dates, and so do the gramine commands.
    Cli.run(
            "gramine",
            "sign",
            "--manifest-sgx",
            TestData.arg(GRAMINE + "a.manifest.sgx"),
            "--libpal",
            TestData.arg(GRAMINE + "libpal.so"),
            "--key",
            TestData.arg(GRAMINE + "enclave-key.pem"),
            "--date",
            "0000-00-00",
            "--out",
            dir.resolve("never.sig").toString())
        .assertError(2, "0000-00-00", "real date");
    assertFalse(Files.exists(dir.resolve("never.sig")));

    // Only the all-zero word is special: other non-dates stay refused.
    for (String bad : new String[] {"0000-00-01", "0000-01-00", "2025-02-30", "00000000"}) {
      signSig1(bad, dir.resolve("bad.bin")).assertError(2, "--date", bad);
      assertFalse(Files.exists(dir.resolve("bad.bin")), bad);
    }
  }

  /** {@code sigstruct} with DATE (offset 20, 4 bytes) zeroed and re-signed with {@code keyPem}. */
  private static byte[] resignedWithZeroDate(byte[] sigstruct, Path keyPem) throws Exception {
    byte[] b = sigstruct.clone();
    assertTrue(b[20] != 0 || b[21] != 0 || b[22] != 0 || b[23] != 0, "the source has a date");
    Arrays.fill(b, 20, 24, (byte) 0);
    byte[] signedData = new byte[256];
    System.arraycopy(b, 0, signedData, 0, 128);
    System.arraycopy(b, 900, signedData, 128, 128);
    RSAPrivateCrtKey k = EnclaveKeyPem.readPrivateKey(Files.readAllBytes(keyPem));
    Signature signer = Signature.getInstance("SHA256withRSA");
    signer.initSign(k);
    signer.update(signedData);
    BigInteger sig = new BigInteger(1, signer.sign());
    BigInteger n = k.getModulus();
    BigInteger[] q = sig.multiply(sig).divideAndRemainder(n);
    putLittleEndian(b, 516, sig);
    putLittleEndian(b, 1040, q[0]);
    putLittleEndian(b, 1424, sig.multiply(q[1]).divide(n));
    return b;
  }

  /** Wrong headers are refused even under a signature that holds: EINIT checks both. */
  @Test
  void aValidSignatureOverWrongHeadersIsStillANegativeVerdict() throws Exception {
    byte[] b = Files.readAllBytes(TestData.file(GRAMINE + "a.sig"));
    b[26] ^= 0x01; // HEADER2
    byte[] signedData = new byte[256];
    System.arraycopy(b, 0, signedData, 0, 128);
    System.arraycopy(b, 900, signedData, 128, 128);
    RSAPrivateCrtKey k =
        EnclaveKeyPem.readPrivateKey(
            Files.readAllBytes(TestData.file(GRAMINE + "enclave-key.pem")));
    Signature signer = Signature.getInstance("SHA256withRSA");
    signer.initSign(k);
    signer.update(signedData);
    BigInteger sig = new BigInteger(1, signer.sign());
    BigInteger n = k.getModulus();
    BigInteger[] q = sig.multiply(sig).divideAndRemainder(n);
    putLittleEndian(b, 516, sig);
    putLittleEndian(b, 1040, q[0]);
    putLittleEndian(b, 1424, sig.multiply(q[1]).divide(n));
    Path file = Files.write(dir.resolve("resigned.sig"), b);

    Cli.Result r = Cli.run("enclave", "show", file.toString(), "--json");
    r.assertError(1, "resigned.sig", "HEADER");
    assertTrue(r.json().get("signatureValid").asBoolean(), "the signature itself holds");
    assertTrue(r.json().get("q1q2Valid").asBoolean());
    assertFalse(r.json().get("headerValid").asBoolean());
  }

  private static void putLittleEndian(byte[] b, int offset, BigInteger v) {
    byte[] be = v.toByteArray(); // big-endian, perhaps with a leading zero sign byte
    Arrays.fill(b, offset, offset + 384, (byte) 0);
    for (int i = 0; i < Math.min(be.length, 384); i++) {
      b[offset + i] = be[be.length - 1 - i];
    }
  }

  @Test
  void signWithGramineSgxSignDefaultsReproducesGramineSig() throws IOException {
    // The README's inputs; every other field is left to the defaults, which must be
    // gramine-sgx-sign's.
    Path out = dir.resolve("a.sig");
    Cli.Result r =
        Cli.run(
            "enclave",
            "sign",
            "--key",
            TestData.arg(GRAMINE + "enclave-key.pem"),
            "--mrenclave",
            GRAMINE_MRENCLAVE,
            "--date",
            "2025-01-31",
            "--isvprodid",
            "1",
            "--isvsvn",
            "2",
            "--debug",
            "--misc-select",
            "1",
            "--out",
            out.toString(),
            "--json");
    assertEquals(0, r.exit(), r.err());
    assertArrayEquals(
        Files.readAllBytes(TestData.file(GRAMINE + "a.sig")), Files.readAllBytes(out));
    assertEquals("00000000", r.json().get("vendor").asText(), "gramine-sgx-sign's vendor");
    assertEquals(GRAMINE_MRSIGNER, r.json().get("mrSigner").asText());

    Path intel = dir.resolve("vendor.sig");
    Cli.Result v =
        Cli.run(
            "enclave",
            "sign",
            "--key",
            TestData.arg(GRAMINE + "enclave-key.pem"),
            "--mrenclave",
            GRAMINE_MRENCLAVE,
            "--date",
            "2025-01-31",
            "--vendor",
            "8086",
            "--out",
            intel.toString());
    assertEquals(0, v.exit(), v.err());
    Cli.Result shown = Cli.run("enclave", "show", intel.toString(), "--json");
    assertEquals(0, shown.exit(), shown.err());
    assertEquals("00008086", shown.json().get("vendor").asText());
    byte[] withVendor = Files.readAllBytes(intel);
    assertEquals(0x86, withVendor[16] & 0xff, "VENDOR is little-endian at offset 16");
    assertEquals(0x80, withVendor[17] & 0xff);
  }

  @Test
  void showNamesTheMiscSelectBits() {
    Cli.Result gramine = Cli.run("enclave", "show", TestData.arg(GRAMINE + "a.sig"), "--json");
    assertEquals(0, gramine.exit(), gramine.err());
    assertEquals("00000001", gramine.json().get("miscSelect").asText());
    assertEquals(
        "[\"exinfo\"]", gramine.json().get("miscSelectNames").toString(), "Gramine's use_exinfo");
    Cli.Result le =
        Cli.run("enclave", "show", TestData.arg("sigstruct/intel-le/le_prod_css.bin"), "--json");
    assertEquals(
        "[]", le.json().get("miscSelectNames").toString(), le.json().get("miscSelect").asText());

    Path out = dir.resolve("misc.sig");
    assertEquals(
        0,
        Cli.run(
                "enclave",
                "sign",
                "--key",
                key.toString(),
                "--mrenclave",
                "11".repeat(32),
                "--date",
                "2025-01-31",
                "--misc-select",
                "80000003",
                "--out",
                out.toString())
            .exit());
    assertEquals(
        "[\"exinfo\",\"bit1\",\"bit31\"]",
        Cli.run("enclave", "show", out.toString(), "--json")
            .json()
            .get("miscSelectNames")
            .toString());
  }

  @Test
  void keygenWritesAPrivatePkcs1KeyAndNeverOverwritesOne() throws IOException {
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    assertTrue(Files.readString(key).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
    assertTrue(Files.readString(publicKey).startsWith("-----BEGIN PUBLIC KEY-----"));
    byte[] before = Files.readAllBytes(key);
    Cli.run("enclave", "keygen", "--out", key.toString())
        .assertError(2, "already exists", key.toString(), "--force");
    assertArrayEquals(before, Files.readAllBytes(key));

    Cli.Result signed =
        Cli.run(
            "enclave",
            "sign",
            "--key",
            key.toString(),
            "--mrenclave",
            "11".repeat(32),
            "--date",
            "2025-01-31",
            "--out",
            dir.resolve("k.sig").toString(),
            "--json");
    assertEquals(0, signed.exit(), signed.err());
    assertEquals(keyMrSigner, signed.json().get("mrSigner").asText());
    assertTrue(signed.json().get("signatureValid").asBoolean());
    assertEquals(0, Cli.run("enclave", "show", dir.resolve("k.sig").toString()).exit());
  }

  @Test
  void twoStepSigningThroughOpensslEqualsDirectSigning() throws Exception {
    Path data = dir.resolve("data.bin");
    String[] fields = {
      "--mrenclave",
      "cd".repeat(32),
      "--date",
      "2025-01-31",
      "--isvprodid",
      "7",
      "--isvsvn",
      "3",
      "--debug"
    };
    Cli.Result gendata =
        Cli.run(
            concat(
                new String[] {"enclave", "gendata", "--out", data.toString(), "--json"}, fields));
    assertEquals(0, gendata.exit(), gendata.err());
    assertEquals(256, Files.size(data));
    assertTrue(
        gendata.err().contains("openssl dgst -sha256 -sign"),
        "the next step is spelled out: " + gendata.err());

    Path sig = dir.resolve("sig.bin");
    hsmSign(key, data, sig);
    assertEquals(384, Files.size(sig));
    Cli.Result catsig =
        Cli.run(
            "enclave",
            "catsig",
            "--data",
            data.toString(),
            "--signature",
            sig.toString(),
            "--public-key",
            publicKey.toString(),
            "--out",
            dir.resolve("two.sig").toString(),
            "--json");
    assertEquals(0, catsig.exit(), catsig.err());
    assertEquals(keyMrSigner, catsig.json().get("mrSigner").asText());
    assertEquals(7, catsig.json().get("policy").get("isvProdId").asInt());
    assertTrue(catsig.json().get("policy").get("allowDebug").asBoolean());

    Cli.Result direct =
        Cli.run(
            concat(
                new String[] {
                  "enclave",
                  "sign",
                  "--key",
                  key.toString(),
                  "--out",
                  dir.resolve("one.sig").toString()
                },
                fields));
    assertEquals(0, direct.exit(), direct.err());
    assertArrayEquals(
        Files.readAllBytes(dir.resolve("one.sig")), Files.readAllBytes(dir.resolve("two.sig")));
  }

  @Test
  void catsigRejectsAnotherKeysSignatureAndWritesNothing() throws Exception {
    Path data = dir.resolve("data.bin");
    assertEquals(
        0,
        Cli.run(
                "enclave",
                "gendata",
                "--mrenclave",
                "ee".repeat(32),
                "--date",
                "2025-01-31",
                "--out",
                data.toString())
            .exit());
    Path sig = dir.resolve("sig.bin");
    hsmSign(TestData.file(GRAMINE + "enclave-key.pem"), data, sig);
    Path out = dir.resolve("never.sig");

    Cli.Result wrongKey =
        Cli.run(
            "enclave",
            "catsig",
            "--data",
            data.toString(),
            "--signature",
            sig.toString(),
            "--public-key",
            publicKey.toString(),
            "--out",
            out.toString(),
            "--json");
    wrongKey.assertError(1, "sig.bin", "does not verify");
    assertEquals("sigstruct.signature", wrongKey.json().get("error").get("code").asText());

    byte[] otherData = Files.readAllBytes(data);
    otherData[200] ^= 1;
    Path data2 = Files.write(dir.resolve("data2.bin"), otherData);
    Cli.run(
            "enclave",
            "catsig",
            "--data",
            data2.toString(),
            "--signature",
            sig.toString(),
            "--public-key",
            TestData.arg(GRAMINE + "enclave-key.pub.pem"),
            "--out",
            out.toString())
        .assertError(1, "does not verify");

    Path shortData = Files.write(dir.resolve("short.bin"), new byte[100]);
    Cli.run(
            "enclave",
            "catsig",
            "--data",
            shortData.toString(),
            "--signature",
            sig.toString(),
            "--public-key",
            publicKey.toString(),
            "--out",
            out.toString())
        .assertError(2, "short.bin", "256 bytes");
    assertFalse(Files.exists(out));
  }

  @Test
  void measureGivesGramineV19sMrEnclaveLayoutAndAttributes() {
    Cli.Result r =
        Cli.run(
            "enclave",
            "measure",
            "--gramine-manifest",
            TestData.arg(GRAMINE + "a.manifest.sgx"),
            "--libpal",
            TestData.arg(GRAMINE + "libpal.so"),
            "--json");
    assertEquals(0, r.exit(), r.err());
    JsonNode j = r.json();
    assertEquals(GRAMINE_MRENCLAVE, j.get("mrEnclave").asText());
    assertEquals(256L << 20, j.get("enclaveSize").asLong());
    assertEquals(4, j.get("maxThreads").asInt());
    assertEquals(1, j.get("isvProdId").asInt());
    assertEquals(2, j.get("isvSvn").asInt());
    assertTrue(j.get("attributes").get("debug").asBoolean());
    assertEquals("00000001", j.get("attributes").get("miscSelect").asText(), "use_exinfo");
    assertEquals("manifest", j.get("layout").get(0).get("description").asText());
    assertTrue(j.get("layout").size() > 10);

    Cli.Result human =
        Cli.run(
            "enclave",
            "measure",
            "--gramine-manifest",
            TestData.arg(GRAMINE + "a.manifest.sgx"),
            "--libpal",
            TestData.arg(GRAMINE + "libpal.so"));
    assertTrue(
        human.out().contains("000000000ffff000-0000000010000000 [REG:R--] (manifest) measured"),
        human.out());
  }

  @Test
  void measureReadsAnSgxsStream() throws Exception {
    Path sgxs = dir.resolve("a.sgxs");
    try (OutputStream out = Files.newOutputStream(sgxs)) {
      GramineMeasurer.measure(
          Files.readAllBytes(TestData.file(GRAMINE + "a.manifest.sgx")),
          Files.readAllBytes(TestData.file(GRAMINE + "libpal.so")),
          out);
    }
    Cli.Result r = Cli.run("enclave", "measure", "--sgxs", sgxs.toString(), "--json");
    assertEquals(0, r.exit(), r.err());
    assertEquals(GRAMINE_MRENCLAVE, r.json().get("mrEnclave").asText());
    assertFalse(r.json().get("canonical").asBoolean(), "Gramine adds pages top-down");

    byte[] cut = Arrays.copyOf(Files.readAllBytes(sgxs), 1000);
    Path truncated = Files.write(dir.resolve("cut.sgxs"), cut);
    Cli.run("enclave", "measure", "--sgxs", truncated.toString())
        .assertError(2, "cut.sgxs", "SGXS");
    Cli.run("enclave", "measure", "--sgxs", sgxs.toString(), "--gramine-manifest", "x")
        .assertError(2, "mutually exclusive");
    Cli.run("enclave", "measure", "--gramine-manifest", TestData.arg(GRAMINE + "a.manifest.sgx"))
        .assertError(2, "--libpal");
  }

  @Test
  void gendataFromAGramineManifestThenOpensslThenCatsigReproducesGramineSig() throws Exception {
    Path data = dir.resolve("a.data");
    Cli.Result gendata =
        Cli.run(
            "enclave",
            "gendata",
            "--gramine-manifest",
            TestData.arg(GRAMINE + "a.manifest.sgx"),
            "--libpal",
            TestData.arg(GRAMINE + "libpal.so"),
            "--date",
            "2025-01-31",
            "--out",
            data.toString(),
            "--json");
    assertEquals(0, gendata.exit(), gendata.err());
    assertEquals(GRAMINE_MRENCLAVE, gendata.json().get("mrEnclave").asText());
    Path sig = dir.resolve("a.sigbin");
    hsmSign(TestData.file(GRAMINE + "enclave-key.pem"), data, sig);
    Path out = dir.resolve("a.sig");
    Cli.Result catsig =
        Cli.run(
            "enclave",
            "catsig",
            "--data",
            data.toString(),
            "--signature",
            sig.toString(),
            "--public-key",
            TestData.arg(GRAMINE + "enclave-key.pub.pem"),
            "--out",
            out.toString(),
            "--json");
    assertEquals(0, catsig.exit(), catsig.err());
    assertEquals(GRAMINE_MRSIGNER, catsig.json().get("mrSigner").asText());
    assertArrayEquals(
        Files.readAllBytes(TestData.file(GRAMINE + "a.sig")), Files.readAllBytes(out));

    Cli.run(
            "enclave",
            "gendata",
            "--gramine-manifest",
            TestData.arg(GRAMINE + "a.manifest.sgx"),
            "--libpal",
            TestData.arg(GRAMINE + "libpal.so"),
            "--isvsvn",
            "9",
            "--out",
            data.toString())
        .assertError(2, "--gramine-manifest", "--isvsvn");
  }

  @Test
  void hostileSigStructsAndKeysGetOneLineErrorsAndNothingIsWritten() throws Exception {
    byte[] garbage = new byte[1808];
    new Random(7).nextBytes(garbage);
    Path junk = Files.write(dir.resolve("junk.sig"), garbage);
    // SIGSTRUCT-shaped (1808 bytes) but not one: judged (exit 1), with every check failing.
    Cli.Result r = Cli.run("enclave", "show", junk.toString(), "--json");
    r.assertError(1, "junk.sig", "HEADER");
    assertFalse(r.json().get("headerValid").asBoolean());
    assertFalse(r.json().get("signatureValid").asBoolean());
    // Not SIGSTRUCT-shaped: a format error (exit 2).
    Cli.Result tooShort =
        Cli.run(
            "enclave",
            "show",
            Files.write(dir.resolve("short.sig"), new byte[100]).toString(),
            "--json");
    tooShort.assertError(2, "short.sig", "1808");
    assertEquals("sigstruct.format", tooShort.json().get("error").get("code").asText());
    Cli.run(
            "enclave",
            "show",
            Files.write(dir.resolve("long.sig"), Arrays.copyOf(garbage, 1809)).toString())
        .assertError(2, "long.sig", "1808");
    Cli.run("enclave", "show", dir.toString()).assertError(2, "directory");

    Path out = dir.resolve("never.sig");
    String[] sign = {
      "enclave",
      "sign",
      "--mrenclave",
      "11".repeat(32),
      "--date",
      "2025-01-31",
      "--out",
      out.toString(),
      "--key"
    };

    Path notPem = Files.writeString(dir.resolve("not.pem"), "this is not a key\n");
    Cli.Result nonPem = Cli.run(concat(sign, new String[] {notPem.toString(), "--json"}));
    nonPem.assertError(2, "not.pem", "PEM");
    assertEquals("enclave.key", nonPem.json().get("error").get("code").asText());

    Path rsa2048 = pkcs8Pem(2048, BigInteger.valueOf(65537), "rsa2048.pem");
    Cli.run(concat(sign, new String[] {rsa2048.toString()}))
        .assertError(2, "rsa2048.pem", "RSA-3072", "RSA-2048");
    Path e65537 = pkcs8Pem(3072, BigInteger.valueOf(65537), "e65537.pem");
    Cli.run(concat(sign, new String[] {e65537.toString()}))
        .assertError(2, "e65537.pem", "exponent 3");
    Cli.run(
            "enclave",
            "catsig",
            "--data",
            junk.toString(),
            "--signature",
            junk.toString(),
            "--public-key",
            rsa2048.toString(),
            "--out",
            out.toString())
        .assertError(2, "rsa2048.pem", "RSA-3072");
    assertFalse(Files.exists(out));
    Cli.Result verbose = Cli.run(concat(sign, new String[] {rsa2048.toString(), "--verbose"}));
    assertTrue(verbose.err().contains("\tat org.ppml"), "--verbose shows where");
  }

  @Test
  void badFieldOptionsNameTheOption() {
    String out = dir.resolve("never.sig").toString();
    String k = key.toString();
    Cli.run("enclave", "sign", "--key", k, "--date", "2025-01-31", "--out", out)
        .assertError(2, "--mrenclave");
    Cli.run("enclave", "sign", "--key", k, "--mrenclave", "11", "--out", out)
        .assertError(2, "--mrenclave", "64 hex digits");
    Cli.run(
            "enclave",
            "sign",
            "--key",
            k,
            "--mrenclave",
            "11".repeat(32),
            "--attributes",
            "4",
            "--out",
            out)
        .assertError(2, "--attributes", "FLAGS:XFRM");
    Cli.run(
            "enclave",
            "sign",
            "--key",
            k,
            "--mrenclave",
            "11".repeat(32),
            "--misc-select",
            "123456789",
            "--out",
            out)
        .assertError(2, "--misc-select", "32-bit");
    Cli.run(
            "enclave",
            "sign",
            "--key",
            k,
            "--mrenclave",
            "11".repeat(32),
            "--isvprodid",
            "70000",
            "--out",
            out)
        .assertError(2, "--isvprodid", "0..65535");
    Cli.run(
            "enclave",
            "sign",
            "--key",
            k,
            "--mrenclave",
            "11".repeat(32),
            "--date",
            "31.01.2025",
            "--out",
            out)
        .assertError(2, "--date", "YYYY-MM-DD");
    Cli.run(
            "enclave",
            "sign",
            "--key",
            k,
            "--mrenclave",
            "11".repeat(32),
            "--libpal",
            "libpal.so",
            "--out",
            out)
        .assertError(2, "--libpal", "--gramine-manifest");
    assertFalse(Files.exists(Path.of(out)));
  }

  /**
   * Signs like an offline HSM, with the documented openssl command. openssl is required, not
   * optional: these tests are the evidence that the real openssl CLI interoperates, so a missing
   * openssl fails them instead of quietly signing with the JDK.
   */
  static void hsmSign(Path privateKeyPem, Path data, Path signature) throws Exception {
    assertTrue(
        onPath("openssl"),
        "openssl must be on PATH: the two-step signing tests run the documented `openssl dgst -sha256 -sign` command");
    Process p =
        new ProcessBuilder(
                "openssl",
                "dgst",
                "-sha256",
                "-sign",
                privateKeyPem.toString(),
                "-out",
                signature.toString(),
                data.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "openssl finished");
    assertEquals(0, p.exitValue(), output);
  }

  private static boolean onPath(String program) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, program))) {
        return true;
      }
    }
    return false;
  }

  private Path pkcs8Pem(int bits, BigInteger exponent, String name) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(new RSAKeyGenParameterSpec(bits, exponent));
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(g.generateKeyPair().getPrivate().getEncoded());
    return Files.writeString(
        dir.resolve(name),
        "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
