package org.ppml.kms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.Map;
import org.ppml.attestation.broker.RuntimeDataBinding;

/** Builds KBS attest bodies by hand, from the protocol description. */
final class KeyBrokerEndToEndTestSupport {
    private KeyBrokerEndToEndTestSupport() {}

    /** An attest body for {@code nonce} and {@code jwk}, with a simulated quote binding them. */
    static String attestBody(BrokerFixture broker, String nonce, Map<String, Object> jwk) throws Exception {
        ObjectNode runtimeData = RawKbs.JSON.createObjectNode();
        runtimeData.put("nonce", nonce);
        runtimeData.set("tee-pubkey", RawKbs.JSON.valueToTree(jwk));
        byte[] reportData = RuntimeDataBinding.reportData(runtimeData.toString());
        byte[] quote = broker.devHome.provider(BrokerFixture.MRENCLAVE).evidence(reportData).quote();
        ObjectNode body = RawKbs.JSON.createObjectNode();
        body.set("runtime-data", runtimeData);
        // Trustee's clients send the evidence as a JSON string; accept that form here.
        body.put("tee-evidence", "{\"quote\":\"" + Base64.getEncoder().encodeToString(quote) + "\"}");
        return body.toString();
    }
}
