package org.ppml.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.crypto.kms.KmsException;
import org.ppml.kms.audit.AuditLog;
import org.ppml.kms.audit.AuditRecord;
import org.ppml.kms.store.BrokerDatabase;
import org.ppml.kms.testing.AuditLogFill;
import org.ppml.kms.testing.TestBackend;
import org.ppml.kmsclient.broker.KeyBrokerAdminClient;
import org.ppml.kmsclient.broker.KeyBrokerException;

/**
 * The admin API's audit query on a log longer than any one answer: a real broker over TLS on
 * loopback, its real SQLite file filled past the old 10,000-record cut-off, read back through the
 * admin endpoint and {@link KeyBrokerAdminClient}.
 */
class AuditPagingTest {
  private static final int RECORDS = 10_500;
  private static final String FILL = "fill-";
  // Record i of the fill is at START + i ms, so every thousandth time is a whole second ("...:07Z")
  // and the rest carry a fraction: since is tested where text order and time order differ.
  private static final Instant START =
      Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.DAYS);

  @TempDir static Path tmp;
  static BrokerFixture broker;

  @BeforeAll
  static void fillTheLog() throws Exception {
    broker = new BrokerFixture(tmp.resolve("busy"));
    AuditLogFill.append(
        broker.dataDir(), RECORDS, 32, i -> record(START.plusMillis(i), FILL + i, List.of()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void theClientGetsEveryRecordOnceInIdOrder() throws Exception {
    KeyBrokerAdminClient admin = broker.admin();
    List<JsonNode> all = admin.audit(null);
    assertIdsAscend(all);
    assertFill(0, RECORDS, all, "everything");

    List<JsonNode> streamed = new ArrayList<>();
    admin.audit(null, streamed::add);
    assertEquals(all, streamed);
  }

  @Test
  void sinceExcludesEarlierRecordsEvenWithinTheSameSecond() throws Exception {
    KeyBrokerAdminClient admin = broker.admin();
    Map<Instant, Integer> firstIncluded = new HashMap<>();
    firstIncluded.put(START, 0);
    firstIncluded.put(START.plusSeconds(7), 7000);
    firstIncluded.put(START.plusMillis(6999), 6999);
    firstIncluded.put(START.plusMillis(3250).plusNanos(500_000), 3251);
    firstIncluded.put(START.plusMillis(RECORDS - 1), RECORDS - 1);
    for (Map.Entry<Instant, Integer> e : firstIncluded.entrySet()) {
      List<JsonNode> records = admin.audit(e.getKey());
      assertIdsAscend(records);
      assertFill(e.getValue(), RECORDS, records, "since " + e.getKey());
      for (JsonNode r : records) {
        assertTrue(!Instant.parse(r.get("time").asText()).isBefore(e.getKey()), r.toString());
      }
    }
    assertEquals(List.of(), admin.audit(Instant.now().plus(1, ChronoUnit.HOURS)));
  }

  @Test
  void eachAnswerIsOnePageWithACursor() throws Exception {
    RawKbs raw = new RawKbs(broker.url(), broker.tls());
    JsonNode first = get(raw, "/admin/v1/audit").json();
    assertEquals(AuditLog.MAX_PAGE, first.get("records").size());
    long tenth = first.get("records").get(9).get("id").longValue();
    long last = first.get("records").get(AuditLog.MAX_PAGE - 1).get("id").longValue();
    assertEquals(last, first.get("next").longValue());

    JsonNode capped = get(raw, "/admin/v1/audit?limit=5000").json();
    assertEquals(AuditLog.MAX_PAGE, capped.get("records").size(), "a larger limit is capped");
    assertEquals(last, capped.get("next").longValue());

    JsonNode ten = get(raw, "/admin/v1/audit?limit=10").json();
    assertEquals(10, ten.get("records").size());
    assertEquals(tenth, ten.get("next").longValue());
    JsonNode following = get(raw, "/admin/v1/audit?limit=10&after=" + tenth).json();
    assertEquals(first.get("records").get(10), following.get("records").get(0));

    List<JsonNode> all = broker.admin().audit(null);
    long newest = all.get(all.size() - 1).get("id").longValue();
    JsonNode end =
        get(raw, "/admin/v1/audit?after=" + all.get(all.size() - 2).get("id").longValue()).json();
    assertEquals(1, end.get("records").size());
    assertTrue(end.get("next").isNull(), end.get("next").toString());
    JsonNode beyond = get(raw, "/admin/v1/audit?after=" + newest).json();
    assertEquals(0, beyond.get("records").size());
    assertTrue(beyond.get("next").isNull());
  }

  @Test
  void badCursorsAndLimitsAre400Problems() throws Exception {
    RawKbs raw = new RawKbs(broker.url(), broker.tls());
    for (String query :
        List.of(
            "after=abc",
            "after=-1",
            "after=",
            "after=1.5",
            "limit=0",
            "limit=-3",
            "limit=ten",
            "limit=",
            "since=yesterday")) {
      RawKbs.Reply r = get(raw, "/admin/v1/audit?" + query);
      assertEquals(400, r.status(), query + ": " + r.body());
      assertTrue(
          r.contentType().startsWith("application/problem+json"), query + ": " + r.contentType());
      assertEquals("urn:ppml:kms:bad-request", r.json().get("type").asText(), query);
      String name = query.substring(0, query.indexOf('='));
      assertTrue(r.json().get("detail").asText().contains(name), query + ": " + r.body());
    }
  }

  @Test
  void largeRecordsEndAPageEarlyInsteadOfOverflowingTheClient() throws Exception {
    // Twenty records of 250 KiB are 5 MiB: one answer holding them all would exceed the 4 MiB a
    // client reads.
    int records = 20;
    String violation = "measurement outside the allowed set ".repeat(7300);
    try (BrokerFixture large = new BrokerFixture(tmp.resolve("large"))) {
      try (BrokerDatabase store = TestBackend.open(large.dataDir())) {
        AuditLog log = new AuditLog(store);
        for (int i = 0; i < records; i++) {
          log.append(record(START.plusSeconds(i), FILL + i, List.of(violation)));
        }
      }
      RawKbs.Reply first =
          get(new RawKbs(large.url(), large.tls()), large.adminToken, "/admin/v1/audit");
      assertEquals(200, first.status());
      int size = first.body().getBytes(StandardCharsets.UTF_8).length;
      assertTrue(size < 2 << 20, "page of " + size + " bytes");
      assertTrue(first.json().get("records").size() < records, "the page ended early");
      assertTrue(first.json().get("next").isIntegralNumber());

      List<JsonNode> all = large.admin().audit(null);
      assertIdsAscend(all);
      assertFill(0, records, all, "everything");
    }
  }

  @Test
  void aServerWhoseCursorDoesNotAdvanceIsRefusedNotFollowedForever() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (PosingBroker server =
        PosingBroker.start(
            tmp.resolve("hostile-tls"),
            exchange -> {
              calls.incrementAndGet();
              byte[] page =
                  "{\"records\":[{\"id\":7}],\"next\":7}".getBytes(StandardCharsets.UTF_8);
              exchange.getResponseHeaders().add("Content-Type", "application/json");
              exchange.sendResponseHeaders(200, page.length);
              try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
              }
            })) {
      KeyBrokerAdminClient admin =
          new KeyBrokerAdminClient(
              server.url(), server.clientTls(), "token", BrokerFixture.TIMEOUT);
      KeyBrokerException e = assertThrows(KeyBrokerException.class, () -> admin.audit(null));
      assertEquals(KmsException.Reason.UNAVAILABLE, e.reason());
      assertTrue(e.getMessage().contains("next"), e.getMessage());
      assertEquals(2, calls.get(), "the first page moves from 0 to 7; the second stays at 7");
    }
  }

  private static AuditRecord record(Instant time, String detail, List<String> violations) {
    return AuditLogFill.unwrapAt(time, detail, violations);
  }

  private static RawKbs.Reply get(RawKbs raw, String path) throws Exception {
    return get(raw, broker.adminToken, path);
  }

  private static RawKbs.Reply get(RawKbs raw, String adminToken, String path) throws Exception {
    return raw.send("GET", path, null, null, "Authorization", "Bearer " + adminToken);
  }

  private static void assertIdsAscend(List<JsonNode> records) {
    for (int i = 1; i < records.size(); i++) {
      long before = records.get(i - 1).get("id").longValue();
      long id = records.get(i).get("id").longValue();
      assertTrue(before < id, "record " + i + ": id " + id + " after " + before);
    }
  }

  /**
   * The filled records among {@code records} are exactly those from {@code from} to {@code to},
   * each once.
   */
  private static void assertFill(int from, int to, List<JsonNode> records, String what) {
    Map<Integer, Integer> seen = new TreeMap<>();
    for (JsonNode r : records) {
      String d = r.get("detail").asText("");
      if (d.startsWith(FILL)) {
        seen.merge(Integer.parseInt(d.substring(FILL.length())), 1, Integer::sum);
      }
    }
    List<Integer> missing = new ArrayList<>();
    for (int i = from; i < to; i++) {
      if (!seen.containsKey(i)) {
        missing.add(i);
      }
    }
    List<Integer> extra =
        seen.entrySet().stream()
            .filter(e -> e.getKey() < from || e.getKey() >= to || e.getValue() > 1)
            .map(Map.Entry::getKey)
            .toList();
    assertTrue(
        missing.isEmpty() && extra.isEmpty(),
        what
            + ": "
            + missing.size()
            + " missing, first "
            + missing.subList(0, Math.min(5, missing.size()))
            + "; "
            + extra.size()
            + " unexpected or repeated, first "
            + extra.subList(0, Math.min(5, extra.size())));
  }
}
