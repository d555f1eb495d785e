package org.ppml.graphene.manifest;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.ppml.enclave.sgx.SgxAttributes;
import org.ppml.graphene.TestVectors;

class GramineSgxSettingsTest {

  private static GramineSgxSettings parse(String toml) throws GramineManifestException {
    return GramineSgxSettings.fromManifest(toml.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsTheVector() throws Exception {
    GramineSgxSettings s =
        GramineSgxSettings.fromManifest(
            TestVectors.read("sigstruct/gramine-v1.9-a/a.manifest.sgx"));
    assertEquals(256L << 20, s.enclaveSize());
    assertEquals(4, s.maxThreads());
    assertTrue(s.debug());
    assertTrue(s.useExinfo());
    assertEquals(1, s.isvProdId());
    assertEquals(2, s.isvSvn());
    assertEquals("dcap", s.remoteAttestation());
    GramineEnclaveAttributes a = GramineEnclaveAttributes.from(s);
    assertEquals(new SgxAttributes(0x6, 0x3), a.attributes());
    assertEquals(new SgxAttributes(-1L, 0xfffffffffff9ff1bL), a.attributeMask());
    assertEquals(1, a.miscSelect());
  }

  @Test
  void gramineDefaults() throws Exception {
    GramineSgxSettings s = parse("");
    assertEquals(256L << 20, s.enclaveSize());
    assertEquals(4, s.maxThreads());
    assertFalse(s.debug());
    assertFalse(s.edmmEnable());
    assertEquals(0, s.isvProdId());
    assertEquals("none", s.remoteAttestation());
    assertEquals(1024L << 30, parse("sgx.edmm_enable = true").enclaveSize());
    GramineEnclaveAttributes a = GramineEnclaveAttributes.from(s);
    assertEquals(new SgxAttributes(SgxAttributes.FLAG_MODE64BIT, 3), a.attributes());
    assertEquals(0, a.miscSelect());
  }

  @Test
  void cpuFeatures() throws Exception {
    GramineEnclaveAttributes a =
        GramineEnclaveAttributes.from(
            parse(
                "[sgx.cpu_features]\navx512 = \"required\"\namx = \"disabled\"\npkru = \"required\"\n"));
    assertEquals(0x3 | 0xe4 | 0x200, a.attributes().xfrm());
    assertEquals(0xfffffffffff9ff1bL | 0xe4 | 0x60000, a.attributeMask().xfrm());
    assertThrows(
        GramineManifestException.class,
        () -> GramineEnclaveAttributes.from(parse("[sgx.cpu_features]\nmpx = \"unspecified\"\n")));
    assertThrows(
        GramineManifestException.class,
        () -> GramineEnclaveAttributes.from(parse("[sgx.cpu_features]\navx = \"maybe\"\n")));
    assertThrows(
        GramineManifestException.class,
        () -> parse("[sgx]\nrequire_avx = true\n[sgx.cpu_features]\navx = \"required\"\n"));
    GramineEnclaveAttributes legacy =
        GramineEnclaveAttributes.from(parse("[sgx]\nrequire_avx = true\n"));
    assertEquals(0x7, legacy.attributes().xfrm());
    assertEquals(0xfffffffffff9ff1bL, legacy.attributeMask().xfrm());
  }

  @Test
  void invalidSettingsNameTheKey() {
    assertMessage("sgx.enclave_size", "sgx.enclave_size = \"300M\"");
    assertMessage("sgx.enclave_size", "sgx.enclave_size = \"lots\"");
    assertMessage("sgx.enclave_size", "sgx.enclave_size = 268435456");
    assertMessage("sgx.enclave_size", "sgx.enclave_size = \"99999999999G\"");
    assertMessage("sgx.max_threads", "sgx.max_threads = 0");
    assertMessage("sgx.max_threads", "sgx.max_threads = 100000");
    assertMessage("sgx.max_threads", "sgx.max_threads = \"4\"");
    assertMessage("sgx.isvprodid", "sgx.isvprodid = 65536");
    assertMessage("sgx.isvsvn", "sgx.isvsvn = -1");
    assertMessage("sgx.debug", "sgx.debug = \"yes\"");
    assertMessage("not valid TOML", "sgx.debug = = true");
    assertMessage("not valid TOML", "[sgx\n");
    assertMessage("sgx: must be a table", "sgx = 3");
  }

  @Test
  void hostileManifestsOnlyGiveTypedErrors() throws Exception {
    assertMessage("not valid TOML", "x = " + "[".repeat(100_000));
    assertMessage("not valid TOML", "x = " + "{a=".repeat(100_000));
    byte[] good = TestVectors.read("sigstruct/gramine-v1.9-a/a.manifest.sgx");
    java.util.Random random = new java.util.Random(11);
    for (int i = 0; i < 2000; i++) {
      byte[] b = good.clone();
      for (int k = 0; k < 3; k++) {
        b[random.nextInt(b.length)] = (byte) random.nextInt();
      }
      try {
        GramineEnclaveAttributes.from(GramineSgxSettings.fromManifest(b));
      } catch (GramineManifestException expected) {
        // typed; anything else fails the test
      }
    }
  }

  private static void assertMessage(String part, String toml) {
    GramineManifestException e = assertThrows(GramineManifestException.class, () -> parse(toml));
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }

  @Test
  void sizes() throws Exception {
    assertEquals(256L << 20, GramineSize.parse("k", "256M"));
    assertEquals(16L << 30, GramineSize.parse("k", "16G"));
    assertEquals(0x1000, GramineSize.parse("k", "0x1000"));
    assertEquals(4096, GramineSize.parse("k", "4K"));
    assertEquals("16G", GramineSize.format(16L << 30));
    assertEquals("1536M", GramineSize.format(1536L << 20));
    assertThrows(GramineManifestException.class, () -> GramineSize.parse("k", "-1"));
    assertThrows(GramineManifestException.class, () -> GramineSize.parse("k", "1T"));
  }
}
