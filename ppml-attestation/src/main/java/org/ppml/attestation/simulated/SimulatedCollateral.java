package org.ppml.attestation.simulated;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.util.encoders.Hex;
import org.ppml.attestation.collateral.CollateralBundle;
import org.ppml.attestation.collateral.CollateralFormatException;
import org.ppml.attestation.collateral.QeIdentity;
import org.ppml.attestation.collateral.TcbInfo;

/**
 * Builds a collateral bundle for the simulated platform, signed by the dev PKI exactly as Intel
 * signs real collateral (TCB Info and QE Identity signatures over their JSON text, CRLs by the root
 * and PCK CAs).
 *
 * <p>The setters exist so tests can produce well-signed but wrong collateral (another FMSPC,
 * another QE signer, a revoked PCK certificate).
 */
public final class SimulatedCollateral {
    private final DevPki pki;
    private Instant issueDate;
    private Instant nextUpdate;
    private byte[] fmspc = DevPlatform.FMSPC;
    private byte[] qeMrSigner = DevPlatform.QE_MRSIGNER;
    private final List<BigInteger> revokedPckSerials = new ArrayList<>();

    private SimulatedCollateral(DevPki pki, Instant issueDate, Instant nextUpdate) {
        this.pki = pki;
        this.issueDate = issueDate.truncatedTo(ChronoUnit.SECONDS);
        this.nextUpdate = nextUpdate.truncatedTo(ChronoUnit.SECONDS);
    }

    /** Collateral valid from {@code issueDate} to {@code nextUpdate}. */
    public static SimulatedCollateral of(DevPki pki, Instant issueDate, Instant nextUpdate) {
        return new SimulatedCollateral(pki, issueDate, nextUpdate);
    }

    /** Describe another FMSPC than the dev PCK certificate's. */
    public SimulatedCollateral fmspc(byte[] value) {
        this.fmspc = value.clone();
        return this;
    }

    /** Describe another Quoting Enclave signer. */
    public SimulatedCollateral qeMrSigner(byte[] value) {
        this.qeMrSigner = value.clone();
        return this;
    }

    /** List {@code serial} in the PCK CRL. */
    public SimulatedCollateral revokePck(BigInteger serial) {
        revokedPckSerials.add(serial);
        return this;
    }

    /** Signs and assembles the bundle. */
    public CollateralBundle build() throws GeneralSecurityException, IOException {
        String tcbInfo = tcbInfoJson();
        String qeIdentity = qeIdentityJson();
        try {
            return new CollateralBundle(pki.pckCrlIssuerChainPem(),
                    pki.rootCrl(List.of(), issueDate, nextUpdate).getEncoded(),
                    pki.pckCrl(revokedPckSerials, issueDate, nextUpdate).getEncoded(),
                    pki.tcbSigningChainPem(),
                    TcbInfo.parse(tcbInfo),
                    RawEcdsa.sign(pki.tcbSigningKey(), tcbInfo.getBytes(StandardCharsets.UTF_8)),
                    pki.tcbSigningChainPem(),
                    QeIdentity.parse(qeIdentity),
                    RawEcdsa.sign(pki.tcbSigningKey(), qeIdentity.getBytes(StandardCharsets.UTF_8)));
        } catch (CollateralFormatException e) {
            throw new IllegalStateException("generated collateral does not parse: " + e.getMessage(), e);
        }
    }

    private static String upperHex(byte[] b) {
        return Hex.toHexString(b).toUpperCase(Locale.ROOT);
    }

    private String tcbInfoJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("id", "SGX");
        o.put("version", 3);
        o.put("issueDate", issueDate.toString());
        o.put("nextUpdate", nextUpdate.toString());
        o.put("fmspc", upperHex(fmspc));
        o.put("pceId", upperHex(DevPlatform.PCE_ID));
        o.put("tcbType", 0);
        o.put("tcbEvaluationDataNumber", DevPlatform.TCB_EVALUATION_DATA_NUMBER);
        ArrayNode levels = o.putArray("tcbLevels");
        ObjectNode level = levels.addObject();
        ObjectNode tcb = level.putObject("tcb");
        ArrayNode comps = tcb.putArray("sgxtcbcomponents");
        for (int svn : DevPlatform.CPU_SVN) {
            comps.addObject().put("svn", svn);
        }
        tcb.put("pcesvn", DevPlatform.PCE_SVN);
        level.put("tcbDate", issueDate.truncatedTo(ChronoUnit.DAYS).toString());
        level.put("tcbStatus", "UpToDate");
        return o.toString();
    }

    private String qeIdentityJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", "QE");
        o.put("version", 2);
        o.put("issueDate", issueDate.toString());
        o.put("nextUpdate", nextUpdate.toString());
        o.put("tcbEvaluationDataNumber", DevPlatform.TCB_EVALUATION_DATA_NUMBER);
        o.put("miscselect", "00000000");
        o.put("miscselectMask", "FFFFFFFF");
        o.put("attributes", "11000000000000000000000000000000");
        o.put("attributesMask", "FBFFFFFFFFFFFFFF0000000000000000");
        o.put("mrsigner", upperHex(qeMrSigner));
        o.put("isvprodid", DevPlatform.QE_ISV_PROD_ID);
        ObjectNode level = o.putArray("tcbLevels").addObject();
        level.putObject("tcb").put("isvsvn", DevPlatform.QE_ISV_SVN);
        level.put("tcbDate", issueDate.truncatedTo(ChronoUnit.DAYS).toString());
        level.put("tcbStatus", "UpToDate");
        return o.toString();
    }
}
