package org.ppml.kmsclient.ehsm;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.ppml.attestation.evidence.EvidenceProvider;
import org.ppml.crypto.kms.Kms;
import org.ppml.crypto.kms.KmsCredentials;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.KmsProvider;
import org.ppml.kmsclient.uri.EvidenceUriOptions;
import org.ppml.kmsclient.uri.KmsUriQuery;

/**
 * Serves {@code ehsm+https://host:port?appid=APPID[&tlsSha256=HEX][&policyId=ID&provider=NAME…]}.
 * The API key is a secret and so never part of the URI or any configuration: it comes from {@code
 * PPML_EHSM_APIKEY}. TLS trusts the certificate pinned by {@code tlsSha256} (as for the key
 * broker), else the JVM's trust store.
 *
 * <p>{@code policyId} (what eHSM's {@code UploadQuotePolicy} returned) turns on the {@link
 * EhsmSelfAttestation} self-check and then needs an evidence provider, named by the same {@code
 * provider}, {@code dev}, {@code devHome} and {@code mrEnclave} parameters as the broker backends
 * ({@link EvidenceUriOptions}). Without {@code policyId} the backend does no attestation, and a
 * {@code provider} is refused rather than silently unused. Any other parameter name is refused, so
 * a misspelt {@code policyId} cannot quietly turn the check off.
 */
public final class EhsmKmsProvider implements KmsProvider {
  static final String SCHEME = "ehsm+https";
  private static final Set<String> PARAMETERS = parameters();

  private static Set<String> parameters() {
    Set<String> names = new HashSet<>(Set.of("appid", "tlsSha256", "policyId"));
    names.addAll(EvidenceUriOptions.PARAMETERS);
    return Set.copyOf(names);
  }

  @Override
  public String scheme() {
    return SCHEME;
  }

  @Override
  public Kms open(String uri, KmsCredentials credentials) throws KmsException {
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException e) {
      throw new KmsException(KmsException.Reason.INVALID_ARGUMENT, "not a valid eHSM URI: " + uri);
    }
    if (parsed.getHost() == null) {
      throw new KmsException(
          KmsException.Reason.INVALID_ARGUMENT,
          "eHSM URI needs a host: ehsm+https://host:port?appid=ID");
    }
    KmsUriQuery query = KmsUriQuery.parse(parsed.getRawQuery(), SCHEME, PARAMETERS);
    String appId = query.get("appid");
    if (appId == null || appId.isBlank()) {
      throw new KmsException(KmsException.Reason.INVALID_ARGUMENT, "eHSM URI needs ?appid=ID");
    }
    String policyId = query.get("policyId");
    if (policyId != null && policyId.isBlank()) {
      throw new KmsException(
          KmsException.Reason.INVALID_ARGUMENT, "policyId in an eHSM URI must not be empty");
    }
    // Every URI mistake is reported before the API key is looked at, so it shows with or without
    // one.
    HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    String pin = query.get("tlsSha256");
    if (pin != null) {
      try {
        http.sslContext(org.ppml.kmsclient.broker.BrokerTls.pinned(pin));
      } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
        throw new KmsException(
            KmsException.Reason.INVALID_ARGUMENT, "bad tlsSha256 in eHSM URI: " + e.getMessage());
      }
    }
    if (policyId == null && query.has("provider")) {
      throw new KmsException(
          KmsException.Reason.INVALID_ARGUMENT,
          "provider in an eHSM URI does nothing without"
              + " policyId=ID (from eHSM's UploadQuotePolicy); add it to check this enclave, or drop provider");
    }
    EvidenceProvider evidence = new EvidenceUriOptions(query).provider();
    if (policyId != null && evidence == null) {
      throw new KmsException(
          KmsException.Reason.INVALID_ARGUMENT,
          "policyId in an eHSM URI needs provider=NAME:"
              + " VerifyQuote checks a quote of this process, and the provider makes it");
    }
    String apiKey = System.getenv("PPML_EHSM_APIKEY");
    if (apiKey == null || apiKey.isEmpty()) {
      throw new KmsException(
          KmsException.Reason.STORE_LOCKED,
          "set PPML_EHSM_APIKEY to the API key of eHSM app id " + appId);
    }
    String port = parsed.getPort() < 0 ? "" : ":" + parsed.getPort();
    URI base = URI.create("https://" + parsed.getHost() + port);
    String reference = SCHEME + "://" + parsed.getHost() + port;
    EhsmClient client =
        new EhsmClient(base, appId, apiKey.toCharArray(), http.build(), Clock.systemUTC());
    EhsmSelfAttestation attestation =
        policyId == null
            ? null
            : new EhsmSelfAttestation(
                client, evidence, policyId, Clock.systemUTC(), EhsmSelfAttestation.DEFAULT_MAX_AGE);
    return new EhsmKms(reference, client, attestation);
  }
}
