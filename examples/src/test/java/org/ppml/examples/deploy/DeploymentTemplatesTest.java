package org.ppml.examples.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes files in deploy/k8s are not run here (no cluster), so this test parses them and
 * checks what would otherwise only fail at deploy time: required fields, and that the templates,
 * the broker manifest and the spark-submit wrapper agree with each other.
 */
class DeploymentTemplatesTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path K8S =
      Path.of(System.getProperty("user.dir")).getParent().resolve("deploy/k8s");

  private static List<JsonNode> documents(String file) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it =
        YAML.readerFor(JsonNode.class).readValues(K8S.resolve(file).toFile())) {
      while (it.hasNext()) {
        docs.add(it.next());
      }
    }
    return docs;
  }

  private static JsonNode kind(List<JsonNode> docs, String kind) {
    return docs.stream()
        .filter(d -> kind.equals(d.path("kind").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind));
  }

  private static String submitScript() throws IOException {
    return Files.readString(K8S.resolve("spark-submit.sh"));
  }

  private static String defaultImage() throws IOException {
    Matcher m =
        Pattern.compile("PPML_IMAGE=\"\\$\\{PPML_IMAGE:-([^}]+)}\"").matcher(submitScript());
    assertTrue(m.find(), "spark-submit.sh sets a default PPML_IMAGE");
    return m.group(1);
  }

  @Test
  void podTemplatesRequestSgxAndAgreeWithTheSubmitScript() throws IOException {
    String configMap =
        kind(documents("qcnl-configmap.yaml"), "ConfigMap").path("metadata").path("name").asText();
    for (String role : new String[] {"driver", "executor"}) {
      JsonNode pod = kind(documents(role + "-pod-template.yaml"), "Pod");
      JsonNode container = pod.path("spec").path("containers").get(0);
      assertEquals(
          defaultImage(),
          container.path("image").asText(),
          role + " image matches spark-submit.sh");
      JsonNode limits = container.path("resources").path("limits");
      assertTrue(limits.path("sgx.intel.com/epc").asText().endsWith("Gi"), role + " requests EPC");
      assertEquals(
          1, limits.path("sgx.intel.com/enclave").asInt(), role + " gets the enclave device");
      JsonNode volumes = pod.path("spec").path("volumes");
      boolean qcnl = false;
      boolean tmpfs = false;
      for (JsonNode v : volumes) {
        qcnl |= configMap.equals(v.path("configMap").path("name").asText());
        tmpfs |= "Memory".equals(v.path("emptyDir").path("medium").asText());
      }
      assertTrue(qcnl, role + " mounts the PCCS configuration from ConfigMap " + configMap);
      assertTrue(tmpfs, role + " keeps local dirs in memory");
      assertTrue(
          submitScript().contains(role + "-pod-template.yaml"),
          "spark-submit.sh uses the " + role + " template");
    }
  }

  @Test
  void theSubmitScriptSetsProductionMode() throws IOException {
    String script = submitScript();
    for (String conf :
        new String[] {
          "spark.plugins=org.ppml.spark.plugin.PpmlPlugin",
          "spark.ppml.mode=production",
          "spark.authenticate=true",
          "spark.network.crypto.enabled=true",
          "spark.io.encryption.enabled=true",
          "spark.ppml.kms.tlsSha256=",
          "spark.kubernetes.local.dirs.tmpfs=true"
        }) {
      assertTrue(script.contains("--conf " + conf), "spark-submit.sh sets " + conf);
    }
    assertTrue(Files.isExecutable(K8S.resolve("spark-submit.sh")));
  }

  @Test
  void theBrokerKeepsItsDataOnTheVolumeAndItsMasterKeyInASecret() throws IOException {
    List<JsonNode> docs = documents("broker.yaml");
    JsonNode deployment = kind(docs, "Deployment");
    JsonNode pvc = kind(docs, "PersistentVolumeClaim");
    JsonNode service = kind(docs, "Service");
    JsonNode spec = deployment.path("spec").path("template").path("spec");
    JsonNode container = spec.path("containers").get(0);
    assertEquals(1, deployment.path("spec").path("replicas").asInt(), "SQLite has one writer");

    List<String> args = new ArrayList<>();
    container.path("args").forEach(a -> args.add(a.asText()));
    String data = args.get(args.indexOf("--data") + 1);
    String listen = args.get(args.indexOf("--listen") + 1);
    int port = Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));

    JsonNode mount = container.path("volumeMounts").get(0);
    assertEquals(data, mount.path("mountPath").asText(), "--data is the mounted volume");
    JsonNode volume = spec.path("volumes").get(0);
    assertEquals(mount.path("name").asText(), volume.path("name").asText());
    assertEquals(
        pvc.path("metadata").path("name").asText(),
        volume.path("persistentVolumeClaim").path("claimName").asText());

    assertEquals(port, container.path("ports").get(0).path("containerPort").asInt());
    assertEquals(port, service.path("spec").path("ports").get(0).path("targetPort").asInt());

    JsonNode env = container.path("env").get(0);
    assertEquals("PPML_KMS_MASTER_KEY", env.path("name").asText());
    assertNotNull(
        env.path("valueFrom").path("secretKeyRef").get("name"),
        "the master key comes from a Secret");
    assertTrue(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean());
  }

  @Test
  void theReplicatedBrokerRunsThreeReplicasOnPostgresqlWithProbesABudgetAndAScrape()
      throws IOException {
    List<JsonNode> docs = documents("broker-postgresql.yaml");
    JsonNode deployment = kind(docs, "Deployment");
    JsonNode budget = kind(docs, "PodDisruptionBudget");
    JsonNode service = kind(docs, "Service");
    JsonNode template = deployment.path("spec").path("template");
    JsonNode container = template.path("spec").path("containers").get(0);
    int replicas = deployment.path("spec").path("replicas").asInt();
    assertEquals(3, replicas);
    assertEquals(
        kind(documents("broker.yaml"), "Deployment")
            .path("spec")
            .path("template")
            .path("spec")
            .path("containers")
            .get(0)
            .path("image"),
        container.path("image"),
        "both broker manifests run the same image");

    // The CLI contract: kms serve --data postgresql://USER@HOST:PORT/DB --state DIR --listen ADDR,
    // the password from the environment (a Secret), never in the URL or the arguments.
    List<String> args = new ArrayList<>();
    container.path("args").forEach(a -> args.add(a.asText()));
    assertEquals(List.of("kms", "serve"), args.subList(0, 2));
    String data = args.get(args.indexOf("--data") + 1);
    Matcher url =
        Pattern.compile("postgresql://([a-z_][a-z0-9_]*)@([a-z0-9.-]+):(\\d+)/([a-z_][a-z0-9_]*)")
            .matcher(data);
    assertTrue(
        url.matches(), "--data is postgresql://USER@HOST:PORT/DB without a password: " + data);
    assertFalse(String.join(" ", args).contains("password"), "no password on the command line");
    String state = args.get(args.indexOf("--state") + 1);
    String listen = args.get(args.indexOf("--listen") + 1);
    int port = Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
    boolean stateMounted = false;
    for (JsonNode m : container.path("volumeMounts")) {
      stateMounted |= state.equals(m.path("mountPath").asText());
    }
    assertTrue(stateMounted, "--state is a mounted volume (the root file system is read-only)");
    assertTrue(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean());
    for (String secret : new String[] {"PPML_KMS_MASTER_KEY", "PPML_KMS_DB_PASSWORD"}) {
      JsonNode env = null;
      for (JsonNode e : container.path("env")) {
        if (secret.equals(e.path("name").asText())) {
          env = e;
        }
      }
      assertNotNull(env, secret + " is set");
      assertFalse(env.has("value"), secret + " is not written into the manifest");
      assertTrue(
          env.path("valueFrom").path("secretKeyRef").has("name"), secret + " comes from a Secret");
    }

    assertEquals(port, container.path("ports").get(0).path("containerPort").asInt());
    assertEquals(port, service.path("spec").path("ports").get(0).path("targetPort").asInt());
    probe(container.path("readinessProbe"), "/readyz", port);
    probe(container.path("livenessProbe"), "/healthz", port);

    JsonNode selector = deployment.path("spec").path("selector").path("matchLabels");
    assertEquals(selector, budget.path("spec").path("selector").path("matchLabels"));
    assertEquals(selector, service.path("spec").path("selector"));
    assertEquals("policy/v1", budget.path("apiVersion").asText());
    int minAvailable = budget.path("spec").path("minAvailable").asInt();
    assertTrue(
        minAvailable >= 1 && minAvailable < replicas,
        "the budget keeps replicas serving and still lets a node drain");

    JsonNode scrape = template.path("metadata").path("annotations");
    assertEquals("true", scrape.path("prometheus.io/scrape").asText());
    assertEquals("/metrics", scrape.path("prometheus.io/path").asText());
    assertEquals("https", scrape.path("prometheus.io/scheme").asText());
    assertEquals(port, scrape.path("prometheus.io/port").asInt());
  }

  @Test
  void theSingleNodeBrokerIsProbedOverHttpsToo() throws IOException {
    JsonNode container =
        kind(documents("broker.yaml"), "Deployment")
            .path("spec")
            .path("template")
            .path("spec")
            .path("containers")
            .get(0);
    int port = container.path("ports").get(0).path("containerPort").asInt();
    probe(container.path("readinessProbe"), "/readyz", port);
    probe(container.path("livenessProbe"), "/healthz", port);
  }

  private static void probe(JsonNode probe, String path, int port) {
    JsonNode get = probe.path("httpGet");
    assertEquals(path, get.path("path").asText(), "probe path");
    assertEquals("HTTPS", get.path("scheme").asText(), "the broker speaks TLS only");
    assertEquals(port, get.path("port").asInt(), "probe port");
  }
}
