package org.ppml.kms;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.kms.http.KeyBrokerServer;

/**
 * Slow request heads against a real broker over TLS: 60 connections that start a request and then
 * send one more header byte every half second (so Jetty's idle timeout never fires) are all closed
 * within two header deadlines, while a client that sends its whole head is served meanwhile.
 */
class HeaderDeadlineTest {
  private static final int TRICKLERS = 60;

  @TempDir static Path tmp;
  static BrokerFixture broker;

  @BeforeAll
  static void start() throws Exception {
    broker = new BrokerFixture(tmp);
  }

  @AfterAll
  static void stop() throws Exception {
    broker.close();
  }

  /** One trickling connection and when it was opened. */
  private static final class Trickler {
    final SSLSocket socket;
    final long opened = System.nanoTime();
    long closedAfterMillis = -1;

    Trickler(SSLSocket socket) {
      this.socket = socket;
    }
  }

  @Test
  void tricklingHeadsAreClosedWithinTwoDeadlines() throws Exception {
    List<Trickler> open = new ArrayList<>();
    for (int i = 0; i < TRICKLERS; i++) {
      SSLSocket s =
          (SSLSocket)
              broker.tls().getSocketFactory().createSocket("127.0.0.1", broker.server.port());
      s.setSoTimeout(20_000);
      s.startHandshake();
      s.setSoTimeout(20);
      OutputStream out = s.getOutputStream();
      out.write(
          "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      open.add(new Trickler(s));
    }
    long limit = 2 * KeyBrokerServer.HEADER_DEADLINE.toMillis() + 5_000;
    long start = System.nanoTime();
    boolean servedDuringAttack = false;
    List<Trickler> all = new ArrayList<>(open);
    while (!open.isEmpty() && millisSince(start) < limit + 5_000) {
      for (Trickler t : new ArrayList<>(open)) {
        if (closed(t.socket)) {
          t.closedAfterMillis = millisSince(t.opened);
          open.remove(t);
        }
      }
      if (!servedDuringAttack) {
        RawKbs.Reply r = new RawKbs(broker.url(), broker.tls()).send("GET", "/healthz", null, null);
        servedDuringAttack = r.status() == 200;
      }
      Thread.sleep(500);
    }
    for (Trickler t : open) {
      t.socket.close();
    }
    assertTrue(
        open.isEmpty(), open.size() + " trickling connections still open after " + limit + " ms");
    for (Trickler t : all) {
      assertTrue(
          t.closedAfterMillis >= KeyBrokerServer.HEADER_DEADLINE.toMillis() - 500,
          "closed before one deadline: " + t.closedAfterMillis + " ms");
      assertTrue(t.closedAfterMillis <= limit, "closed after " + t.closedAfterMillis + " ms");
    }
    assertTrue(servedDuringAttack, "a whole request was not served while heads trickled");
  }

  @Test
  void aSlowButCompleteHeadAndAnIdleKeptAliveConnectionAreServed() throws Exception {
    try (SSLSocket s =
        (SSLSocket)
            broker.tls().getSocketFactory().createSocket("127.0.0.1", broker.server.port())) {
      s.setSoTimeout((int) Duration.ofSeconds(20).toMillis());
      OutputStream out = s.getOutputStream();
      // A head split over a few seconds, well inside one deadline, is answered.
      out.write("GET /healthz HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread.sleep(3_000);
      out.write("Host: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertTrue(readResponse(s.getInputStream()).startsWith("HTTP/1.1 200"));
      // Silent between requests for longer than a deadline: the idle timeout's to judge, not
      // ours.
      Thread.sleep(KeyBrokerServer.HEADER_DEADLINE.toMillis() + 3_000);
      out.write(
          "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertTrue(readResponse(s.getInputStream()).startsWith("HTTP/1.1 200"));
    }
  }

  private static String readResponse(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    // Headers, then the small JSON body: read until the body's closing brace.
    while ((c = in.read()) >= 0) {
      sb.append((char) c);
      if (c == '}') {
        break;
      }
    }
    return sb.toString();
  }

  private static boolean closed(SSLSocket s) {
    try {
      s.getOutputStream().write('a');
      s.getOutputStream().flush();
      return s.getInputStream().read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }
}
