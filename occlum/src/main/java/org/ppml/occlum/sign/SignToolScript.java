package org.ppml.occlum.sign;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The POSIX shell script given to {@code occlum build --sign-tool}. Occlum runs the sign tool as
 * one executable file, so the script only forwards its arguments to {@code ppml occlum sign-tool},
 * where the two-step logic lives and is tested.
 */
public final class SignToolScript {
  private static final String TEMPLATE = "ppml-occlum-sign.sh";

  private SignToolScript() {}

  /**
   * The script text.
   *
   * @param ppml how the script starts ppml (a path or a command on {@code PATH})
   */
  public static String render(String ppml) {
    if (ppml.isBlank()
        || ppml.contains("\"")
        || ppml.contains("$")
        || ppml.contains("`")
        || ppml.contains("\\")
        || ppml.contains("\n")) {
      throw new IllegalArgumentException(
          "the ppml launcher path must not contain quotes, $, `, \\ or newlines");
    }
    try (InputStream in = SignToolScript.class.getResourceAsStream(TEMPLATE)) {
      if (in == null) {
        throw new IllegalStateException(TEMPLATE + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("@PPML@", ppml);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + TEMPLATE, e);
    }
  }

  /** Writes the script to {@code out}, executable (0755), replacing it atomically. */
  public static void write(Path out, String ppml) throws IOException {
    Path dir = out.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, ".ppml-occlum-sign", ".tmp");
    try {
      Files.writeString(tmp, render(ppml), StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
