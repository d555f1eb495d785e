package org.ppml.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ppml occlum …} through the real command line. */
class OcclumCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void configWritesACheckedOcclumJson(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("Occlum.json");
    Cli.Result r =
        Cli.run(
            "occlum",
            "config",
            "--heap",
            "8G",
            "--threads",
            "128",
            "--product-id",
            "3",
            "--version-number",
            "5",
            "--untrusted-env",
            "SPARK_LOCAL_IP",
            "--out",
            out.toString(),
            "--json");
    assertEquals(0, r.exit(), r.err());
    JsonNode json = r.json();
    assertEquals("12GB", json.get("userSpaceSize").asText());
    assertEquals(128, json.get("maxThreads").asInt());
    assertFalse(json.get("debuggable").asBoolean());
    assertEquals(3, json.get("productId").asInt());
    assertEquals("SPARK_LOCAL_IP", json.get("untrustedEnv").get(0).asText());

    JsonNode file = JSON.readTree(out.toFile());
    assertEquals("12GB", file.at("/resource_limits/user_space_size").asText());
    assertEquals(128, file.at("/resource_limits/max_num_of_threads").asInt());
    assertEquals(5, file.at("/metadata/version_number").asInt());
    assertFalse(file.at("/metadata/debuggable").asBoolean());

    Cli.Result again =
        Cli.run("occlum", "config", "--heap", "8G", "--threads", "128", "--out", out.toString());
    assertEquals(2, again.exit());
    assertTrue(again.err().contains("--force"), again.err());

    Cli.Result debug =
        Cli.run(
            "occlum",
            "config",
            "--heap",
            "2g",
            "--threads",
            "16",
            "--debug",
            "--force",
            "--out",
            out.toString());
    assertEquals(0, debug.exit(), debug.err());
    assertTrue(debug.out().contains("DEBUG"), debug.out());
    assertTrue(JSON.readTree(out.toFile()).at("/metadata/debuggable").asBoolean());
  }

  @Test
  void badOptionsAreUsageErrorsOnOneLine(@TempDir Path dir) {
    Path out = dir.resolve("Occlum.json");
    for (String[] args :
        new String[][] {
          {"--heap", "8G", "--threads", "0"},
          {"--heap", "8X", "--threads", "4"},
          {"--heap", "8G", "--threads", "4", "--user-space", "4G"},
          {"--heap", "8G", "--threads", "4", "--product-id", "70000"},
          {"--heap", "8G", "--threads", "4", "--tmp", "disk"},
          {"--heap", "8G", "--threads", "4", "--host-mount", "/data"},
        }) {
      String[] full = new String[args.length + 5];
      full[0] = "occlum";
      full[1] = "config";
      System.arraycopy(args, 0, full, 2, args.length);
      full[args.length + 2] = "--out";
      full[args.length + 3] = out.toString();
      full[args.length + 4] = "--json";
      Cli.Result r = Cli.run(full);
      assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.err());
      assertEquals("usage", r.json().at("/error/code").asText(), r.out());
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertFalse(Files.exists(out));
    }
  }

  @Test
  void signToolScriptAndAPendingSignature(@TempDir Path dir) throws Exception {
    Path script = dir.resolve("ppml-occlum-sign");
    Cli.Result r =
        Cli.run(
            "occlum",
            "sign-tool-script",
            "--out",
            script.toString(),
            "--ppml",
            "/opt/ppml/bin/ppml",
            "--json");
    assertEquals(0, r.exit(), r.err());
    assertTrue(Files.isExecutable(script));
    assertTrue(Files.readString(script).contains("occlum sign-tool \"$@\""));

    // Occlum's exact call with a public key that is not there: an I/O error, exit 2.
    Cli.Result missing =
        Cli.run(
            "occlum",
            "sign-tool",
            "--sgx-sign",
            dir.resolve("nope").toString(),
            "--exchange-dir",
            dir.resolve("x").toString(),
            "sign",
            "-key",
            dir.resolve("pub.pem").toString(),
            "-config",
            "Enclave.xml",
            "-enclave",
            "libocclum-libos.so.0",
            "-out",
            "libocclum-libos.signed.so");
    assertEquals(2, missing.exit(), missing.err());
    assertTrue(missing.err().contains("pub.pem"), missing.err());

    Cli.Result bad = Cli.run("occlum", "sign-tool", "gendata", "-enclave", "x", "--json");
    assertEquals(2, bad.exit());
    assertTrue(bad.err().contains("\"sign\""), bad.err());

    // With a stand-in sgx_sign, the first build stops (exit 1) and leaves the signing request.
    Path sgxSign = dir.resolve("sgx_sign");
    Files.writeString(
        sgxSign,
        "#!/bin/sh\nwhile [ $# -gt 0 ]; do [ \"$1\" = -out ] && cp \"$(dirname \"$0\")/data\" \"$2\"; shift; done\n");
    Files.setPosixFilePermissions(
        sgxSign, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    byte[] mr = new byte[32];
    java.util.Arrays.fill(mr, (byte) 0xab);
    Files.write(
        dir.resolve("data"),
        org.ppml.enclave.sgx.SigStructBody.builder()
            .enclaveHash(mr)
            .date(java.time.LocalDate.of(2026, 11, 27))
            .build()
            .signedData());
    java.security.KeyPair key =
        org.ppml.enclave.sgx.EnclaveSigningKey.generate(new java.security.SecureRandom());
    Files.write(
        dir.resolve("pub.pem"),
        org.ppml.enclave.sgx.EnclaveKeyPem.publicKeyPem(
            (java.security.interfaces.RSAPublicKey) key.getPublic()));
    Cli.Result pending =
        Cli.run(
            "occlum",
            "sign-tool",
            "--sgx-sign",
            sgxSign.toString(),
            "--exchange-dir",
            dir.resolve("x").toString(),
            "--json",
            "sign",
            "-key",
            dir.resolve("pub.pem").toString(),
            "-config",
            "Enclave.xml",
            "-enclave",
            "libocclum-libos.so.0",
            "-out",
            "libocclum-libos.signed.so");
    assertEquals(1, pending.exit(), pending.err());
    assertEquals("sign.pending", pending.json().at("/error/code").asText());
    assertTrue(pending.err().contains("ab".repeat(32)), pending.err());
    assertTrue(Files.exists(dir.resolve("x/signing-request.bin")));

    // Without --sgx-sign the default comes from SGX_SIGN / SGX_SDK, resolved by picocli.
    Cli.Result byDefault =
        Cli.run(
            "occlum",
            "sign-tool",
            "--exchange-dir",
            dir.resolve("y").toString(),
            "sign",
            "-key",
            dir.resolve("pub.pem").toString(),
            "-config",
            "c",
            "-enclave",
            "e",
            "-out",
            "o");
    assertEquals(2, byDefault.exit(), byDefault.err());
    String expected =
        System.getenv("SGX_SIGN") != null
            ? System.getenv("SGX_SIGN")
            : (System.getenv("SGX_SDK") != null
                    ? System.getenv("SGX_SDK")
                    : "/opt/occlum/sgxsdk-tools")
                + "/bin/x64/sgx_sign";
    assertTrue(byDefault.err().contains("cannot run " + expected), byDefault.err());
  }
}
