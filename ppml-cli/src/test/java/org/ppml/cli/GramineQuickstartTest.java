package org.ppml.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.ppml.graphene.install.RealGramine;

/**
 * The quickstart's Spark step inside a real Gramine LibOS ({@code gramine-direct}, ff71d7a), with
 * the project's own generated manifest: {@code format("ppml")} over encrypted CSV, TPC-H queries
 * checked against the plaintext run, an encrypted Parquet write read back, MLlib, the data key
 * released by the broker outside Gramine over loopback TLS (simulated evidence, Stage 1), and the
 * policy denial, all in one JVM under Gramine.
 */
class GramineQuickstartTest {

  @Test
  void sparkStepRunsInsideGramineWithTheGeneratedManifest() throws Exception {
    RealGramine.require();
    // Not under /tmp only to keep it beside the build; the generator accepts /tmp workspaces too.
    Path home = Paths.get("target/gramine-quickstart").toAbsolutePath();
    Cli.Result r =
        Cli.run(
            "quickstart",
            "--home",
            home.toString(),
            "--scale",
            "tiny",
            "--runtime",
            "gramine-direct",
            "--json");
    assertEquals(0, r.exit(), r.err());
    JsonNode j = r.json();
    assertEquals("gramine-direct", j.get("runtime").asText());
    assertEquals(3, j.get("queries").size());
    for (JsonNode q : j.get("queries")) {
      assertTrue(q.get("matchesPlaintext").asBoolean(), q.toString());
      assertTrue(q.get("rows").asLong() > 0, q.toString());
    }
    assertTrue(j.get("resultReadBack").asBoolean());
    assertTrue(j.get("training").get("value").asDouble() > 0.6, j.toString());
    assertTrue(j.get("releases").asInt() >= 2, j.toString());
    assertTrue(j.get("denial").get("happened").asBoolean(), j.toString());
    assertTrue(j.get("denial").get("reason").asText().contains("403"), j.toString());
    // It really ran under Gramine: the step saw gramine-direct's /dev/attestation (no SGX).
    assertTrue(r.err().contains("/dev/attestation says GRAMINE_DIRECT"), r.err());

    // ... with the generator's security properties intact.
    Path work = home.resolve("quickstart/gramine");
    byte[] manifest = Files.readAllBytes(work.resolve("quickstart-spark.manifest"));
    String text = new String(manifest, StandardCharsets.UTF_8);
    assertFalse(text.contains("insecure__"), "no insecure__ options");
    assertFalse(text.contains("file_check_policy"), "the default, strict, file check policy");
    assertFalse(text.contains("passthrough"), "no host environment");
    JsonNode m = new TomlMapper().readTree(manifest);
    assertTrue(m.path("sys").path("disallow_subprocesses").asBoolean());
    String javaHome = System.getProperty("java.home");
    boolean jdkTrusted = false;
    int jars = 0;
    for (JsonNode tf : m.path("sgx").path("trusted_files")) {
      String uri = tf.path("uri").asText();
      jdkTrusted |= uri.equals("file:" + Paths.get(javaHome).resolve("lib/modules"));
      jars += uri.endsWith(".jar") ? 1 : 0;
    }
    assertTrue(jdkTrusted, "the JDK's modules image is a trusted file");
    assertTrue(jars > 100, "every jar on the class path is trusted: " + jars);
    // No child process ran: the manifest forbids them, and Gramine's log shows it enforcing that
    // (Hadoop's and Spark's probes were refused and fell back in process; the job still passed).
    assertTrue(
        Files.readString(work.resolve("gramine.log"))
            .contains("this is disabled (sys.disallow_subprocesses = true)"));
    assertTrue(r.err().contains("child processes inside Gramine: none ran"), r.err());
    for (JsonNode allowed : m.path("sgx").path("allowed_files")) {
      assertFalse(allowed.asText().contains("/kms"), "the broker's store stays outside");
    }
  }
}
