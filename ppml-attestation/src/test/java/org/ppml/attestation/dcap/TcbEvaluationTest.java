package org.ppml.attestation.dcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ppml.attestation.TestVectors;
import org.ppml.attestation.collateral.CollateralBundle;
import org.ppml.attestation.collateral.TcbInfo;
import org.ppml.attestation.collateral.TcbLevel;
import org.ppml.attestation.collateral.TcbStatus;
import org.ppml.attestation.quote.Quote;
import org.ppml.attestation.quote.TdReport;

/** TCB level selection and status convergence on edited (unsigned) TCB Info: the logic alone. */
class TcbEvaluationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String reorder(String raw, boolean reverse) throws Exception {
        ObjectNode o = (ObjectNode) JSON.readTree(raw);
        List<JsonNode> levels = new ArrayList<>();
        o.get("tcbLevels").forEach(levels::add);
        if (reverse) {
            Collections.reverse(levels);
        } else {
            Collections.shuffle(levels, new java.util.Random(7));
        }
        ArrayNode a = o.putArray("tcbLevels");
        levels.forEach(a::add);
        return o.toString();
    }

    @Test
    void levelsAreSortedNotTakenInJsonOrder() throws Exception {
        TestVectors v = TestVectors.SGX_V3;
        CollateralBundle b = CollateralBundle.parse(v.collateralBytes());
        SgxExtensions pck = PckCertificate.fromQuote(Quote.parse(v.quoteBytes())).extensions();
        for (boolean reverse : new boolean[] {true, false}) {
            TcbLevel l = PlatformTcbMatcher.match(TcbInfo.parse(reorder(b.tcbInfo().rawJson(), reverse)), pck, null);
            assertEquals(TcbStatus.ConfigurationAndSWHardeningNeeded, l.status());
        }
    }

    @Test
    void svnsCompareUnsigned() throws Exception {
        TestVectors v = TestVectors.SGX_V3;
        String raw = CollateralBundle.parse(v.collateralBytes()).tcbInfo().rawJson();
        SgxExtensions pck = PckCertificate.fromQuote(Quote.parse(v.quoteBytes())).extensions();
        // Component 5 is 255 in the certificate; a level asking for 200 must be met (signed bytes would say -1 < 200).
        String edited = raw.replace("{\"svn\":255}", "{\"svn\":200}");
        assertTrue(!edited.equals(raw));
        assertEquals(TcbStatus.ConfigurationAndSWHardeningNeeded,
                PlatformTcbMatcher.match(TcbInfo.parse(edited), pck, null).status());
    }

    @Test
    void tdxModuleIdentityDecidesAndConverges() throws Exception {
        TestVectors v = TestVectors.TDX_V4;
        String raw = CollateralBundle.parse(v.collateralBytes()).tcbInfo().rawJson();
        TdReport td = (TdReport) Quote.parse(v.quoteBytes()).body();
        assertEquals(TcbStatus.UpToDate, TdxModuleMatcher.match(TcbInfo.parse(raw), td).orElseThrow().status());

        // TDX_01 level isvsvn 4 → 7: module SVN 6 now only meets the OutOfDate level 2.
        String outdated = raw.replace("{\"isvsvn\":4}", "{\"isvsvn\":7}");
        TcbStatus module = TdxModuleMatcher.match(TcbInfo.parse(outdated), td).orElseThrow().status();
        assertEquals(TcbStatus.OutOfDate, module);
        assertEquals(TcbStatus.OutOfDate, TcbStatusConvergence.converge(TcbStatus.UpToDate, module));

        String noIdentity = raw.replace("\"TDX_01\"", "\"TDX_07\"");
        VerificationException e = assertThrows(VerificationException.class,
                () -> TdxModuleMatcher.match(TcbInfo.parse(noIdentity), td));
        assertEquals(VerificationStep.TDX_MODULE, e.step());
        assertTrue(e.getMessage().contains("TDX_01"));

        String otherSigner = raw.replaceFirst("\"id\":\"TDX_01\",\"mrsigner\":\"0000",
                "\"id\":\"TDX_01\",\"mrsigner\":\"0100");
        assertTrue(!otherSigner.equals(raw));
        assertEquals(VerificationStep.TDX_MODULE, assertThrows(VerificationException.class,
                () -> TdxModuleMatcher.match(TcbInfo.parse(otherSigner), td)).step());
    }

    @Test
    void statusConvergenceFollowsQvl() {
        assertEquals(TcbStatus.OutOfDate,
                TcbStatusConvergence.converge(TcbStatus.SWHardeningNeeded, TcbStatus.OutOfDate));
        assertEquals(TcbStatus.OutOfDateConfigurationNeeded,
                TcbStatusConvergence.converge(TcbStatus.ConfigurationAndSWHardeningNeeded, TcbStatus.OutOfDate));
        assertEquals(TcbStatus.Revoked, TcbStatusConvergence.converge(TcbStatus.UpToDate, TcbStatus.Revoked));
        assertEquals(TcbStatus.ConfigurationNeeded,
                TcbStatusConvergence.converge(TcbStatus.ConfigurationNeeded, TcbStatus.UpToDate));
    }
}
