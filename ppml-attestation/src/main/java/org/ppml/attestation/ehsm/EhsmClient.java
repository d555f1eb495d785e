package org.ppml.attestation.ehsm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.ppml.crypto.kms.KmsException.Reason;

/**
 * A client of Intel eHSM's KMS REST API: {@code POST /ehsm?Action=…} with {@code appid},
 * {@code timestamp} (ms), {@code nonce}, {@code payload} and the {@link EhsmSignature}.
 *
 * <p><b>eHSM does not bind a quote to a key request.</b> {@code VerifyQuote} checks a quote and a
 * nonce, but {@code Decrypt} does not require that a verified quote came first, nor that the data
 * key goes back encrypted to a key inside the enclave: anyone holding the app key gets plaintext.
 * Use the {@code ppml+https} broker where release must be bound to attestation.
 */
public final class EhsmClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_RESPONSE = 4 << 20;

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;
    private final String appId;
    private final byte[] appKey;
    private final Clock clock;

    /**
     * @param baseUrl {@code https://host:port}
     * @param tls trust for the eHSM certificate
     * @param appId the enrolled app id
     * @param appKey the app key (the HMAC secret); copied, never printed
     */
    public EhsmClient(URI baseUrl, SSLContext tls, String appId, byte[] appKey, Duration timeout, Clock clock) {
        if (!"https".equals(baseUrl.getScheme())) {
            throw new IllegalArgumentException("eHSM is reached over https only");
        }
        this.base = URI.create(baseUrl.toString().replaceAll("/+$", ""));
        SSLParameters params = new SSLParameters();
        params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        this.http = HttpClient.newBuilder().sslContext(tls).sslParameters(params).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
        this.timeout = timeout;
        this.appId = appId;
        this.appKey = appKey.clone();
        this.clock = clock;
    }

    /** {@code CreateKey}: a new customer master key; returns its key id. */
    public String createKey(String keySpec, String origin) throws EhsmException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("keyspec", keySpec);
        p.put("origin", origin);
        p.put("keyusage", "EH_KEYUSAGE_ENCRYPT_DECRYPT");
        return text(call("CreateKey", p), "keyid");
    }

    /** {@code GenerateDataKeyWithoutPlaintext}: a data key wrapped under {@code keyId}, base64. */
    public byte[] generateDataKeyWithoutPlaintext(String keyId, int keyLength, byte[] aad) throws EhsmException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("keyid", keyId);
        p.put("keylen", keyLength);
        p.put("aad", aad == null ? "" : Base64.getEncoder().encodeToString(aad));
        return base64(call("GenerateDataKeyWithoutPlaintext", p), "ciphertext");
    }

    /** {@code Decrypt}: the plaintext of {@code ciphertext}. The caller zeroes it. */
    public byte[] decrypt(String keyId, byte[] ciphertext, byte[] aad) throws EhsmException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("keyid", keyId);
        p.put("ciphertext", Base64.getEncoder().encodeToString(ciphertext));
        p.put("aad", aad == null ? "" : Base64.getEncoder().encodeToString(aad));
        return base64(call("Decrypt", p), "plaintext");
    }

    /** {@code UploadQuotePolicy}: registers MRENCLAVE/MRSIGNER (hex); returns the policy id. */
    public String uploadQuotePolicy(String mrEnclaveHex, String mrSignerHex) throws EhsmException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("mr_enclave", mrEnclaveHex);
        p.put("mr_signer", mrSignerHex);
        return text(call("UploadQuotePolicy", p), "policyId");
    }

    /** {@code VerifyQuote}: eHSM's verdict on {@code quote} against a policy; returns the result object. */
    public JsonNode verifyQuote(byte[] quote, String nonce, String policyId) throws EhsmException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("quote", Base64.getUrlEncoder().encodeToString(quote));
        p.put("nonce", nonce);
        p.put("policyId", policyId);
        return call("VerifyQuote", p);
    }

    /** Sends one signed action and returns its {@code result}, or throws for a code other than 200. */
    JsonNode call(String action, Map<String, Object> payload) throws EhsmException {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("appid", appId);
        params.put("nonce", nonce());
        params.put("timestamp", String.valueOf(clock.millis()));
        params.put("payload", payload);
        params.put("sign", EhsmSignature.sign(appKey, params));
        String body;
        try {
            body = JSON.writeValueAsString(params);
        } catch (IOException e) {
            throw new EhsmException(Reason.INVALID_ARGUMENT, "cannot encode the eHSM request", e);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/ehsm?Action="
                        + URLEncoder.encode(action, StandardCharsets.UTF_8)))
                .timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<byte[]> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new EhsmException(Reason.UNAVAILABLE, "cannot reach eHSM at " + base + ": " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EhsmException(Reason.UNAVAILABLE, "interrupted while calling eHSM", e);
        }
        JsonNode json;
        try {
            if (r.body().length > MAX_RESPONSE) {
                throw new IOException("oversized");
            }
            json = JSON.readTree(r.body());
        } catch (IOException e) {
            throw new EhsmException(Reason.UNAVAILABLE, 0, "eHSM " + action + ": HTTP " + r.statusCode() + ", not JSON");
        }
        // eHSM reports failures as HTTP 200 with its own code; HTTP errors can happen in front of it.
        int code = json.path("code").asInt(r.statusCode());
        if (code != 200) {
            throw new EhsmException(reasonOf(code), code, "eHSM " + action + " failed (" + code + "): "
                    + json.path("message").asText("no message"));
        }
        return json.path("result");
    }

    private static Reason reasonOf(int code) {
        return switch (code) {
            case 400 -> Reason.INVALID_ARGUMENT;
            case 401, 403 -> Reason.DENIED;
            case 404 -> Reason.KEY_NOT_FOUND;
            default -> Reason.UNAVAILABLE;
        };
    }

    private static String nonce() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String text(JsonNode result, String field) throws EhsmException {
        JsonNode v = result.get(field);
        if (v == null || !v.isTextual()) {
            throw new EhsmException(Reason.UNAVAILABLE, 0, "eHSM answer has no " + field);
        }
        return v.textValue();
    }

    private static byte[] base64(JsonNode result, String field) throws EhsmException {
        try {
            return Base64.getDecoder().decode(text(result, field));
        } catch (IllegalArgumentException e) {
            throw new EhsmException(Reason.UNAVAILABLE, 0, "eHSM " + field + " is not base64");
        }
    }

    /** Zeroes the app key; the client is unusable afterwards. */
    public void close() {
        Arrays.fill(appKey, (byte) 0);
    }

    @Override
    public String toString() {
        return "EhsmClient[" + base + ", appid=" + appId + ", key redacted]";
    }
}
