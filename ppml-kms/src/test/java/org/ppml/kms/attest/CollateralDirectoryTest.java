package org.ppml.kms.attest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.attestation.collateral.CollateralBundle;
import org.ppml.attestation.dcap.CrlMode;
import org.ppml.attestation.dcap.VerificationException;
import org.ppml.attestation.dcap.VerificationStep;
import org.ppml.attestation.quote.Quote;

/** A directory of real Intel collateral bundles, and real quotes choosing among them. */
class CollateralDirectoryTest {
  private static final Path VECTORS =
      Path.of(System.getProperty("ppml.testdata", "../../shared/testdata"))
          .resolve("dcap/phala-dcap-qvl");

  @TempDir Path dir;

  private static Quote quote(String name) throws Exception {
    return Quote.parse(Files.readAllBytes(VECTORS.resolve(name)));
  }

  private void copy(String bundle, String as) throws IOException {
    Files.copy(VECTORS.resolve(bundle), dir.resolve(as));
  }

  @Test
  void eachQuoteGetsTheBundleForItsTeeFmspcAndPckCa() throws Exception {
    copy("sgx_quote_collateral.json", "sgx.json");
    copy("tdx_quote_collateral.json", "tdx.json");
    Files.writeString(dir.resolve("README.txt"), "not a bundle, and not *.json: ignored");
    CollateralDirectory collateral = CollateralDirectory.load(dir);
    for (String[] c :
        new String[][] {
          {"sgx_quote", "sgx_quote_collateral.json"}, {"tdx_quote", "tdx_quote_collateral.json"}
        }) {
      CollateralBundle got = collateral.collateralFor(quote(c[0]), Instant.now());
      CollateralBundle expected = CollateralBundle.parse(Files.readAllBytes(VECTORS.resolve(c[1])));
      assertEquals(expected.tcbInfo().rawJson(), got.tcbInfo().rawJson(), c[0]);
      assertEquals(Hex.toHexString(expected.pckCrl()), Hex.toHexString(got.pckCrl()), c[0]);
    }
  }

  @Test
  void aPlatformWithoutABundleIsRefusedNamingIt() throws Exception {
    copy("tdx_quote_collateral.json", "tdx.json");
    CollateralDirectory collateral = CollateralDirectory.load(dir);
    VerificationException e =
        assertThrows(
            VerificationException.class,
            () -> collateral.collateralFor(quote("sgx_quote"), Instant.now()));
    assertEquals(VerificationStep.FMSPC_PCEID, e.step());
    assertTrue(e.getMessage().contains("SGX FMSPC"), e.getMessage());
  }

  @Test
  void twoBundlesForOnePlatformAreRefusedNamingBothFiles() throws Exception {
    copy("sgx_quote_collateral.json", "a.json");
    copy("sgx_quote_collateral.json", "b.json");
    IOException e = assertThrows(IOException.class, () -> CollateralDirectory.load(dir));
    assertTrue(
        e.getMessage().contains("a.json") && e.getMessage().contains("b.json"), e.getMessage());
  }

  @Test
  void aBrokenFileOrAnEmptyDirectoryStopsTheLoadNamingIt() throws Exception {
    IOException empty = assertThrows(IOException.class, () -> CollateralDirectory.load(dir));
    assertTrue(empty.getMessage().contains("no collateral bundle"), empty.getMessage());
    copy("sgx_quote_collateral.json", "good.json");
    Files.writeString(dir.resolve("broken.json"), "{\"tcb_info\":");
    IOException broken = assertThrows(IOException.class, () -> CollateralDirectory.load(dir));
    assertTrue(broken.getMessage().contains("broken.json"), broken.getMessage());
  }

  /** The bundle file {@code bundle} with the CRL fields removed, written as {@code as}. */
  private void copyWithoutCrls(String bundle, String as) throws Exception {
    ObjectNode o = CollateralBundle.parse(Files.readAllBytes(VECTORS.resolve(bundle))).toJson();
    CollateralBundle.REVOCATION_FIELDS.forEach(o::remove);
    Files.writeString(dir.resolve(as), o.toString());
  }

  /** Issue 13 §1: a bundle without CRLs stops a strict (or lenient) load, naming file and mode. */
  @Test
  void aBundleWithoutCrlsStopsAStrictLoadNamingTheFileTheFieldsAndTheMode() throws Exception {
    copy("sgx_quote_collateral.json", "sgx.json");
    copyWithoutCrls("tdx_quote_collateral.json", "tdx-archived.json");
    for (CrlMode mode : new CrlMode[] {CrlMode.STRICT, CrlMode.LENIENT}) {
      IOException e = assertThrows(IOException.class, () -> CollateralDirectory.load(dir, mode));
      String m = e.getMessage();
      assertTrue(m.contains("tdx-archived.json"), m);
      assertTrue(m.contains("root_ca_crl, pck_crl, pck_crl_issuer_chain"), m);
      assertTrue(m.contains("CRL mode " + mode.cliName()), m);
    }
    IOException broker = assertThrows(IOException.class, () -> CollateralDirectory.load(dir));
    assertTrue(broker.getMessage().contains("CRL mode strict"), "the broker's load is strict");
  }

  /** With CRL mode off a CRL-less bundle serves its platform whichever CA issued the PCK. */
  @Test
  void withCrlModeOffABundleWithoutCrlsServesItsPlatform() throws Exception {
    copy("sgx_quote_collateral.json", "sgx.json");
    copyWithoutCrls("tdx_quote_collateral.json", "tdx-archived.json");
    CollateralDirectory collateral = CollateralDirectory.load(dir, CrlMode.OFF);
    CollateralBundle tdx = collateral.collateralFor(quote("tdx_quote"), Instant.now());
    assertEquals(CollateralBundle.REVOCATION_FIELDS, tdx.missingRevocationFields());
    assertEquals(
        List.of(),
        collateral.collateralFor(quote("sgx_quote"), Instant.now()).missingRevocationFields());
    // It covers every PCK CA of the platform, so a second bundle for the platform is ambiguous.
    copy("tdx_quote_collateral.json", "tdx.json");
    IOException e =
        assertThrows(IOException.class, () -> CollateralDirectory.load(dir, CrlMode.OFF));
    assertTrue(
        e.getMessage().contains("tdx.json") && e.getMessage().contains("tdx-archived.json"),
        e.getMessage());
  }
}
