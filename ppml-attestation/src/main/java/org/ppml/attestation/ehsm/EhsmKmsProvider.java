package org.ppml.attestation.ehsm;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import org.ppml.attestation.broker.BrokerTls;
import org.ppml.crypto.kms.Kms;
import org.ppml.crypto.kms.KmsCredentials;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.KmsException.Reason;
import org.ppml.crypto.kms.KmsProvider;

/**
 * Serves {@code ehsm+https://host:port?appid=ID&tlsSha256=HEX} (or {@code tlsCa=PEM}). The app key
 * is a secret and never sits in the URI: it comes from {@value #APP_KEY_ENV} or from the
 * credentials' key file.
 */
public final class EhsmKmsProvider implements KmsProvider {
    /** Environment variable holding the eHSM app key. */
    public static final String APP_KEY_ENV = "PPML_EHSM_APPKEY";

    @Override
    public String scheme() {
        return EhsmKms.SCHEME;
    }

    @Override
    public Kms open(String uri, KmsCredentials credentials) throws KmsException {
        URI parsed;
        try {
            parsed = URI.create(uri);
        } catch (IllegalArgumentException e) {
            throw new KmsException(Reason.INVALID_ARGUMENT, "not a URI: " + uri);
        }
        if (parsed.getHost() == null || parsed.getPort() < 0) {
            throw new KmsException(Reason.INVALID_ARGUMENT, "expected ehsm+https://host:port?appid=ID&tlsSha256=HEX");
        }
        String appId = null;
        SSLContext tls = null;
        try {
            for (String part : parsed.getRawQuery() == null ? new String[0] : parsed.getRawQuery().split("&")) {
                String[] kv = part.split("=", 2);
                String v = kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "";
                switch (kv[0]) {
                    case "appid" -> appId = v;
                    case "tlsSha256" -> tls = BrokerTls.pinned(v);
                    case "tlsCa" -> tls = BrokerTls.trustingCa(Path.of(v));
                    default -> throw new KmsException(Reason.INVALID_ARGUMENT, "unknown ehsm+https parameter '" + kv[0] + "'");
                }
            }
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            throw new KmsException(Reason.INVALID_ARGUMENT, "eHSM TLS trust: " + e.getMessage());
        }
        if (appId == null || tls == null) {
            throw new KmsException(Reason.INVALID_ARGUMENT, "an ehsm+https URI needs appid= and tlsSha256= or tlsCa=");
        }
        byte[] appKey = appKey(credentials);
        try {
            EhsmClient client = new EhsmClient(URI.create("https://" + parsed.getRawAuthority()), tls, appId, appKey,
                    Duration.ofSeconds(30), Clock.systemUTC());
            return new EhsmKms(EhsmKms.SCHEME + "://" + parsed.getRawAuthority(), client);
        } finally {
            Arrays.fill(appKey, (byte) 0);
        }
    }

    private static byte[] appKey(KmsCredentials credentials) throws KmsException {
        String env = System.getenv(APP_KEY_ENV);
        if (env != null && !env.isBlank()) {
            return env.trim().getBytes(StandardCharsets.UTF_8);
        }
        if (credentials != null && credentials.keyFile().isPresent()) {
            try {
                return Files.readString(credentials.keyFile().get(), StandardCharsets.UTF_8).trim()
                        .getBytes(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new KmsException(Reason.STORE_LOCKED, "cannot read the eHSM app key file");
            }
        }
        throw new KmsException(Reason.STORE_LOCKED, "no eHSM app key: set " + APP_KEY_ENV + " or give a key file");
    }
}
