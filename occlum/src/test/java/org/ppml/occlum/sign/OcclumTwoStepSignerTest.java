package org.ppml.occlum.sign;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.enclave.sgx.EnclaveKeyPem;
import org.ppml.enclave.sgx.EnclaveSigningKey;
import org.ppml.enclave.sgx.SigStruct;
import org.ppml.enclave.sgx.SigStructBody;
import org.ppml.enclave.sgx.SigStructSigner;

/**
 * The two-step flow end to end with a stand-in for Intel's sgx_sign (a shell script that emits
 * prepared signing data and records its catsig call) and the real openssl as the offline signer.
 */
class OcclumTwoStepSignerTest {
  private static KeyPair enclaveKey;
  private static KeyPair otherKey;

  @TempDir Path dir;
  private Path fakeSgxSign;
  private Path exchange;
  private Path publicPem;
  private Path privatePem;
  private SgxSignInvocation invocation;

  @BeforeAll
  static void keys() {
    enclaveKey = EnclaveSigningKey.generate(new SecureRandom());
    otherKey = EnclaveSigningKey.generate(new SecureRandom());
  }

  @BeforeEach
  void setUp() throws Exception {
    fakeSgxSign = dir.resolve("sgx_sign");
    // gendata: copy the prepared data next to the script; catsig: record the arguments and
    // write a "signed" library. Anything else fails, as the real tool would.
    Files.writeString(
        fakeSgxSign,
        """
                #!/bin/sh
                here=$(dirname "$0")
                cmd=$1; shift
                echo "$cmd $*" >> "$here/calls"
                out=""
                while [ $# -gt 0 ]; do
                  case "$1" in -out) out=$2; shift 2;; -*) shift 2;; *) shift;; esac
                done
                case "$cmd" in
                  gendata) [ -f "$here/fail" ] && { echo "Error: enclave is broken"; exit 1; }
                           cp "$here/gendata.bin" "$out" ;;
                  catsig) echo signed > "$out" ;;
                  *) exit 2 ;;
                esac
                """);
    Files.setPosixFilePermissions(fakeSgxSign, PosixFilePermissions.fromString("rwx------"));
    exchange = dir.resolve("ppml-signing");
    publicPem = dir.resolve("enclave-public.pem");
    Files.write(publicPem, EnclaveKeyPem.publicKeyPem((RSAPublicKey) enclaveKey.getPublic()));
    privatePem = dir.resolve("enclave-key.pem");
    Files.write(
        privatePem, EnclaveKeyPem.privateKeyPem((RSAPrivateCrtKey) enclaveKey.getPrivate()));
    invocation =
        SgxSignInvocation.parse(
            List.of(
                "sign",
                "-key",
                publicPem.toString(),
                "-config",
                dir.resolve("Enclave.xml").toString(),
                "-enclave",
                dir.resolve("libocclum-libos.so.0").toString(),
                "-out",
                dir.resolve("libocclum-libos.signed.so").toString()));
  }

  private static SigStructBody body(int mrEnclaveFill, LocalDate date) {
    byte[] mr = new byte[32];
    Arrays.fill(mr, (byte) mrEnclaveFill);
    return SigStructBody.builder().enclaveHash(mr).date(date).isvProdId(7).isvSvn(2).build();
  }

  private void gendataWillWrite(SigStructBody body) throws IOException {
    Files.write(dir.resolve("gendata.bin"), body.signedData());
  }

  private OcclumTwoStepSigner signer() {
    return new OcclumTwoStepSigner(new SgxSignTool(fakeSgxSign), exchange);
  }

  private void opensslSign(Path key) throws Exception {
    Process p =
        new ProcessBuilder(
                "openssl",
                "dgst",
                "-sha256",
                "-sign",
                key.toString(),
                "-out",
                exchange.resolve("signature.bin").toString(),
                exchange.resolve("signing-request.bin").toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
  }

  @Test
  void firstBuildStopsWithARequestSecondBuildEmbedsTheOpensslSignature() throws Exception {
    SigStructBody day1 = body(0x42, LocalDate.of(2026, 11, 26));
    gendataWillWrite(day1);
    SignToolException pending =
        assertThrows(SignToolException.class, () -> signer().sign(invocation));
    assertTrue(pending.pending(), pending.getMessage());
    assertTrue(pending.getMessage().contains("42".repeat(32)), pending.getMessage());
    assertArrayEquals(
        day1.signedData(), Files.readAllBytes(exchange.resolve("signing-request.bin")));
    assertFalse(Files.exists(dir.resolve("libocclum-libos.signed.so")));

    opensslSign(privatePem);
    // The second build runs on another day: gendata stamps a new date, which catsig replaces.
    gendataWillWrite(body(0x42, LocalDate.of(2026, 11, 27)));
    SigStruct s = signer().sign(invocation);
    SigStruct direct = SigStructSigner.sign(day1, (RSAPrivateCrtKey) enclaveKey.getPrivate());
    assertArrayEquals(direct.toBytes(), s.toBytes(), "openssl two-step equals direct signing");
    assertTrue(s.signatureValid());
    assertEquals(7, s.isvProdId());
    assertEquals("signed\n", Files.readString(dir.resolve("libocclum-libos.signed.so")));
    List<String> calls = Files.readAllLines(dir.resolve("calls"));
    assertEquals(3, calls.size());
    assertTrue(
        calls.get(2).startsWith("catsig -enclave " + dir.resolve("libocclum-libos.so.0")),
        calls.get(2));
    assertTrue(
        calls
            .get(2)
            .contains(
                "-key "
                    + publicPem
                    + " -sig "
                    + exchange.resolve("signature.bin")
                    + " -unsigned "
                    + exchange.resolve("signing-request.bin")),
        calls.get(2));
  }

  @Test
  void aSignatureByAnotherKeyNeverReachesCatsig() throws Exception {
    gendataWillWrite(body(1, LocalDate.of(2026, 1, 1)));
    assertThrows(SignToolException.class, () -> signer().sign(invocation));
    Path otherPem = dir.resolve("other.pem");
    Files.write(otherPem, EnclaveKeyPem.privateKeyPem((RSAPrivateCrtKey) otherKey.getPrivate()));
    opensslSign(otherPem);
    SignToolException e = assertThrows(SignToolException.class, () -> signer().sign(invocation));
    assertFalse(e.pending());
    assertTrue(e.getMessage().contains("does not verify"), e.getMessage());
    assertEquals(SignToolException.Kind.REJECTED, e.kind());
    assertFalse(Files.readString(dir.resolve("calls")).contains("catsig"));
  }

  @Test
  void aChangedEnclaveNeedsANewSignature() throws Exception {
    gendataWillWrite(body(1, LocalDate.of(2026, 1, 1)));
    assertThrows(SignToolException.class, () -> signer().sign(invocation));
    opensslSign(privatePem);
    gendataWillWrite(body(2, LocalDate.of(2026, 1, 1)));
    SignToolException e = assertThrows(SignToolException.class, () -> signer().sign(invocation));
    assertFalse(e.pending());
    assertTrue(e.getMessage().contains("the enclave changed"), e.getMessage());
    assertEquals(SignToolException.Kind.REJECTED, e.kind());
  }

  @Test
  void thePrivateKeyIsRefusedOnTheBuildHost() throws Exception {
    gendataWillWrite(body(1, LocalDate.of(2026, 1, 1)));
    SgxSignInvocation withPrivate =
        SgxSignInvocation.parse(
            List.of(
                "sign",
                "-key",
                privatePem.toString(),
                "-config",
                "c",
                "-enclave",
                "e",
                "-out",
                "o"));
    SignToolException e = assertThrows(SignToolException.class, () -> signer().sign(withPrivate));
    assertTrue(e.getMessage().contains("PUBLIC key"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("calls")), "nothing ran");
  }

  @Test
  void sgxSignFailuresAndBadFilesAreReported() throws Exception {
    Files.writeString(dir.resolve("fail"), "");
    SignToolException e = assertThrows(SignToolException.class, () -> signer().sign(invocation));
    assertTrue(
        e.getMessage().contains("gendata failed (exit 1): Error: enclave is broken"),
        e.getMessage());
    Files.delete(dir.resolve("fail"));

    Files.write(dir.resolve("gendata.bin"), new byte[100]);
    e = assertThrows(SignToolException.class, () -> signer().sign(invocation));
    assertTrue(e.getMessage().contains("exactly 256"), e.getMessage());

    gendataWillWrite(body(1, LocalDate.of(2026, 1, 1)));
    assertThrows(SignToolException.class, () -> signer().sign(invocation));
    Files.write(exchange.resolve("signature.bin"), new byte[383]);
    e = assertThrows(SignToolException.class, () -> signer().sign(invocation));
    assertTrue(e.getMessage().contains("384 bytes"), e.getMessage());

    e =
        assertThrows(
            SignToolException.class,
            () ->
                new OcclumTwoStepSigner(new SgxSignTool(dir.resolve("missing")), exchange)
                    .sign(invocation));
    assertTrue(e.getMessage().contains("SGX_SIGN"), e.getMessage());
  }
}
