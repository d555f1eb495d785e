package org.ppml.kms.http;

import java.lang.System.Logger.Level;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.ppml.kms.BrokerException;
import org.ppml.kms.BrokerException.Kind;
import org.ppml.kms.metrics.BrokerMetrics;
import org.ppml.kms.store.StoreException;

/**
 * Routes requests to the KBS, PPML and admin endpoints and turns every failure into an RFC 7807
 * problem, or on {@code /kbs/v0/*} into Trustee's error body ({@link KbsErrors}). Nothing a client
 * sends can produce a stack trace in a response: unexpected exceptions become a bare 500 and only
 * their class is logged, since messages may echo request content.
 */
final class BrokerHandler extends Handler.Abstract {
  private static final System.Logger LOG = System.getLogger(BrokerHandler.class.getName());

  private final KbsEndpoints kbs;
  private final PpmlEndpoints ppml;
  private final AdminEndpoints admin;
  private final OpsEndpoints ops;
  private final BrokerMetrics metrics;

  BrokerHandler(
      KbsEndpoints kbs,
      PpmlEndpoints ppml,
      AdminEndpoints admin,
      OpsEndpoints ops,
      BrokerMetrics metrics) {
    this.kbs = kbs;
    this.ppml = ppml;
    this.admin = admin;
    this.ops = ops;
    this.metrics = metrics;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    long started = System.nanoTime();
    HttpCall call = new HttpCall(request, response, callback);
    try {
      handle(call);
    } finally {
      metrics.request(
          EndpointLabel.of(call.path()),
          EndpointLabel.method(call.method()),
          call.status(),
          System.nanoTime() - started);
    }
    return true;
  }

  private void handle(HttpCall call) {
    try {
      route(call);
    } catch (BrokerException e) {
      respond(call, e);
    } catch (StoreException e) {
      LOG.log(
          Level.ERROR,
          "storage failure on " + call.method() + " " + call.path() + ": " + e.getMessage());
      respond(call, new BrokerException(Kind.INTERNAL, "the broker's storage failed"));
    } catch (RuntimeException e) {
      LOG.log(
          Level.ERROR,
          "unexpected " + e.getClass().getName() + " on " + call.method() + " " + call.path());
      respond(call, new BrokerException(Kind.INTERNAL, "internal error"));
    }
  }

  private void route(HttpCall call) throws BrokerException, StoreException {
    String path = call.path();
    if (path == null) {
      throw new BrokerException(Kind.NOT_FOUND, "no path");
    }
    if (OpsEndpoints.serves(path)) {
      ops.handle(call);
    } else if (path.startsWith(KbsEndpoints.PREFIX)) {
      kbs.handle(call);
    } else if (path.startsWith(PpmlEndpoints.PREFIX)) {
      ppml.handle(call);
    } else if (path.startsWith(AdminEndpoints.PREFIX)) {
      admin.handle(call);
    } else {
      throw new BrokerException(Kind.NOT_FOUND, "no endpoint " + path);
    }
  }

  private static void respond(HttpCall call, BrokerException e) {
    if (call.responded()) {
      return;
    }
    if (call.path() != null && call.path().startsWith(KbsEndpoints.PREFIX)) {
      KbsErrors.respond(call, e);
    } else {
      call.problem(e);
    }
  }
}
