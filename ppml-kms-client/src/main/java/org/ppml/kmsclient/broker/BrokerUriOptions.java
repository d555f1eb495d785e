package org.ppml.kmsclient.broker;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.ppml.attestation.evidence.EvidenceProvider;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.KmsException.Reason;
import org.ppml.kmsclient.uri.EvidenceUriOptions;
import org.ppml.kmsclient.uri.KmsUriQuery;

/**
 * The parts of a {@code SCHEME://host:port?…} KMS URI that every attested-broker backend shares:
 * where the broker is, how its TLS certificate is trusted, and which evidence attests this process.
 * Query parameters (none of them secret, so the URI can sit in configuration):
 *
 * <ul>
 *   <li>{@code tlsSha256}: the broker certificate pin, or {@code tlsCa}: a PEM CA bundle path; one
 *       of them is required, because an unauthenticated broker could hand out any key;
 *   <li>{@code provider}, {@code dev}, {@code devHome}, {@code mrEnclave}: the evidence provider,
 *       as {@link EvidenceUriOptions} reads them; without a provider this process cannot attest;
 *   <li>{@code timeoutSeconds}: per request, default 30.
 * </ul>
 *
 * A backend may accept more parameters of its own; any other name is refused ({@link KmsUriQuery}),
 * so a misspelt pin is an error rather than a silently untrusted connection.
 */
public final class BrokerUriOptions {
  /** The parameters every broker backend accepts. */
  public static final Set<String> COMMON = common();

  private static final long DEFAULT_TIMEOUT_SECONDS = 30;

  private final String scheme;
  private final String authority;
  private final KmsUriQuery query;
  private final EvidenceUriOptions evidence;

  private BrokerUriOptions(String scheme, String authority, KmsUriQuery query) {
    this.scheme = scheme;
    this.authority = authority;
    this.query = query;
    this.evidence = new EvidenceUriOptions(query);
  }

  private static Set<String> common() {
    Set<String> names = new HashSet<>(Set.of("tlsSha256", "tlsCa", "timeoutSeconds"));
    names.addAll(EvidenceUriOptions.PARAMETERS);
    return Set.copyOf(names);
  }

  /**
   * Parses {@code uri}, which must be {@code scheme://host:port} with an optional query.
   *
   * @param extra the parameters this backend accepts beyond {@link #COMMON}
   * @throws KmsException with {@code INVALID_ARGUMENT} naming what is wrong
   */
  public static BrokerUriOptions parse(String uri, String scheme, Set<String> extra)
      throws KmsException {
    URI parsed;
    try {
      parsed = URI.create(uri);
    } catch (IllegalArgumentException e) {
      throw new KmsException(Reason.INVALID_ARGUMENT, "not a URI: " + uri);
    }
    String usage = "expected " + scheme + "://host:port?tlsSha256=HEX, got " + uri;
    if (!scheme.equalsIgnoreCase(parsed.getScheme())
        || parsed.getHost() == null
        || parsed.getPort() < 0) {
      throw new KmsException(Reason.INVALID_ARGUMENT, usage);
    }
    // The header reference is scheme://host:port; a user part or a path would be silently
    // dropped from it, so they are refused instead.
    if (parsed.getRawUserInfo() != null
        || !(parsed.getRawPath() == null
            || parsed.getRawPath().isEmpty()
            || parsed.getRawPath().equals("/"))
        || parsed.getRawFragment() != null) {
      throw new KmsException(Reason.INVALID_ARGUMENT, usage + " (no user, path or fragment)");
    }
    Set<String> known = new HashSet<>(COMMON);
    known.addAll(extra);
    return new BrokerUriOptions(
        scheme, parsed.getRawAuthority(), KmsUriQuery.parse(parsed.getRawQuery(), scheme, known));
  }

  /** {@code scheme://host:port}: what file headers name. */
  public String reference() {
    return scheme + "://" + authority;
  }

  /** {@code https://host:port}: where the broker is reached. */
  public URI baseUrl() {
    return URI.create("https://" + authority);
  }

  /** A backend-specific parameter, or null when absent. */
  public String parameter(String name) {
    return query.get(name);
  }

  /** The per-request timeout. */
  public Duration timeout() throws KmsException {
    String s = query.get("timeoutSeconds");
    if (s == null) {
      return Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);
    }
    try {
      long seconds = Long.parseLong(s);
      if (seconds >= 1 && seconds <= 3600) {
        return Duration.ofSeconds(seconds);
      }
    } catch (NumberFormatException e) {
      // Falls through to the message below, which says what is accepted.
    }
    throw new KmsException(
        Reason.INVALID_ARGUMENT, "timeoutSeconds must be a whole number of seconds in 1..3600");
  }

  /** The TLS trust: the pinned certificate, or the CA bundle. */
  public SSLContext tls() throws KmsException {
    if (query.has("tlsSha256") && query.has("tlsCa")) {
      throw new KmsException(Reason.INVALID_ARGUMENT, "give either tlsSha256 or tlsCa, not both");
    }
    try {
      if (query.has("tlsSha256")) {
        return BrokerTls.pinned(query.get("tlsSha256"));
      }
      if (query.has("tlsCa")) {
        return BrokerTls.trustingCa(Path.of(query.get("tlsCa")));
      }
    } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
      throw new KmsException(Reason.INVALID_ARGUMENT, "broker TLS trust: " + e.getMessage());
    }
    throw new KmsException(
        Reason.INVALID_ARGUMENT, "a " + scheme + " URI needs tlsSha256=HEX or tlsCa=PEM");
  }

  /** Whether dev mode is on. */
  public boolean dev() throws KmsException {
    return evidence.dev();
  }

  /** The evidence provider named by {@code provider}, or null when there is none. */
  public EvidenceProvider evidence() throws KmsException {
    return evidence.provider();
  }

  /** An attested client for this broker. */
  public KeyBrokerClient client() throws KmsException {
    return new KeyBrokerClient(baseUrl(), tls(), evidence(), timeout());
  }

  @Override
  public String toString() {
    return "BrokerUriOptions[" + reference() + "]";
  }
}
