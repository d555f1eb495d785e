package org.ppml.kms.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.ppml.kms.BrokerException;
import org.ppml.kms.BrokerException.Kind;
import org.ppml.kms.health.Readiness;
import org.ppml.kms.metrics.BrokerMetrics;

/**
 * What a platform asks of the broker, unauthenticated: {@code GET /healthz} (the process serves
 * requests), {@code GET /readyz} (it can serve releases: see {@link Readiness}) and {@code GET
 * /metrics} (Prometheus text format). The probes say only ready or not and which check failed; the
 * reasons go to the broker's log.
 */
final class OpsEndpoints {
  static final String METRICS = "/metrics";
  static final String HEALTHZ = "/healthz";
  static final String READYZ = "/readyz";

  private final BrokerMetrics metrics;
  private final Readiness readiness;

  OpsEndpoints(BrokerMetrics metrics, Readiness readiness) {
    this.metrics = metrics;
    this.readiness = readiness;
  }

  static boolean serves(String path) {
    return path.equals(METRICS) || path.equals(HEALTHZ) || path.equals(READYZ);
  }

  void handle(HttpCall call) throws BrokerException {
    KbsEndpoints.requireMethod(call, "GET");
    switch (call.path()) {
      case HEALTHZ -> {
        ObjectNode out = HttpCall.JSON.createObjectNode();
        out.put("status", "up");
        call.json(200, out);
      }
      case READYZ -> {
        Readiness.Verdict v = readiness.check();
        ObjectNode out = HttpCall.JSON.createObjectNode();
        out.put("status", v.ready() ? "ready" : "not ready");
        if (!v.ready()) {
          var failed = out.putArray("failed");
          v.failed().forEach(failed::add);
        }
        call.json(v.ready() ? 200 : 503, out);
      }
      case METRICS -> {
        ByteArrayOutputStream text = new ByteArrayOutputStream(16 * 1024);
        try {
          metrics.write(text);
        } catch (IOException e) {
          throw new BrokerException(Kind.INTERNAL, "metrics unavailable");
        }
        call.send(200, metrics.contentType(), text.toByteArray());
      }
      default -> throw new BrokerException(Kind.NOT_FOUND, "no endpoint " + call.path());
    }
  }
}
