package org.ppml.attestation.broker;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.ppml.attestation.evidence.EvidenceException;
import org.ppml.attestation.evidence.EvidenceProvider;
import org.ppml.attestation.evidence.EvidenceProviders;
import org.ppml.attestation.simulated.DevHome;
import org.ppml.attestation.simulated.SimulatedSgxProvider;
import org.ppml.crypto.kms.Kms;
import org.ppml.crypto.kms.KmsCredentials;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.KmsException.Reason;
import org.ppml.crypto.kms.KmsProvider;

/**
 * Serves {@code ppml+https://host:port?tlsSha256=HEX[&...]} URIs. Query parameters (none of them
 * secret, so the URI can sit in configuration):
 * <ul>
 *   <li>{@code tlsSha256}: the broker certificate pin, or {@code tlsCa}: a PEM CA bundle path;
 *   <li>{@code provider}: the evidence provider, chosen by
 *       {@link org.ppml.attestation.evidence.EvidenceProviders#select}: {@code gramine},
 *       {@code occlum}, {@code tdx}, {@code auto}, or {@code simulated} (dev only, with optional
 *       {@code devHome} and {@code mrEnclave} hex); absent means no attestation (writer or admin
 *       use only);
 *   <li>{@code dev=true}: dev mode, which alone allows simulated evidence (and lets {@code auto}
 *       fall back to it);
 *   <li>{@code adminTokenFile}, {@code writerTokenFile}: files holding those tokens; the environment
 *       variables {@value #ADMIN_TOKEN_ENV} and {@value #WRITER_TOKEN_ENV} are used otherwise;
 *   <li>{@code timeoutSeconds}: per request, default 30.
 * </ul>
 * The header reference is {@code ppml+https://host:port}, without the query.
 */
public final class PpmlBrokerKmsProvider implements KmsProvider {
    /** Environment variable with an admin token. */
    public static final String ADMIN_TOKEN_ENV = "PPML_KMS_ADMIN_TOKEN";
    /** Environment variable with a writer token. */
    public static final String WRITER_TOKEN_ENV = "PPML_KMS_WRITER_TOKEN";
    private static final Set<String> PARAMETERS = Set.of("tlsSha256", "tlsCa", "provider", "dev", "devHome", "mrEnclave",
            "adminTokenFile", "writerTokenFile", "timeoutSeconds");

    @Override
    public String scheme() {
        return PpmlBrokerKms.SCHEME;
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
            throw new KmsException(Reason.INVALID_ARGUMENT, "expected ppml+https://host:port?tlsSha256=HEX, got " + uri);
        }
        Map<String, String> q = query(parsed.getRawQuery());
        String hostPort = parsed.getRawAuthority();
        String reference = PpmlBrokerKms.SCHEME + "://" + hostPort;
        URI base = URI.create("https://" + hostPort);
        Duration timeout = Duration.ofSeconds(Long.parseLong(q.getOrDefault("timeoutSeconds", "30")));
        SSLContext tls = tls(q);
        EvidenceProvider evidence = evidence(q);
        String admin = secret(q.get("adminTokenFile"), ADMIN_TOKEN_ENV);
        String writer = secret(q.get("writerTokenFile"), WRITER_TOKEN_ENV);
        KeyBrokerClient client = new KeyBrokerClient(base, tls, evidence, timeout);
        return new PpmlBrokerKms(reference, client,
                admin == null ? null : new KeyBrokerAdminClient(base, tls, admin, timeout), writer);
    }

    private static Map<String, String> query(String raw) throws KmsException {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            if (!PARAMETERS.contains(k)) {
                throw new KmsException(Reason.INVALID_ARGUMENT, "unknown ppml+https parameter '" + k + "'; known: "
                        + PARAMETERS);
            }
            out.put(k, v);
        }
        return out;
    }

    private static SSLContext tls(Map<String, String> q) throws KmsException {
        try {
            if (q.containsKey("tlsSha256")) {
                return BrokerTls.pinned(q.get("tlsSha256"));
            }
            if (q.containsKey("tlsCa")) {
                return BrokerTls.trustingCa(Path.of(q.get("tlsCa")));
            }
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            throw new KmsException(Reason.INVALID_ARGUMENT, "broker TLS trust: " + e.getMessage());
        }
        throw new KmsException(Reason.INVALID_ARGUMENT, "a ppml+https URI needs tlsSha256=HEX or tlsCa=PEM");
    }

    private static EvidenceProvider evidence(Map<String, String> q) throws KmsException {
        String name = q.get("provider");
        if (name == null) {
            return null;
        }
        boolean dev = Boolean.parseBoolean(q.getOrDefault("dev", "false"));
        Path devHome = q.containsKey("devHome") ? Path.of(q.get("devHome")) : DevHome.defaultLocation();
        // An explicit stand-in MRENCLAVE is a simulated-only knob; real providers measure themselves.
        if (name.equals(SimulatedSgxProvider.NAME) && q.containsKey("mrEnclave")) {
            if (!dev) {
                throw new KmsException(Reason.INVALID_ARGUMENT, "simulated evidence needs dev=true (dev mode)");
            }
            try {
                return DevHome.open(devHome).provider(HexFormat.of().parseHex(q.get("mrEnclave")));
            } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                throw new KmsException(Reason.INVALID_ARGUMENT, "simulated evidence: " + e.getMessage());
            }
        }
        try {
            return EvidenceProviders.select(name, dev, devHome);
        } catch (EvidenceException e) {
            throw new KmsException(Reason.INVALID_ARGUMENT, "evidence provider '" + name + "': " + e.getMessage());
        }
    }

    private static String secret(String file, String env) throws KmsException {
        try {
            if (file != null) {
                return Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
            }
        } catch (IOException e) {
            throw new KmsException(Reason.INVALID_ARGUMENT, "cannot read token file " + file);
        }
        String v = System.getenv(env);
        return v == null || v.isBlank() ? null : v.trim();
    }
}
