package org.ppml.attestation.ehsm;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import org.ppml.crypto.kms.Kms;
import org.ppml.crypto.kms.KmsCredentials;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.KmsProvider;

/**
 * Serves {@code ehsm+https://host:port?appid=APPID[&tlsSha256=HEX]}. The API key is a secret and so
 * never part of the URI or any configuration: it comes from {@code PPML_EHSM_APIKEY}. TLS trusts
 * the certificate pinned by {@code tlsSha256} (as for the key broker), else the JVM's trust store.
 */
public final class EhsmKmsProvider implements KmsProvider {
    static final String SCHEME = "ehsm+https";

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
            throw new KmsException(KmsException.Reason.INVALID_ARGUMENT, "eHSM URI needs a host: ehsm+https://host:port?appid=ID");
        }
        String appId = null;
        String pin = null;
        if (parsed.getQuery() != null) {
            for (String pair : parsed.getQuery().split("&")) {
                if (pair.startsWith("appid=")) {
                    appId = pair.substring("appid=".length());
                } else if (pair.startsWith("tlsSha256=")) {
                    pin = pair.substring("tlsSha256=".length());
                }
            }
        }
        if (appId == null || appId.isBlank()) {
            throw new KmsException(KmsException.Reason.INVALID_ARGUMENT, "eHSM URI needs ?appid=ID");
        }
        String apiKey = System.getenv("PPML_EHSM_APIKEY");
        if (apiKey == null || apiKey.isEmpty()) {
            throw new KmsException(KmsException.Reason.STORE_LOCKED, "set PPML_EHSM_APIKEY to the API key of eHSM app id " + appId);
        }
        String port = parsed.getPort() < 0 ? "" : ":" + parsed.getPort();
        URI base = URI.create("https://" + parsed.getHost() + port);
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (pin != null) {
            try {
                http.sslContext(org.ppml.attestation.broker.BrokerTls.pinned(pin));
            } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
                throw new KmsException(KmsException.Reason.INVALID_ARGUMENT, "bad tlsSha256 in eHSM URI: " + e.getMessage());
            }
        }
        String reference = SCHEME + "://" + parsed.getHost() + port;
        return new EhsmKms(reference, new EhsmClient(base, appId, apiKey.toCharArray(), http.build(), Clock.systemUTC()));
    }
}
