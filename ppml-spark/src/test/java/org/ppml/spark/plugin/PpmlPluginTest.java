package org.ppml.spark.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.ppml.spark.conf.PpmlConf;

class PpmlPluginTest {
  private static final List<ProductionReadiness.Mount> MOUNTS =
      ProductionReadiness.parseMounts(
          List.of(
              "/dev/sda1 / ext4 rw,relatime 0 0",
              "tmpfs /dev/shm tmpfs rw 0 0",
              "/dev/mapper/secure /secure\\040data ext4 rw 0 0"));

  private static Map<String, String> production() {
    Map<String, String> conf = new HashMap<>();
    conf.put(PpmlConf.MODE, "production");
    conf.put(PpmlConf.KMS_URL, "ppml+https://broker:8443");
    conf.put("spark.authenticate", "true");
    conf.put("spark.network.crypto.enabled", "true");
    conf.put("spark.io.encryption.enabled", "true");
    return conf;
  }

  @Test
  void listsEveryMissingProtection() {
    Map<String, String> conf = new HashMap<>();
    conf.put(PpmlConf.MODE, "production");
    conf.put(PpmlConf.KMS_URL, "local:/keys");
    List<String> problems =
        ProductionReadiness.problems(
            conf::get, PpmlConf.from(conf::get), List.of(Path.of("/var/tmp/spark")), MOUNTS);
    assertEquals(5, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("refuses the local key store"), problems.get(0));
    assertTrue(problems.get(1).startsWith("spark.authenticate"));
    assertTrue(problems.get(2).startsWith("spark.network.crypto.enabled"));
    assertTrue(problems.get(3).startsWith("spark.io.encryption.enabled"));
    assertTrue(problems.get(4).contains("/var/tmp/spark is on ext4 (/dev/sda1)"), problems.get(4));
  }

  @Test
  void localDirsOnTmpfsOrDmCryptPass() {
    Map<String, String> conf = production();
    List<String> problems =
        ProductionReadiness.problems(
            conf::get,
            PpmlConf.from(conf::get),
            List.of(Path.of("/dev/shm/spark"), Path.of("/secure data/x")),
            MOUNTS);
    // Everything is in place but the broker's certificate pin.
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains(PpmlConf.KMS_TLS_SHA256), problems.get(0));

    conf.put(PpmlConf.KMS_TLS_SHA256, "ab".repeat(32));
    conf.put(PpmlConf.ATTESTATION_PROVIDER, "gramine");
    assertEquals(
        List.of(),
        ProductionReadiness.problems(
            conf::get, PpmlConf.from(conf::get), List.of(Path.of("/dev/shm/spark")), MOUNTS));

    conf.put(PpmlConf.ATTESTATION_PROVIDER, "simulated");
    List<String> simulated =
        ProductionReadiness.problems(
            conf::get, PpmlConf.from(conf::get), List.of(Path.of("/dev/shm/spark")), MOUNTS);
    assertEquals(1, simulated.size(), simulated.toString());
    assertTrue(simulated.get(0).contains("simulated"), simulated.get(0));
  }

  @Test
  void devModeOnlyWarns() {
    Map<String, String> conf = new HashMap<>();
    conf.put(PpmlConf.KMS_URL, "local:/keys");
    PpmlPlugin.check(conf::get, List.of(Path.of("/var/tmp")), MOUNTS);
  }

  @Test
  void productionModeStopsTheSparkContextFromStarting() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                SparkSession.builder()
                    .master("local[1]")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.plugins", PpmlPlugin.class.getName())
                    .config(PpmlConf.MODE, "production")
                    .config(PpmlConf.KMS_URL, "local:/tmp/keys")
                    .getOrCreate());
    assertTrue(
        e.getMessage().contains("spark.ppml.mode=production, but this application is not ready"),
        e.getMessage());
    assertTrue(e.getMessage().contains("refuses the local key store"), e.getMessage());
    assertTrue(e.getMessage().contains("spark.io.encryption.enabled"), e.getMessage());
  }
}
