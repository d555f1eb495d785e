package org.ppml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ppml quote verify|show} over the real DCAP vectors, at their pinned times. */
class QuoteCommandsTest {
  private static final String DCAP = "dcap/phala-dcap-qvl/";
  private static final String SGX_AT = "2025-07-19T10:01:17Z";
  private static final String SGX_EXPIRES = "2025-07-19T10:01:18Z";
  private static final List<String> CONTRACT_FIELDS =
      List.of(
          "verified",
          "teeType",
          "quoteVersion",
          "tcbStatus",
          "advisoryIds",
          "mrEnclave",
          "mrSigner",
          "isvProdId",
          "isvSvn",
          "debug",
          "reportData",
          "fmspc",
          "mrTd",
          "rtmr0",
          "rtmr1",
          "rtmr2",
          "rtmr3",
          "policy",
          "error");

  @TempDir Path dir;

  private static Cli.Result verifySgx(String... extra) {
    String[] base = {
      "quote",
      "verify",
      TestData.arg(DCAP + "sgx_quote"),
      "--collateral",
      TestData.arg(DCAP + "sgx_quote_collateral.json"),
      "--json"
    };
    String[] all = Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return Cli.run(all);
  }

  @Test
  void sgxV3VerifiesWithTheReadmeValues() {
    Cli.Result r = verifySgx("--at", SGX_AT);
    assertEquals(0, r.exit(), r.err());
    JsonNode j = r.json();
    CONTRACT_FIELDS.forEach(f -> assertTrue(j.has(f), f));
    assertTrue(j.get("verified").asBoolean());
    assertEquals("SGX", j.get("teeType").asText());
    assertEquals(3, j.get("quoteVersion").asInt());
    assertEquals("ConfigurationAndSWHardeningNeeded", j.get("tcbStatus").asText());
    assertEquals("[\"INTEL-SA-00289\",\"INTEL-SA-00615\"]", j.get("advisoryIds").toString());
    assertEquals(
        "33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb",
        j.get("mrEnclave").asText());
    assertEquals(
        "815f42f11cf64430c30bab7816ba596a1da0130c3b028b673133a66cf9a3e0e6",
        j.get("mrSigner").asText());
    assertEquals(0, j.get("isvProdId").asInt());
    assertEquals(0, j.get("isvSvn").asInt());
    assertFalse(j.get("debug").asBoolean());
    assertEquals("00a067110000", j.get("fmspc").asText());
    assertEquals(
        HexFormat.of()
            .formatHex(Arrays.copyOf("Hello, world!".getBytes(StandardCharsets.US_ASCII), 64)),
        j.get("reportData").asText());
    assertTrue(j.get("policy").isNull());
    assertTrue(j.get("error").isNull());
    assertEquals("", r.err(), "nothing on stderr when verified");
  }

  @Test
  void humanOutputShowsTheVerdictAndMeasurements() {
    Cli.Result r =
        Cli.run(
            "quote",
            "verify",
            TestData.arg(DCAP + "sgx_quote"),
            "--collateral",
            TestData.arg(DCAP + "sgx_quote_collateral.json"),
            "--at",
            SGX_AT);
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("verified") && r.out().contains("true"), r.out());
    assertTrue(
        r.out().contains("33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb"),
        r.out());
    assertFalse(r.out().trim().startsWith("{"), "no JSON without --json");
  }

  @Test
  void hexTextQuoteVerifiesLikeBinary() throws IOException {
    Path hex = dir.resolve("sgx_quote.hex");
    Files.writeString(
        hex,
        "0x"
            + HexFormat.of().formatHex(Files.readAllBytes(TestData.file(DCAP + "sgx_quote")))
            + "\n");
    Cli.Result r =
        Cli.run(
            "quote",
            "verify",
            hex.toString(),
            "--collateral",
            TestData.arg(DCAP + "sgx_quote_collateral.json"),
            "--at",
            SGX_AT,
            "--json");
    assertEquals(0, r.exit(), r.err());
    assertEquals(
        "33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb",
        r.json().get("mrEnclave").asText());
  }

  @Test
  void tdxV4VerifiesAndReportsMrTd() {
    Cli.Result r =
        Cli.run(
            "quote",
            "verify",
            TestData.arg(DCAP + "tdx_quote"),
            "--collateral",
            TestData.arg(DCAP + "tdx_quote_collateral.json"),
            "--at",
            "2025-07-19T10:00:34Z",
            "--json");
    assertEquals(0, r.exit(), r.err());
    JsonNode j = r.json();
    assertEquals("TDX", j.get("teeType").asText());
    assertEquals(4, j.get("quoteVersion").asInt());
    assertEquals("UpToDate", j.get("tcbStatus").asText());
    assertEquals(0, j.get("advisoryIds").size());
    assertEquals("b0c06f000000", j.get("fmspc").asText());
    assertEquals(
        "91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe8a3520c942a604a407de03ae6dc5f87f27428b2538873118b7",
        j.get("mrTd").asText());
    assertEquals(96, j.get("rtmr3").asText().length());
  }

  @Test
  void tdxV5WithNoMatchingTcbLevelIsANegativeVerdict() {
    Cli.Result r =
        Cli.run(
            "quote",
            "verify",
            TestData.arg(DCAP + "tdx_quote_outdated"),
            "--collateral",
            TestData.arg(DCAP + "tdx_quote_outdated_collateral.json"),
            "--at",
            "2026-03-20T10:41:14Z",
            "--json");
    r.assertError(1, "tdx_quote_outdated", "no matching TCB level");
    JsonNode j = r.json();
    assertFalse(j.get("verified").asBoolean());
    assertEquals(5, j.get("quoteVersion").asInt());
    assertEquals("TCB_LEVEL", j.get("error").get("code").asText());
  }

  @Test
  void oneSecondAfterTheCollateralExpiresItFails() {
    Cli.Result r = verifySgx("--at", Instant.parse(SGX_EXPIRES).plusSeconds(1).toString());
    r.assertError(1, "expired");
    assertEquals("COLLATERAL_VALIDITY", r.json().get("error").get("code").asText());
  }

  @Test
  void aPolicyCanDenyAVerifiedQuote() throws IOException {
    Path strict =
        Files.writeString(dir.resolve("strict.json"), "{\"allowedTcbStatuses\":[\"UpToDate\"]}");
    Cli.Result denied = verifySgx("--at", SGX_AT, "--policy", strict.toString());
    denied.assertError(1, "denied by policy", "strict.json", "ConfigurationAndSWHardeningNeeded");
    JsonNode j = denied.json();
    assertTrue(j.get("verified").asBoolean(), "verified, yet denied");
    assertFalse(j.get("policy").get("allowed").asBoolean());
    assertEquals(1, j.get("policy").get("violations").size());

    Path lenient =
        Files.writeString(
            dir.resolve("lenient.json"),
            "{\"mrEnclave\":[\"33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb\"],"
                + "\"allowedTcbStatuses\":[\"UpToDate\",\"ConfigurationAndSWHardeningNeeded\"]}");
    Cli.Result allowed = verifySgx("--at", SGX_AT, "--policy", lenient.toString());
    assertEquals(0, allowed.exit(), allowed.err());
    assertTrue(allowed.json().get("policy").get("allowed").asBoolean());
  }

  @Test
  void anExplicitRootInDerIsPinned() {
    Cli.Result r = verifySgx("--at", SGX_AT, "--root", TestData.arg(DCAP + "TrustedRootCA.der"));
    assertEquals(0, r.exit(), r.err());
    assertFalse(
        r.json().get("simulated").asBoolean(),
        "an explicit root without --dev is a production root");
  }

  @Test
  void crlModesAreAcceptedAndReported() {
    Cli.Result off = verifySgx("--at", SGX_AT, "--crl", "off");
    assertEquals(0, off.exit(), off.err());
    assertTrue(
        off.json().get("crlNotes").size() > 0, "skipping revocation is reported: " + off.out());
    assertTrue(off.err().contains("note"), off.err());

    // Five minutes past the TDX vector's PCK CRL nextUpdate (10:00:35), TCB Info and QE Identity
    // still fresh: strict refuses the stale CRL, lenient accepts it and says so.
    String[] tdx = {
      "quote",
      "verify",
      TestData.arg(DCAP + "tdx_quote"),
      "--collateral",
      TestData.arg(DCAP + "tdx_quote_collateral.json"),
      "--at",
      "2025-07-19T10:05:35Z",
      "--json"
    };
    Cli.Result strict = Cli.run(tdx);
    strict.assertError(1, "expired collateral", "PCK CRL");
    assertEquals("COLLATERAL_VALIDITY", strict.json().get("error").get("code").asText());
    String[] lenientArgs = Arrays.copyOf(tdx, tdx.length + 2);
    lenientArgs[tdx.length] = "--crl";
    lenientArgs[tdx.length + 1] = "lenient";
    Cli.Result lenient = Cli.run(lenientArgs);
    assertEquals(0, lenient.exit(), lenient.err());
    assertTrue(lenient.json().get("verified").asBoolean());
    assertEquals(1, lenient.json().get("crlNotes").size(), lenient.out());
    assertTrue(lenient.json().get("crlNotes").get(0).asText().contains("stale"), lenient.out());
    assertTrue(lenient.err().contains("note") && lenient.err().contains("stale"), lenient.err());

    Cli.Result bad = verifySgx("--at", SGX_AT, "--crl", "sloppy");
    bad.assertError(2, "--crl", "strict, lenient or off");
  }

  @Test
  void showParsesWithoutVerifying() {
    Cli.Result sgx = Cli.run("quote", "show", TestData.arg(DCAP + "sgx_quote"), "--json");
    assertEquals(0, sgx.exit(), sgx.err());
    JsonNode j = sgx.json();
    assertFalse(j.get("verified").asBoolean());
    assertEquals(
        "33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb",
        j.get("mrEnclave").asText());
    assertEquals(15, j.get("headerPceSvn").asInt(), "the header's PCESVN, not the certificate's");
    assertEquals(5, j.get("certificationDataType").asInt());

    Cli.Result td = Cli.run("quote", "show", TestData.arg(DCAP + "tdx_quote_outdated"), "--json");
    assertEquals(0, td.exit(), td.err());
    assertTrue(td.json().has("mrServiceTd"), "TD 1.5 body fields");
  }

  /**
   * Issue 13 §4: bytes outside the signed parts are a parse error (exit 2, QUOTE_FORMAT with the
   * offset), never a verdict, for every quote version. Offsets follow Intel's layout: the quote
   * ends with its certification data, whose last two bytes are the PEM's final \n and one NUL.
   */
  @Test
  void bytesOutsideTheSignedPartsAreParseErrorsNamingTheOffset() throws IOException {
    record Vector(String quote, String collateral, String at, int end, int certSizeAt) {}
    List<Vector> vectors =
        List.of(
            // v3: header 48, report 384, sigLen 4, sig+key 128, QE report 384 + sig 64, auth 2+32
            new Vector(
                "sgx_quote",
                "sgx_quote_collateral.json",
                SGX_AT,
                4600,
                48 + 384 + 4 + 128 + 448 + 34 + 2),
            // v4: TD report 584, then a type-6 header (6) before the QE report; 70 zero bytes of
            // TD quote library padding follow the quote in the file
            new Vector(
                "tdx_quote",
                "tdx_quote_collateral.json",
                "2025-07-19T10:00:34Z",
                4936,
                48 + 584 + 4 + 128 + 6 + 448 + 34 + 2),
            // v5: a 6-byte body descriptor and a TD 1.5 report (648)
            new Vector(
                "tdx_quote_outdated",
                "tdx_quote_outdated_collateral.json",
                "2026-03-20T10:41:14Z",
                5006,
                48 + 6 + 648 + 4 + 128 + 6 + 448 + 34 + 2));
    for (Vector v : vectors) {
      byte[] real = Files.readAllBytes(TestData.file(DCAP + v.quote()));
      byte[] exact = Arrays.copyOf(real, v.end());
      List<byte[]> cases = new java.util.ArrayList<>();
      List<Integer> offsets = new java.util.ArrayList<>();
      cases.add(concat(real, new byte[] {'A'}));
      offsets.add(v.end());
      cases.add(concat(real, new byte[100]));
      offsets.add(v.end());
      cases.add(concat(real, real));
      offsets.add(v.end());
      byte[] shorter = exact.clone();
      shorter[v.certSizeAt()]--; // the low byte of the u32 size; the PEM then ends in \n
      cases.add(shorter);
      offsets.add(v.end() - 2);
      for (int nul : new int[] {0x01, '\n'}) {
        byte[] b = exact.clone();
        b[v.end() - 1] = (byte) nul;
        cases.add(b);
        offsets.add(v.end() - 1);
      }
      byte[] vt = exact.clone();
      vt[v.end() - 2] = 0x0b;
      cases.add(vt);
      offsets.add(v.end() - 2);
      for (int i = 0; i < cases.size(); i++) {
        Path file = Files.write(dir.resolve(v.quote() + "-" + i), cases.get(i));
        Cli.Result r =
            Cli.run(
                "quote",
                "verify",
                file.toString(),
                "--collateral",
                TestData.arg(DCAP + v.collateral()),
                "--at",
                v.at(),
                "--json");
        r.assertError(
            2, file.getFileName().toString(), "at offset " + offsets.get(i), "QUOTE_FORMAT");
        assertFalse(r.json().get("verified").asBoolean());
        Cli.Result show = Cli.run("quote", "show", file.toString(), "--json");
        show.assertError(2, "malformed quote", "at offset " + offsets.get(i));
        assertEquals("QUOTE_FORMAT", show.json().get("error").get("code").asText());
      }
      // The quote without the file's padding is the same quote, with the same verdict.
      Path trimmed = Files.write(dir.resolve(v.quote() + "-exact"), exact);
      Cli.Result r =
          Cli.run(
              "quote",
              "verify",
              trimmed.toString(),
              "--collateral",
              TestData.arg(DCAP + v.collateral()),
              "--at",
              v.at(),
              "--json");
      assertEquals(v.quote().equals("tdx_quote_outdated") ? 1 : 0, r.exit(), r.err());
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  /**
   * Issue 13 §1: a bundle without root_ca_crl, pck_crl and pck_crl_issuer_chain. With --crl off
   * each vector gets the verdict it gets with CRLs (the outdated TDX platform stays exit 1); with
   * strict (the default) or lenient the bundle is unusable: exit 2 naming the fields and the mode.
   */
  @Test
  void bundlesWithoutCrlsVerifyUnderCrlOffAndAreNamedErrorsOtherwise() throws IOException {
    record Vector(String quote, String collateral, String at, int exit) {}
    List<Vector> vectors =
        List.of(
            new Vector("sgx_quote", "sgx_quote_collateral.json", SGX_AT, 0),
            new Vector("tdx_quote", "tdx_quote_collateral.json", "2025-07-19T10:00:34Z", 0),
            new Vector(
                "tdx_quote_outdated",
                "tdx_quote_outdated_collateral.json",
                "2026-03-20T10:41:14Z",
                1));
    com.fasterxml.jackson.databind.ObjectMapper mapper =
        new com.fasterxml.jackson.databind.ObjectMapper();
    for (Vector v : vectors) {
      com.fasterxml.jackson.databind.node.ObjectNode bundle =
          (com.fasterxml.jackson.databind.node.ObjectNode)
              mapper.readTree(Files.readAllBytes(TestData.file(DCAP + v.collateral())));
      for (String f : List.of("root_ca_crl", "pck_crl", "pck_crl_issuer_chain")) {
        assertTrue(bundle.has(f), f);
        bundle.remove(f);
      }
      Path crlLess =
          Files.writeString(dir.resolve("archived-" + v.collateral()), bundle.toString());
      String[] base = {
        "quote", "verify", TestData.arg(DCAP + v.quote()), "--at", v.at(), "--json", "--collateral"
      };
      Cli.Result withCrls =
          Cli.run(concat(base, TestData.arg(DCAP + v.collateral()), "--crl", "off"));
      Cli.Result off = Cli.run(concat(base, crlLess.toString(), "--crl", "off"));
      assertEquals(v.exit(), off.exit(), v.quote() + ": " + off.err());
      assertEquals(withCrls.exit(), off.exit());
      assertEquals(withCrls.json(), off.json(), v.quote() + ": the same report as with CRLs");
      assertEquals(v.exit() == 0, off.json().get("verified").asBoolean());
      assertTrue(
          off.json().get("crlNotes").toString().contains("revocation was not checked"), off.out());
      Cli.Result strictWithCrls = Cli.run(concat(base, TestData.arg(DCAP + v.collateral())));
      assertEquals(strictWithCrls.exit(), off.exit(), "the verdict strict gives with CRLs");
      for (String[] mode : new String[][] {{}, {"--crl", "strict"}, {"--crl", "lenient"}}) {
        String name = mode.length == 0 ? "strict" : mode[1];
        Cli.Result r = Cli.run(concat(concat(base, crlLess.toString()), mode));
        r.assertError(
            2,
            crlLess.getFileName().toString(),
            "root_ca_crl, pck_crl, pck_crl_issuer_chain",
            "CRL mode " + name,
            "COLLATERAL_FORMAT");
        assertFalse(r.json().get("verified").asBoolean());
      }
    }
  }

  private static String[] concat(String[] a, String... b) {
    String[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  @Test
  void aTruncatedQuoteIsAnInputErrorOnOneLine() throws IOException {
    byte[] quote = Files.readAllBytes(TestData.file(DCAP + "sgx_quote"));
    Path truncated = Files.write(dir.resolve("truncated.quote"), Arrays.copyOf(quote, 700));

    Cli.Result verify =
        Cli.run(
            "quote",
            "verify",
            truncated.toString(),
            "--collateral",
            TestData.arg(DCAP + "sgx_quote_collateral.json"),
            "--at",
            SGX_AT,
            "--json");
    verify.assertError(2, "truncated.quote", "cannot verify");
    assertEquals("QUOTE_FORMAT", verify.json().get("error").get("code").asText());

    Cli.Result show = Cli.run("quote", "show", truncated.toString(), "--json");
    show.assertError(2, "truncated.quote");
    assertEquals("QUOTE_FORMAT", show.json().get("error").get("code").asText());

    Cli.Result verbose = Cli.run("quote", "show", truncated.toString(), "--verbose");
    assertTrue(verbose.err().contains("\tat org.ppml"), "--verbose adds the stack trace");
  }

  @Test
  void unreadableInputsExitWith2AndNameTheFile() throws IOException {
    Path garbage = Files.writeString(dir.resolve("garbage.json"), "{\"tcb_info\": 5");
    Cli.Result collateral =
        Cli.run(
            "quote",
            "verify",
            TestData.arg(DCAP + "sgx_quote"),
            "--collateral",
            garbage.toString(),
            "--at",
            SGX_AT);
    collateral.assertError(2, "garbage.json");

    Path badPolicy = Files.writeString(dir.resolve("policy.json"), "{\"mrEnclaves\":[]}");
    verifySgx("--at", SGX_AT, "--policy", badPolicy.toString())
        .assertError(2, "policy.json", "unknown field");

    verifySgx("--at", "yesterday").assertError(2, "--at", "RFC 3339");
    verifySgx("--at", SGX_AT, "--root", garbage.toString())
        .assertError(2, "garbage.json", "not an X.509 certificate");
    Cli.run(
            "quote",
            "verify",
            dir.resolve("missing.quote").toString(),
            "--collateral",
            garbage.toString())
        .assertError(2, "no such file", "missing.quote");
    Cli.run("quote", "verify", TestData.arg(DCAP + "sgx_quote")).assertError(2, "--collateral");
    verifySgx("--at", SGX_AT, "--dev-home", dir.toString())
        .assertError(2, "--dev-home only applies with --dev");
  }
}
