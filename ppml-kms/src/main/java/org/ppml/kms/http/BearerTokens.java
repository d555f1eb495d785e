package org.ppml.kms.http;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ppml.kms.BrokerException.Kind;
import org.ppml.kms.BrokerException;
import org.ppml.kms.audit.AuditLog;
import org.ppml.kms.audit.AuditRecord;
import org.ppml.kms.store.ApiTokenStore;
import org.ppml.kms.store.StoreException;
import org.ppml.kms.token.AttestationToken;
import org.ppml.kms.token.AttestationTokenVerifier;
import org.ppml.kms.token.TokenRejectedException;

/**
 * Who is calling: an attested enclave (an attestation token as bearer, or a KBS session that
 * attested), an administrator or a writer (API tokens). Failures are 401 with the failed step. A
 * token that is presented but refused (forged, expired, another broker's) is audited: it is
 * someone holding something that looks like a credential. A call with no token at all is not,
 * so unauthenticated noise cannot fill the audit log with durable writes.
 */
final class BearerTokens {
    private static final int MAX_SESSIONS = 10_000;

    private final AttestationTokenVerifier verifier;
    private final ApiTokenStore apiTokens;
    private final Clock clock;
    private final AuditLog audit;
    // KBS clients may rely on the session cookie instead of the bearer token after attest.
    private final Map<String, String> sessionTokens = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_SESSIONS;
        }
    };

    BearerTokens(AttestationTokenVerifier verifier, ApiTokenStore apiTokens, Clock clock, AuditLog audit) {
        this.verifier = verifier;
        this.apiTokens = apiTokens;
        this.clock = clock;
        this.audit = audit;
    }

    synchronized void rememberSession(String session, String jwt) {
        sessionTokens.put(session, jwt);
    }

    /** The verified attestation token of the call: the bearer token, else the session's. */
    AttestationToken attested(HttpCall call, String session) throws BrokerException {
        String jwt = call.bearerToken();
        if (jwt == null && session != null) {
            synchronized (this) {
                jwt = sessionTokens.get(session);
            }
        }
        if (jwt == null) {
            throw new BrokerException(Kind.NOT_ATTESTED, "no attestation token; attest at /kbs/v0/attest first");
        }
        try {
            return verifier.verify(jwt, clock.instant());
        } catch (TokenRejectedException e) {
            List<String> violations = List.of(e.step() + ": " + e.getMessage());
            try {
                audit.append(AuditRecord.of(call.peer(), "token", AuditRecord.DENY, null, null, false, violations,
                        call.method() + " " + call.path()));
            } catch (StoreException storeFailure) {
                // The refusal stands either way; the store failure is the broker's to log.
                throw new BrokerException(Kind.INTERNAL, "audit log unavailable");
            }
            throw new BrokerException(Kind.NOT_ATTESTED, e.getMessage(), violations);
        }
    }

    /** The role of the call's API token, or a 401. */
    ApiTokenStore.Role apiRole(HttpCall call) throws BrokerException, StoreException {
        String token = call.bearerToken();
        if (token == null) {
            throw new BrokerException(Kind.UNAUTHORIZED, "an API token is required (Authorization: Bearer)");
        }
        return apiTokens.roleOf(token)
                .orElseThrow(() -> new BrokerException(Kind.UNAUTHORIZED, "the API token is not valid"));
    }

    /** Whether the call carries what looks like an API token rather than a JWT. */
    static boolean looksLikeApiToken(HttpCall call) {
        String t = call.bearerToken();
        return t != null && t.startsWith("ppml_");
    }
}
