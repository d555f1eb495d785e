package org.ppml.occlum.config;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OcclumConfigTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static OcclumConfigSpec.Builder spark() throws Exception {
    return OcclumConfigSpec.builder().heap(OcclumSize.parseUserInput("8G", "--heap")).threads(256);
  }

  @Test
  void generatesTheOcclumLayout() throws Exception {
    OcclumConfigSpec spec =
        spark()
            .productId(7)
            .versionNumber(3)
            .untrustedEnv("SPARK_LOCAL_IP")
            .trustedEnv("JAVA_HOME=/usr/lib/jvm/java-17")
            .build();
    OcclumConfig config = OcclumConfig.generate(spec);
    JsonNode json = JSON.readTree(config.toBytes());
    assertEquals(
        "12GB", json.at("/resource_limits/user_space_size").asText(), "8G heap + 4G headroom");
    assertEquals("512MB", json.at("/resource_limits/kernel_space_heap_size").asText());
    assertEquals("1MB", json.at("/resource_limits/kernel_space_stack_size").asText());
    assertEquals(256, json.at("/resource_limits/max_num_of_threads").asInt());
    assertEquals("4MB", json.at("/process/default_stack_size").asText());
    assertEquals("64MB", json.at("/process/default_heap_size").asText());
    assertEquals("12220MB", json.at("/process/default_mmap_size").asText());
    assertEquals("/usr/lib/jvm", json.at("/entry_points/0").asText());
    assertEquals(1, json.at("/entry_points").size());
    assertEquals("JAVA_HOME=/usr/lib/jvm/java-17", json.at("/env/default/0").asText());
    assertEquals("SPARK_LOCAL_IP", json.at("/env/untrusted/0").asText());
    assertEquals(1, json.at("/env/untrusted").size());
    assertEquals(7, json.at("/metadata/product_id").asInt());
    assertEquals(3, json.at("/metadata/version_number").asInt());
    assertFalse(json.at("/metadata/debuggable").asBoolean());
    assertFalse(json.at("/metadata/enable_kss").asBoolean());
    assertEquals("0x0", json.at("/metadata/family_id/high").asText());
    assertEquals("unionfs", json.at("/mount/0/type").asText());
    assertEquals("./build/mount/__ROOT", json.at("/mount/0/options/layers/0/source").asText());
    assertEquals("", json.at("/mount/0/options/layers/0/options/MAC").asText());
    assertEquals("/tmp", json.at("/mount/3/target").asText());
    assertTrue(json.at("/mount/3/options/temporary").asBoolean());
    config.checkMatches(spec);
    assertTrue(new String(config.toBytes(), StandardCharsets.UTF_8).endsWith("}\n"));
  }

  @Test
  void nothingFromTheHostByDefault() throws Exception {
    JsonNode json = OcclumConfig.generate(spark().build()).json();
    assertEquals(0, json.at("/env/untrusted").size());
    assertEquals(0, json.at("/env/default").size());
    for (JsonNode m : json.get("mount")) {
      assertNotEquals("hostfs", m.get("type").asText(), "no HostFS unless asked");
    }
    JsonNode withHost =
        OcclumConfig.generate(
                spark()
                    .hostMount("/data", "/mnt/encrypted")
                    .tmp(OcclumConfigSpec.TmpMount.RAMFS)
                    .build())
            .json();
    assertEquals("hostfs", withHost.at("/mount/1/type").asText());
    assertEquals("/mnt/encrypted", withHost.at("/mount/1/source").asText());
    assertEquals("ramfs", withHost.at("/mount/4/type").asText());
  }

  @Test
  void debuggableOnlyWithDebug() throws Exception {
    OcclumConfigSpec debug = spark().debug(true).build();
    OcclumConfig config = OcclumConfig.generate(debug);
    assertTrue(config.debuggable());
    OcclumConfigException e =
        assertThrows(OcclumConfigException.class, () -> config.checkMatches(spark().build()));
    assertTrue(
        e.getMessage().contains("metadata.debuggable is true without --debug"), e.getMessage());
    assertThrows(
        OcclumConfigException.class,
        () -> OcclumConfig.generate(spark().build()).checkMatches(debug));
  }

  @Test
  void inputsAreChecked() throws Exception {
    assertThrows(
        OcclumConfigException.class,
        () -> OcclumConfigSpec.builder().threads(1).build(),
        "no heap");
    assertThrows(OcclumConfigException.class, () -> spark().threads(0).build());
    assertThrows(OcclumConfigException.class, () -> spark().threads(-1).build());
    assertThrows(
        OcclumConfigException.class,
        () -> spark().threads(OcclumConfigSpec.MAX_THREADS + 1).build());
    assertThrows(OcclumConfigException.class, () -> spark().productId(65536).build());
    assertThrows(OcclumConfigException.class, () -> spark().versionNumber(-1).build());
    OcclumConfigException e =
        assertThrows(
            OcclumConfigException.class,
            () -> spark().userSpace(OcclumSize.parseUserInput("4G", "--user-space")).build());
    assertTrue(e.getMessage().startsWith("--user-space"), e.getMessage());
    assertThrows(
        OcclumConfigException.class,
        () -> spark().heap(OcclumSize.parseUserInput("8000000T", "--heap")).build(),
        "beyond 16 TiB");
    assertThrows(OcclumConfigException.class, () -> spark().untrustedEnv("BAD-NAME"));
    assertThrows(OcclumConfigException.class, () -> spark().trustedEnv("=x"));
    assertThrows(OcclumConfigException.class, () -> spark().entryPoint("bin").build());
    assertThrows(OcclumConfigException.class, () -> spark().hostMount("/", "/x").build());
    assertThrows(OcclumConfigException.class, () -> spark().hostMount("/tmp", "/x").build());
    OcclumConfigSpec explicit =
        spark().userSpace(OcclumSize.parseUserInput("9G", "--user-space")).build();
    assertEquals("9GB", OcclumConfig.generate(explicit).userSpace().toString());
  }

  @Test
  void readingBackRejectsBrokenFiles() throws Exception {
    ObjectNode good = OcclumConfig.generate(spark().build()).json();
    assertEquals(256, OcclumConfig.parse(JSON.writeValueAsBytes(good)).maxThreads());

    assertRejected(
        good,
        n -> ((ObjectNode) n.get("resource_limits")).put("user_space_size", "12 GiB"),
        "resource_limits.user_space_size");
    assertRejected(
        good,
        n -> ((ObjectNode) n.get("resource_limits")).put("max_num_of_threads", 0),
        "resource_limits.max_num_of_threads");
    assertRejected(
        good, n -> ((ObjectNode) n.get("process")).put("default_heap_size", "64GB"), "process");
    assertRejected(
        good,
        n ->
            ((ObjectNode) n.get("process"))
                .put("default_heap_size", "8000000TB")
                .put("default_stack_size", "8000000TB"),
        "process");
    assertRejected(
        good,
        n -> ((ObjectNode) n.get("metadata")).put("debuggable", "yes"),
        "metadata.debuggable");
    assertRejected(
        good,
        n -> ((ObjectNode) n.get("metadata")).put("product_id", 70000),
        "metadata.product_id");
    assertRejected(good, n -> n.remove("env"), "env");
    assertRejected(
        good, n -> ((ObjectNode) n.get("env")).putArray("untrusted").add(1), "env.untrusted");
    assertRejected(good, n -> n.putArray("mount"), "mount");
    assertRejected(good, n -> n.putArray("entry_points"), "entry_points");
    assertThrows(
        OcclumConfigException.class,
        () -> OcclumConfig.parse("[1]".getBytes(StandardCharsets.UTF_8)));
    assertThrows(
        OcclumConfigException.class,
        () -> OcclumConfig.parse("{".getBytes(StandardCharsets.UTF_8)));
    assertThrows(
        OcclumConfigException.class, () -> OcclumConfig.parse(new byte[OcclumConfig.MAX_SIZE + 1]));
  }

  private static void assertRejected(
      ObjectNode good, java.util.function.Consumer<ObjectNode> damage, String field)
      throws Exception {
    ObjectNode bad = good.deepCopy();
    damage.accept(bad);
    OcclumConfigException e =
        assertThrows(
            OcclumConfigException.class, () -> OcclumConfig.parse(JSON.writeValueAsBytes(bad)));
    assertTrue(e.getMessage().startsWith(field), e.getMessage());
  }
}
