package org.ppml.occlum.sign;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignToolScriptTest {

  @Test
  void theScriptForwardsOcclumsArgumentsToPpml(@TempDir Path dir) throws Exception {
    Path fakePpml = dir.resolve("ppml");
    Files.writeString(fakePpml, "#!/bin/sh\nprintf '%s|' \"$@\" > \"$(dirname \"$0\")/args\"\n");
    Files.setPosixFilePermissions(fakePpml, PosixFilePermissions.fromString("rwx------"));
    Path script = dir.resolve("ppml-occlum-sign");
    SignToolScript.write(script, fakePpml.toString());
    assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(script)));

    Process p =
        new ProcessBuilder(script.toString(), "sign", "-key", "pub key.pem", "-out", "o").start();
    assertEquals(0, p.waitFor());
    assertEquals(
        "occlum|sign-tool|sign|-key|pub key.pem|-out|o|", Files.readString(dir.resolve("args")));
  }

  @Test
  void refusesLauncherPathsThatWouldBreakTheScript() {
    assertThrows(
        IllegalArgumentException.class,
        () -> SignToolScript.render("/opt/ppml/bin/ppml\"; rm -rf /"));
    assertThrows(IllegalArgumentException.class, () -> SignToolScript.render("$(id)"));
    assertTrue(
        SignToolScript.render("/opt/ppml/bin/ppml")
            .contains("PPML=\"${PPML:-/opt/ppml/bin/ppml}\""));
  }
}
