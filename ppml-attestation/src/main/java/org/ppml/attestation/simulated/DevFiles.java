package org.ppml.attestation.simulated;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.ppml.crypto.fs.AtomicFile;
import org.ppml.crypto.fs.BoundedFile;

/**
 * Reading and writing the dev home's files: a 0700 directory and 0600 files, written through {@link
 * AtomicFile#writeSecret} so a crash never leaves half a key.
 */
final class DevFiles {
  private static final int MAX_FILE = 1 << 20;
  private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");

  private DevFiles() {}

  static void createPrivateDirectory(Path dir) throws IOException {
    try {
      Files.createDirectories(dir.getParent() == null ? dir : dir.getParent());
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR));
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw e;
      }
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(dir);
    }
    try {
      Files.setPosixFilePermissions(dir, DIR);
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: nothing more we can restrict.
    }
  }

  static byte[] read(Path file) throws IOException {
    return BoundedFile.read(file, MAX_FILE);
  }

  static String pem(Object... objects) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      for (Object o : objects) {
        w.writeObject(o instanceof PrivateKey k ? new JcaPKCS8Generator(k, null) : o);
      }
    }
    return out.toString();
  }

  static void writePem(Path file, Object... objects) throws IOException {
    AtomicFile.writeSecret(file, pem(objects).getBytes(StandardCharsets.US_ASCII));
  }

  static X509CertificateHolder readCertificate(Path file) throws IOException {
    Object o = readPemObject(file);
    if (!(o instanceof X509CertificateHolder c)) {
      throw new IOException(file + " does not hold a certificate");
    }
    return c;
  }

  static PrivateKey readPrivateKey(Path file) throws IOException {
    Object o = readPemObject(file);
    if (!(o instanceof PrivateKeyInfo info)) {
      throw new IOException(file + " does not hold a PKCS#8 private key");
    }
    return new JcaPEMKeyConverter().getPrivateKey(info);
  }

  private static Object readPemObject(Path file) throws IOException {
    try (PEMParser p =
        new PEMParser(new StringReader(new String(read(file), StandardCharsets.US_ASCII)))) {
      Object o = p.readObject();
      if (o == null) {
        throw new IOException(file + " holds no PEM object");
      }
      return o;
    } catch (RuntimeException e) {
      throw new IOException(file + " is not readable PEM");
    }
  }
}
