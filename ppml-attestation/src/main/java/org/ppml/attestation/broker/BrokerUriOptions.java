package org.ppml.attestation.broker;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLContext;
import org.ppml.attestation.evidence.EvidenceException;
import org.ppml.attestation.evidence.EvidenceProvider;
import org.ppml.attestation.evidence.EvidenceProviders;
import org.ppml.attestation.simulated.DevHome;
import org.ppml.attestation.simulated.SimulatedSgxProvider;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.KmsException.Reason;

/**
 * The parts of a {@code SCHEME://host:port?…} KMS URI that every attested-broker backend shares:
 * where the broker is, how its TLS certificate is trusted, and which evidence attests this process.
 * Query parameters (none of them secret, so the URI can sit in configuration):
 * <ul>
 *   <li>{@code tlsSha256}: the broker certificate pin, or {@code tlsCa}: a PEM CA bundle path; one
 *       of them is required, because an unauthenticated broker could hand out any key;
 *   <li>{@code provider}: the evidence provider, chosen by {@link EvidenceProviders#select}:
 *       {@code gramine}, {@code occlum}, {@code tdx}, {@code auto}, or {@code simulated} (dev only,
 *       with optional {@code devHome} and {@code mrEnclave} hex); absent means this process cannot
 *       attest;
 *   <li>{@code dev=true|false}: dev mode, which alone allows simulated evidence (and lets
 *       {@code auto} fall back to it);
 *   <li>{@code timeoutSeconds}: per request, default 30.
 * </ul>
 * A backend may accept more parameters of its own; any other name is refused, so a misspelt pin
 * is an error rather than a silently untrusted connection.
 */
public final class BrokerUriOptions {
    /** The parameters every broker backend accepts. */
    public static final Set<String> COMMON = Set.of("tlsSha256", "tlsCa", "provider", "dev", "devHome", "mrEnclave",
            "timeoutSeconds");
    private static final long DEFAULT_TIMEOUT_SECONDS = 30;

    private final String scheme;
    private final String authority;
    private final Map<String, String> query;

    private BrokerUriOptions(String scheme, String authority, Map<String, String> query) {
        this.scheme = scheme;
        this.authority = authority;
        this.query = query;
    }

    /**
     * Parses {@code uri}, which must be {@code scheme://host:port} with an optional query.
     *
     * @param extra the parameters this backend accepts beyond {@link #COMMON}
     * @throws KmsException with {@code INVALID_ARGUMENT} naming what is wrong
     */
    public static BrokerUriOptions parse(String uri, String scheme, Set<String> extra) throws KmsException {
        URI parsed;
        try {
            parsed = URI.create(uri);
        } catch (IllegalArgumentException e) {
            throw new KmsException(Reason.INVALID_ARGUMENT, "not a URI: " + uri);
        }
        String usage = "expected " + scheme + "://host:port?tlsSha256=HEX, got " + uri;
        if (!scheme.equalsIgnoreCase(parsed.getScheme()) || parsed.getHost() == null || parsed.getPort() < 0) {
            throw new KmsException(Reason.INVALID_ARGUMENT, usage);
        }
        // The header reference is scheme://host:port; a user part or a path would be silently
        // dropped from it, so they are refused instead.
        if (parsed.getRawUserInfo() != null || !(parsed.getRawPath() == null || parsed.getRawPath().isEmpty()
                || parsed.getRawPath().equals("/")) || parsed.getRawFragment() != null) {
            throw new KmsException(Reason.INVALID_ARGUMENT, usage + " (no user, path or fragment)");
        }
        Set<String> known = new TreeSet<>(COMMON);
        known.addAll(extra);
        return new BrokerUriOptions(scheme, parsed.getRawAuthority(), query(parsed.getRawQuery(), scheme, known));
    }

    private static Map<String, String> query(String raw, String scheme, Set<String> known) throws KmsException {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String part : raw.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            if (!known.contains(k)) {
                throw new KmsException(Reason.INVALID_ARGUMENT, "unknown " + scheme + " parameter '" + k + "'; known: "
                        + known);
            }
            // Spark appends its settings to the configured URL, so a repeat is normal; two different
            // pins or providers are not, and neither may silently win.
            String before = out.put(k, v);
            if (before != null && !before.equals(v)) {
                throw new KmsException(Reason.INVALID_ARGUMENT, scheme + " parameter '" + k
                        + "' is given twice with different values");
            }
        }
        return out;
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
        throw new KmsException(Reason.INVALID_ARGUMENT, "timeoutSeconds must be a whole number of seconds in 1..3600");
    }

    /** The TLS trust: the pinned certificate, or the CA bundle. */
    public SSLContext tls() throws KmsException {
        if (query.containsKey("tlsSha256") && query.containsKey("tlsCa")) {
            throw new KmsException(Reason.INVALID_ARGUMENT, "give either tlsSha256 or tlsCa, not both");
        }
        try {
            if (query.containsKey("tlsSha256")) {
                return BrokerTls.pinned(query.get("tlsSha256"));
            }
            if (query.containsKey("tlsCa")) {
                return BrokerTls.trustingCa(Path.of(query.get("tlsCa")));
            }
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            throw new KmsException(Reason.INVALID_ARGUMENT, "broker TLS trust: " + e.getMessage());
        }
        throw new KmsException(Reason.INVALID_ARGUMENT, "a " + scheme + " URI needs tlsSha256=HEX or tlsCa=PEM");
    }

    /** Whether dev mode is on. */
    public boolean dev() throws KmsException {
        String s = query.getOrDefault("dev", "false");
        // Strict, because "dev=yes" read as false would turn into a confusing refusal of simulated evidence.
        return switch (s) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new KmsException(Reason.INVALID_ARGUMENT, "dev must be true or false, not '" + s + "'");
        };
    }

    /** The evidence provider named by {@code provider}, or null when there is none. */
    public EvidenceProvider evidence() throws KmsException {
        String name = query.get("provider");
        if (name == null) {
            if (query.containsKey("mrEnclave")) {
                throw new KmsException(Reason.INVALID_ARGUMENT, "mrEnclave is for provider=simulated only");
            }
            return null;
        }
        boolean dev = dev();
        Path devHome = query.containsKey("devHome") ? Path.of(query.get("devHome")) : DevHome.defaultLocation();
        // An explicit stand-in MRENCLAVE is a simulated-only knob; real providers measure themselves.
        if (query.containsKey("mrEnclave")) {
            if (!name.equals(SimulatedSgxProvider.NAME)) {
                throw new KmsException(Reason.INVALID_ARGUMENT, "mrEnclave is for provider=simulated only");
            }
            if (!dev) {
                throw new KmsException(Reason.INVALID_ARGUMENT, "simulated evidence needs dev=true (dev mode)");
            }
            try {
                return DevHome.open(devHome).provider(HexFormat.of().parseHex(query.get("mrEnclave")));
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

    /** An attested client for this broker. */
    public KeyBrokerClient client() throws KmsException {
        return new KeyBrokerClient(baseUrl(), tls(), evidence(), timeout());
    }

    @Override
    public String toString() {
        return "BrokerUriOptions[" + reference() + "]";
    }
}
