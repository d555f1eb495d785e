package org.ppml.attestation.simulated;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.ppml.enclave.sgx.MrSigner;

/**
 * The stand-in measurements of simulated SGX: MRENCLAVE over the application jars, and MRSIGNER
 * from the dev enclave key the way SGX computes it from a SIGSTRUCT.
 */
public final class SimulatedMeasurement {
  private SimulatedMeasurement() {}

  /**
   * SHA-256 over the jars sorted by file name; for each jar its file name, a NUL byte, and the
   * SHA-256 of its content. Renaming, adding, removing or changing a jar changes the value.
   */
  public static byte[] mrEnclaveOfJars(List<Path> jars) throws IOException {
    List<Path> sorted = new ArrayList<>(jars);
    sorted.sort(Comparator.comparing(p -> p.getFileName().toString()));
    MessageDigest outer = sha256();
    byte[] buffer = new byte[1 << 16];
    for (Path jar : sorted) {
      MessageDigest inner = sha256();
      try (InputStream in = Files.newInputStream(jar)) {
        int n;
        while ((n = in.read(buffer)) > 0) {
          inner.update(buffer, 0, n);
        }
      }
      outer.update(jar.getFileName().toString().getBytes(StandardCharsets.UTF_8));
      outer.update((byte) 0);
      outer.update(inner.digest());
    }
    return outer.digest();
  }

  /**
   * {@link #mrEnclaveOfJars} over the jars on this JVM's class path ({@code java.class.path}), the
   * default stand-in MRENCLAVE for an application running in simulated mode.
   */
  public static byte[] mrEnclaveOfClassPath() throws IOException {
    List<Path> jars = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (entry.endsWith(".jar") && Files.isRegularFile(Path.of(entry))) {
        jars.add(Path.of(entry));
      }
    }
    return mrEnclaveOfJars(jars);
  }

  /**
   * SHA-256 of the key's modulus as 384 little-endian bytes, as in a SIGSTRUCT: exactly what {@link
   * MrSigner#of(RSAPublicKey)} computes for real enclave keys, so the simulated MRSIGNER is the one
   * SGX would report for an enclave signed with this key.
   *
   * @throws IllegalArgumentException if the modulus is longer than 3072 bits
   */
  public static byte[] mrSignerOf(RSAPublicKey enclaveKey) {
    return MrSigner.of(enclaveKey).value();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
