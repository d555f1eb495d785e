package org.ppml.kms.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own errors (malformed HTTP, oversized headers, bad URIs) as RFC 7807 problems, with no
 * server details or stack traces.
 */
final class ProblemErrorHandler extends ErrorHandler {
  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus() >= 400 ? response.getStatus() : 400;
    Object attr = request.getAttribute(ERROR_STATUS);
    if (attr instanceof Integer s && s >= 400) {
      status = s;
    }
    String reason = HttpStatus.getMessage(status);
    String body =
        "{\"type\":\"urn:ppml:kms:http-"
            + status
            + "\",\"title\":\""
            + reason
            + "\",\"status\":"
            + status
            + ",\"detail\":\"the request was rejected by the HTTP layer\"}";
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }
}
