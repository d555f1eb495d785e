package org.ppml.crypto.kms;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/** Opens a {@link Kms} from its URI by asking the {@link KmsProvider}s on the class path. */
public final class KmsRegistry {
  private KmsRegistry() {}

  /**
   * Opens the backend for {@code uri}.
   *
   * @throws KmsException with {@code INVALID_ARGUMENT} when no provider serves the scheme
   */
  public static Kms open(String uri, KmsCredentials credentials) throws KmsException {
    String scheme = schemeOf(uri);
    List<String> known = new ArrayList<>();
    for (KmsProvider provider :
        ServiceLoader.load(KmsProvider.class, KmsRegistry.class.getClassLoader())) {
      if (provider.scheme().equals(scheme)) {
        return provider.open(uri, credentials);
      }
      known.add(provider.scheme());
    }
    throw new KmsException(
        KmsException.Reason.INVALID_ARGUMENT,
        "no KMS backend for scheme '"
            + scheme
            + "' in '"
            + uri
            + "' (available: "
            + String.join(", ", known)
            + ")");
  }

  /** The scheme part of a KMS URI, lower-cased. */
  public static String schemeOf(String uri) throws KmsException {
    int colon = uri == null ? -1 : uri.indexOf(':');
    if (colon <= 0) {
      throw new KmsException(
          KmsException.Reason.INVALID_ARGUMENT,
          "not a KMS URI: '" + uri + "' (expected e.g. local:DIR)");
    }
    return uri.substring(0, colon).toLowerCase(Locale.ROOT);
  }
}
