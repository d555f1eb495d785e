package org.ppml.crypto.provider;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.Objects;
import javax.crypto.Cipher;

/**
 * A JCA provider that passed the AES-GCM self-test, plus what we know about how to drive it fast.
 */
public final class CryptoProvider {
  /** The families of provider we know how to select. */
  public enum Kind {
    /** Amazon Corretto Crypto Provider (AWS-LC). */
    ACCP,
    /** The JDK's own SunJCE. */
    JDK
  }

  private final Kind kind;
  private final Provider provider;

  CryptoProvider(Kind kind, Provider provider) {
    this.kind = Objects.requireNonNull(kind);
    this.provider = Objects.requireNonNull(provider);
  }

  public Kind kind() {
    return kind;
  }

  /** The JCA provider object, for code that needs {@code getInstance(…, provider)}. */
  public Provider jcaProvider() {
    return provider;
  }

  /** A fresh, uninitialised AES/GCM/NoPadding cipher from this provider. */
  public Cipher newAesGcm() throws GeneralSecurityException {
    return Cipher.getInstance("AES/GCM/NoPadding", provider);
  }

  /** Provider name and version, e.g. {@code "AmazonCorrettoCryptoProvider 2.5"}. */
  public String description() {
    return provider.getName() + " " + provider.getVersionStr();
  }

  @Override
  public String toString() {
    return "CryptoProvider[" + kind + ", " + description() + "]";
  }
}
