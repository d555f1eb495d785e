package org.ppml.attestation.evidence;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.attestation.quote.Quote;
import org.ppml.attestation.quote.TeeType;
import org.ppml.attestation.simulated.DevHome;

/**
 * Selection by name and by {@code auto} over fake roots, with the factories this module installs.
 */
class EvidenceProvidersTest {

  /** A factory that is present when {@code marker} exists under the root. */
  private static EvidenceProviderFactory stub(String name, String marker) {
    return new EvidenceProviderFactory() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public boolean isAvailable(EvidenceContext context) {
        return Files.exists(context.resolve(marker));
      }

      @Override
      public EvidenceProvider create(EvidenceContext context) {
        return new EvidenceProvider() {
          @Override
          public String name() {
            return name;
          }

          @Override
          public Evidence evidence(byte[] reportData) {
            return new Evidence(TeeType.SGX, new byte[0], name);
          }
        };
      }
    };
  }

  @Test
  void installedFactoriesAreTdxAndSimulated() {
    List<String> names =
        EvidenceProviders.installed().stream().map(EvidenceProviderFactory::name).toList();
    assertTrue(names.containsAll(List.of("tdx", "simulated")), names.toString());
  }

  @Test
  void autoFindsTdxUnderAFakeRoot(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("sys/kernel/config/tsm/report"));
    EvidenceContext ctx = new EvidenceContext(root, false, root.resolve("no-dev-home"));
    assertEquals("tdx", EvidenceProviders.select("auto", ctx).name());
    assertEquals("tdx", EvidenceProviders.select("TDX", ctx).name());
  }

  @Test
  void autoOutsideATeeFailsUnlessDevMode(@TempDir Path root) throws Exception {
    EvidenceException e =
        assertThrows(
            EvidenceException.class,
            () ->
                EvidenceProviders.select(
                    "auto", new EvidenceContext(root, false, root.resolve("dev"))));
    assertTrue(e.getMessage().contains("no TEE detected"), e.getMessage());
    assertTrue(e.getMessage().contains("only dev mode"), e.getMessage());

    Path devHome = root.resolve("dev");
    DevHome.init(devHome, Instant.now());
    EvidenceProvider p = EvidenceProviders.select("auto", new EvidenceContext(root, true, devHome));
    assertEquals("simulated", p.name());
    byte[] reportData = new byte[64];
    reportData[63] = 7;
    Evidence e2 = p.evidence(reportData);
    assertArrayEquals(reportData, Quote.parse(e2.quote()).body().reportData());
  }

  @Test
  void simulatedByNameOnlyInDevMode(@TempDir Path root) throws Exception {
    EvidenceException e =
        assertThrows(
            EvidenceException.class,
            () -> EvidenceProviders.select("simulated", new EvidenceContext(root, false, root)));
    assertTrue(e.getMessage().contains("development only"), e.getMessage());
    e =
        assertThrows(
            EvidenceException.class,
            () ->
                EvidenceProviders.select(
                    "simulated", new EvidenceContext(root, true, root.resolve("missing"))));
    assertTrue(e.getMessage().contains("cannot open the dev home"), e.getMessage());
  }

  @Test
  void unknownNamesListWhatExists(@TempDir Path root) {
    EvidenceException e =
        assertThrows(
            EvidenceException.class,
            () -> EvidenceProviders.select("sev", new EvidenceContext(root, true, root)));
    assertTrue(e.getMessage().contains("unknown evidence provider 'sev'"), e.getMessage());
    assertTrue(e.getMessage().contains("tdx"), e.getMessage());
  }

  @Test
  void autoPrefersTheEnclaveInterfacesOverTdx(@TempDir Path root) throws Exception {
    List<EvidenceProviderFactory> factories =
        List.of(stub("tdx", "/tdx"), stub("occlum", "/occlum"), stub("gramine", "/gramine"));
    EvidenceContext ctx = new EvidenceContext(root, false, root);
    Files.createFile(root.resolve("tdx"));
    assertEquals("tdx", EvidenceProviders.select("auto", ctx, factories).name());
    Files.createFile(root.resolve("occlum"));
    assertEquals("occlum", EvidenceProviders.select("auto", ctx, factories).name());
    Files.createFile(root.resolve("gramine"));
    assertEquals("gramine", EvidenceProviders.select(null, ctx, factories).name());
  }

  @Test
  void contextResolvesAbsolutePathsUnderTheRoot(@TempDir Path root) {
    EvidenceContext ctx = new EvidenceContext(root, false, root);
    assertEquals(root.resolve("dev/sgx"), ctx.resolve("/dev/sgx"));
    assertThrows(IllegalArgumentException.class, () -> ctx.resolve("dev/sgx"));
    assertEquals(Path.of("/dev/sgx"), EvidenceContext.system(false, root).resolve("/dev/sgx"));
  }
}
