package org.ppml.occlum.sign;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SgxSignInvocationTest {

  /** Exactly what occlum_build.mk runs. */
  private static final List<String> OCCLUM =
      List.of(
          "sign",
          "-key",
          "/keys/pub.pem",
          "-config",
          "/inst/build/Enclave.xml",
          "-enclave",
          "/inst/build/lib/libocclum-libos.so.0",
          "-out",
          "/inst/build/lib/libocclum-libos.signed.so");

  @Test
  void readsOcclumsSignCall() throws Exception {
    SgxSignInvocation inv = SgxSignInvocation.parse(OCCLUM);
    assertEquals(Path.of("/keys/pub.pem"), inv.key());
    assertEquals(Path.of("/inst/build/Enclave.xml"), inv.config());
    assertEquals(Path.of("/inst/build/lib/libocclum-libos.so.0"), inv.enclave());
    assertEquals(Path.of("/inst/build/lib/libocclum-libos.signed.so"), inv.out());
    assertEquals(List.of(), inv.flags());
    List<String> withFlag = new java.util.ArrayList<>(OCCLUM);
    withFlag.add("-ignore-rel-error");
    assertEquals(List.of("-ignore-rel-error"), SgxSignInvocation.parse(withFlag).flags());
  }

  @Test
  void refusesWhatItDoesNotUnderstand() {
    assertThrows(SignToolException.class, () -> SgxSignInvocation.parse(List.of()));
    assertThrows(
        SignToolException.class,
        () -> SgxSignInvocation.parse(List.of("gendata", "-enclave", "x")));
    assertThrows(
        SignToolException.class, () -> SgxSignInvocation.parse(OCCLUM.subList(0, 7)), "no -out");
    assertThrows(
        SignToolException.class,
        () -> SgxSignInvocation.parse(OCCLUM.subList(0, 8)),
        "-out without value");
    List<String> unknown = new java.util.ArrayList<>(OCCLUM);
    unknown.addAll(List.of("-cssfile", "x"));
    SignToolException e =
        assertThrows(SignToolException.class, () -> SgxSignInvocation.parse(unknown));
    assertTrue(e.getMessage().contains("-cssfile"), e.getMessage());
    List<String> twice = new java.util.ArrayList<>(OCCLUM);
    twice.addAll(List.of("-key", "/other.pem"));
    assertThrows(SignToolException.class, () -> SgxSignInvocation.parse(twice));
  }
}
