package org.ppml.attestation.ehsm;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * eHSM's request signature: HMAC-SHA256 with the app key over the parameters sorted by name and
 * joined as {@code k=v&k=v}, base64. Following eHSM's own rule, parameters whose value is null,
 * empty, 0 or false are left out; a nested object (the payload) is rendered the same way and
 * becomes the value of its key.
 */
public final class EhsmSignature {
    private EhsmSignature() {}

    /** The string that is signed. */
    public static String signString(Map<String, ?> params) {
        StringJoiner out = new StringJoiner("&");
        for (Map.Entry<String, ?> e : new TreeMap<>(params).entrySet()) {
            String v = render(e.getValue());
            if (v != null) {
                out.add(e.getKey() + "=" + v);
            }
        }
        return out.toString();
    }

    /** The base64 HMAC-SHA256 of {@link #signString} under {@code appKey}. */
    public static String sign(byte[] appKey, Map<String, ?> params) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(appKey, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(signString(params).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static String render(Object v) {
        if (v == null || Boolean.FALSE.equals(v)) {
            return null;
        }
        if (v instanceof Number n && n.longValue() == 0 && n.doubleValue() == 0) {
            return null;
        }
        if (v instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            String nested = signString((Map<String, ?>) m);
            return nested.isEmpty() ? null : nested;
        }
        String s = v.toString();
        return s.isEmpty() ? null : s;
    }
}
