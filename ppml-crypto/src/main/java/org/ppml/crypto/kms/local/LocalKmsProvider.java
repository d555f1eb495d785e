package org.ppml.crypto.kms.local;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.ppml.crypto.kms.Kms;
import org.ppml.crypto.kms.KmsCredentials;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.KmsProvider;

/** Serves {@code local:<dir>} URIs. */
public final class LocalKmsProvider implements KmsProvider {
  @Override
  public String scheme() {
    return LocalKms.SCHEME;
  }

  @Override
  public Kms open(String uri, KmsCredentials credentials) throws KmsException {
    String path = uri.substring(LocalKms.SCHEME.length() + 1);
    if (path.startsWith("//")) {
      path = path.substring(2);
    }
    if (path.isBlank()) {
      throw new KmsException(
          KmsException.Reason.INVALID_ARGUMENT, "local KMS URI needs a directory: local:DIR");
    }
    try {
      return LocalKms.open(Path.of(path), credentials);
    } catch (InvalidPathException e) {
      throw new KmsException(
          KmsException.Reason.INVALID_ARGUMENT, "bad key store directory in '" + uri + "'");
    }
  }
}
