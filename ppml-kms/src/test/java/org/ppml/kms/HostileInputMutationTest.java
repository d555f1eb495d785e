package org.ppml.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random mutations of valid requests (bit flips, truncation, splices, type swaps) against a
 * live broker: every answer is a 2xx or a typed 4xx problem, never a 5xx, and the broker keeps
 * serving. The seed is fixed so a failure reproduces.
 */
class HostileInputMutationTest {
  private static final long SEED = 0x5eed_b0c5L;
  private static final int ROUNDS = 40;

  @TempDir static Path tmp;
  static BrokerFixture broker;

  @BeforeAll
  static void start() throws Exception {
    broker = new BrokerFixture(tmp);
    broker.admin().createKey("sales", broker.simulatedPolicy());
  }

  @AfterAll
  static void stop() throws Exception {
    broker.close();
  }

  @Test
  void mutatedRequestsNeverCauseA5xx() throws Exception {
    RawKbs raw = new RawKbs(broker.url(), broker.tls());
    String token = broker.enclaveClient().token();
    String wrapped;
    try (var key = broker.enclaveClient().dataKey("sales")) {
      wrapped = java.util.Base64.getEncoder().encodeToString(key.wrapped().wrapped());
    }
    Random random = new Random(SEED);
    for (int round = 0; round < ROUNDS; round++) {
      RawKbs.Reply auth = raw.auth();
      String cookie = "kbs-session-id=" + auth.session();
      String attest =
          KeyBrokerEndToEndTestSupport.attestBody(
              broker,
              auth.json().get("nonce").asText(),
              new ECKeyGenerator(Curve.P_256).generate().toPublicJWK().toJSONObject());
      List<String[]> seeds =
          List.of(
              new String[] {
                "/kbs/v0/auth", "{\"version\":\"0.4.0\",\"tee\":\"sgx\",\"extra-params\":{}}", null
              },
              new String[] {"/kbs/v0/attest", attest, "Cookie"},
              new String[] {
                "/ppml/v1/unwrap",
                "{\"keyName\":\"sales\",\"keyVersion\":1,\"wrappedKey\":\""
                    + "A".repeat(80)
                    + "\"}",
                "Authorization"
              },
              new String[] {"/ppml/v1/datakey", "{\"keyName\":\"sales\"}", "Authorization"},
              new String[] {
                "/admin/v1/keys",
                "{\"name\":\"m" + round + "\",\"policy\":{\"allowDebug\":true}}",
                "Admin"
              },
              new String[] {
                "/admin/v1/rewrap",
                "{\"keyName\":\"sales\",\"keyVersion\":1,\"wrappedKey\":\"" + wrapped + "\"}",
                "Admin"
              });
      for (String[] seed : seeds) {
        byte[] body = mutate(seed[1].getBytes(StandardCharsets.UTF_8), random);
        String[] headers =
            switch (seed[2] == null ? "" : seed[2]) {
              case "Cookie" -> new String[] {"Cookie", cookie};
              case "Authorization" -> new String[] {"Authorization", "Bearer " + token};
              case "Admin" -> new String[] {"Authorization", "Bearer " + broker.adminToken};
              default -> new String[0];
            };
        RawKbs.Reply r = raw.send("POST", seed[0], "application/json", body, headers);
        assertTrue(
            r.status() < 500,
            seed[0]
                + " "
                + r.status()
                + " "
                + r.body()
                + " for "
                + new String(body, StandardCharsets.UTF_8));
        if (r.status() >= 400) {
          // /kbs/v0/* answers in Trustee's {type, detail}; the rest in RFC 7807.
          assertEquals(
              seed[0].startsWith("/kbs/v0/") ? "application/json" : "application/problem+json",
              r.contentType(),
              r.body());
          assertFalse(r.body().contains("Exception"), r.body());
        }
      }
    }
    assertEquals(200, raw.auth().status());
  }

  private static byte[] mutate(byte[] in, Random random) {
    byte[] b = in.clone();
    switch (random.nextInt(6)) {
      case 0 -> {
        for (int i = 0; i < 1 + random.nextInt(4); i++) {
          int at = random.nextInt(b.length);
          b[at] ^= (byte) (1 << random.nextInt(8));
        }
      }
      case 1 -> b = Arrays.copyOf(b, random.nextInt(b.length));
      case 2 -> {
        int at = random.nextInt(b.length);
        byte[] out = new byte[b.length * 2 - at];
        System.arraycopy(b, 0, out, 0, b.length);
        System.arraycopy(b, at, out, b.length, b.length - at);
        b = out;
      }
      case 3 -> {
        String s = new String(b, StandardCharsets.UTF_8);
        String[] swaps = {
          "\"0.4.0\"", "1", "\"sales\"", "[]", "1", "{}", "{\"nonce\"", "{\"nonce\":null"
        };
        int i = random.nextInt(swaps.length / 2) * 2;
        b = s.replace(swaps[i], swaps[i + 1]).getBytes(StandardCharsets.UTF_8);
      }
      case 4 -> b[random.nextInt(b.length)] = (byte) random.nextInt(256);
      default -> {
        // unchanged: the valid request itself must also pass through cleanly
      }
    }
    return b;
  }
}
