package org.ppml.spark.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ppml.attestation.simulated.DevHome;
import org.ppml.kms.KeyBrokerConfig;
import org.ppml.kms.http.KeyBrokerServer;
import org.ppml.kmsclient.broker.BrokerTls;
import org.ppml.kmsclient.broker.KeyBrokerAdminClient;
import org.ppml.spark.conf.PpmlConf;

/**
 * A real dev key broker on loopback for Spark tests that release keys by attestation: a dev home
 * (simulated SGX evidence), the broker over TLS with SQLite, and its admin client.
 *
 * @param devHome the dev home whose simulated enclaves the broker trusts
 * @param server the running broker
 * @param admin an admin client holding the first admin token
 */
public record DevBroker(DevHome devHome, KeyBrokerServer server, KeyBrokerAdminClient admin)
    implements AutoCloseable {

  /** A dev home and a broker under {@code dir} ({@code dir/dev}, {@code dir/kms}). */
  public static DevBroker start(Path dir) throws Exception {
    DevHome home = DevHome.init(dir.resolve("dev"), Instant.now().minusSeconds(60));
    KeyBrokerServer server =
        KeyBrokerServer.start(
            KeyBrokerConfig.dev(dir.resolve("kms"), home.directory()),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    KeyBrokerAdminClient admin =
        new KeyBrokerAdminClient(
            URI.create(server.url()),
            BrokerTls.pinned(server.tlsSha256()),
            server.firstAdminToken().orElseThrow(),
            Duration.ofSeconds(20));
    return new DevBroker(home, server, admin);
  }

  /** A release policy for enclaves signed with {@code mrSignerHex}, simulated ones included. */
  public static String policy(String mrSignerHex) {
    return "{\"mrSigner\":\""
        + mrSignerHex
        + "\",\"isvProdId\":0,\"allowSimulated\":true,\"allowDebug\":true}";
  }

  /** The policy the dev home's simulated enclaves satisfy. */
  public String devEnclavePolicy() {
    return policy(HexFormat.of().formatHex(devHome.mrSigner()));
  }

  /**
   * The Spark settings that release keys from this broker with simulated evidence, in dev mode,
   * writing under {@code key}.
   */
  public Map<String, String> sparkConf(String key) {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put(PpmlConf.KMS_URL, "ppml+https://" + URI.create(server.url()).getAuthority());
    conf.put(PpmlConf.KMS_TLS_SHA256, server.tlsSha256());
    conf.put(PpmlConf.ATTESTATION_PROVIDER, "simulated");
    conf.put(PpmlConf.DEV_HOME, devHome.directory().toString());
    conf.put(PpmlConf.KEY, key);
    conf.put(PpmlConf.MODE, "dev");
    return conf;
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
