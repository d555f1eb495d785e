package org.ppml.cli.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.ppml.attestation.evidence.EvidenceProvider;
import org.ppml.cli.ErrorReporter;
import org.ppml.cli.InputFile;
import org.ppml.crypto.json.StrictJsonMapper;
import org.ppml.kmsclient.broker.BrokerTls;
import org.ppml.kmsclient.broker.KeyBrokerAdminClient;
import org.ppml.kmsclient.broker.KeyBrokerClient;
import picocli.CommandLine.Option;

/**
 * Which key broker a client command talks to and how it trusts the broker's certificate: {@code
 * --url URL --tls-sha256 HEX} (the pin {@code kms serve} prints), {@code --tls-ca PEM} instead of a
 * pin, or {@code --endpoint FILE} naming the {@code endpoint.json} the broker writes into its data
 * directory. Explicit {@code --url}, {@code --tls-sha256} and {@code --tls-ca} win over the
 * endpoint file.
 */
public final class BrokerOptions {
  private static final ObjectMapper JSON = StrictJsonMapper.create();
  private static final long MAX_ENDPOINT_FILE = 64 * 1024;

  @Option(names = "--url", paramLabel = "URL", description = "Broker base URL, https://host:port.")
  String url;

  @Option(
      names = "--tls-sha256",
      paramLabel = "HEX",
      description = "SHA-256 of the broker's TLS certificate, as `kms serve` prints it.")
  String tlsSha256;

  @Option(
      names = "--tls-ca",
      paramLabel = "PEM",
      description =
          "Trust the broker through this CA bundle (with host name checks) instead of a pin.")
  Path tlsCa;

  @Option(
      names = "--endpoint",
      paramLabel = "FILE",
      description = "The broker's <data>/endpoint.json, which gives --url and --tls-sha256.")
  Path endpoint;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description = "Per-request timeout (default ${DEFAULT-VALUE} s).")
  long timeoutSeconds;

  /** An attesting client with {@code evidence}. */
  KeyBrokerClient client(EvidenceProvider evidence) throws IOException {
    Target t = target();
    return new KeyBrokerClient(t.url(), t.tls(), evidence, timeout());
  }

  /** An admin API client with the token {@code adminToken} finds. */
  KeyBrokerAdminClient admin(AdminTokenOption adminToken) throws IOException {
    // The broker first: a missing --url is the more basic mistake to report.
    Target t = target();
    return new KeyBrokerAdminClient(t.url(), t.tls(), adminToken.read(this), timeout());
  }

  /** The directory of {@code --endpoint}, which is the broker's data directory; null without it. */
  Path endpointDirectory() {
    return endpoint == null ? null : endpoint.toAbsolutePath().getParent();
  }

  private record Target(URI url, SSLContext tls) {}

  private Target target() throws IOException {
    String baseUrl = url;
    String pin = tlsSha256;
    String pinSource = "--tls-sha256";
    if (endpoint != null) {
      JsonNode file = readEndpoint();
      if (baseUrl == null) {
        baseUrl = file.path("url").textValue();
      }
      if (pin == null && tlsCa == null) {
        pin = file.path("tlsSha256").textValue();
        pinSource = "--endpoint " + endpoint + " tlsSha256";
      }
    }
    if (baseUrl == null) {
      throw new ErrorReporter.UsageError(
          "name the key broker with --url URL --tls-sha256 HEX, or --endpoint <data>/endpoint.json");
    }
    if (pin != null && tlsCa != null) {
      throw new ErrorReporter.UsageError("--tls-sha256 and --tls-ca are alternatives; give one");
    }
    if (pin == null && tlsCa == null) {
      throw new ErrorReporter.UsageError(
          "--url needs --tls-sha256 HEX (the fingerprint `kms serve` prints) or --tls-ca PEM");
    }
    return new Target(parseUrl(baseUrl), pin != null ? pinned(pin, pinSource) : trustingCa());
  }

  private JsonNode readEndpoint() throws IOException {
    byte[] bytes = InputFile.read(endpoint, "endpoint.json", MAX_ENDPOINT_FILE);
    JsonNode n;
    try {
      n = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new ErrorReporter.UsageError("--endpoint " + endpoint + " is not JSON");
    }
    if (n == null || !n.path("url").isTextual() || !n.path("tlsSha256").isTextual()) {
      throw new ErrorReporter.UsageError(
          "--endpoint "
              + endpoint
              + " is not a broker endpoint file (it needs \"url\" and \"tlsSha256\")");
    }
    return n;
  }

  private static URI parseUrl(String text) {
    try {
      URI u = new URI(text.strip());
      if ("https".equals(u.getScheme())
          && u.getHost() != null
          && (u.getPath() == null || u.getPath().isEmpty() || u.getPath().equals("/"))) {
        return u;
      }
    } catch (java.net.URISyntaxException e) {
      // Reported below with the expected form.
    }
    throw new ErrorReporter.UsageError("--url must be https://host:port, got '" + text + "'");
  }

  private static SSLContext pinned(String pin, String source) {
    try {
      return BrokerTls.pinned(pin);
    } catch (IllegalArgumentException e) {
      throw new ErrorReporter.UsageError(source + ": " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no TLS implementation", e);
    }
  }

  private SSLContext trustingCa() throws IOException {
    try {
      return BrokerTls.trustingCa(tlsCa);
    } catch (GeneralSecurityException | IOException e) {
      throw new ErrorReporter.Located("--tls-ca " + tlsCa, e);
    }
  }

  private Duration timeout() {
    if (timeoutSeconds <= 0) {
      throw new ErrorReporter.UsageError(
          "--timeout must be a positive number of seconds, got " + timeoutSeconds);
    }
    return Duration.ofSeconds(timeoutSeconds);
  }
}
