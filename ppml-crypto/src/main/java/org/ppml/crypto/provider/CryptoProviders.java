package org.ppml.crypto.provider;

import java.lang.System.Logger.Level;
import java.security.Provider;
import java.util.Locale;
import java.util.Optional;

/**
 * Selects the AES-GCM provider once per JVM.
 *
 * <p>The choice can be forced with the system property {@code ppml.crypto.provider} or the
 * environment variable {@code PPML_CRYPTO_PROVIDER} ({@code auto}, {@code accp} or {@code jdk});
 * benchmarks use this to measure both. {@code accp} that cannot load is an error rather than a
 * silent fallback, because the caller asked for it explicitly.
 */
public final class CryptoProviders {
  private static final System.Logger LOG = System.getLogger(CryptoProviders.class.getName());
  private static final String ACCP_CLASS =
      "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";

  private static volatile ProviderSelection active;

  private CryptoProviders() {}

  /** The provider all PPML code uses by default; selected and self-tested on first call. */
  public static CryptoProvider active() {
    return selection().provider();
  }

  /** The active provider together with why it was chosen. */
  public static ProviderSelection selection() {
    ProviderSelection s = active;
    if (s == null) {
      synchronized (CryptoProviders.class) {
        s = active;
        if (s == null) {
          s = select(requestedMode());
          active = s;
          LOG.log(Level.DEBUG, "PPML crypto provider: {0} ({1})", s.provider(), s.reason());
        }
      }
    }
    return s;
  }

  /** The JDK's provider (SunJCE), self-tested. */
  public static CryptoProvider jdk() {
    CryptoProvider jdk = new CryptoProvider(CryptoProvider.Kind.JDK, sunJce());
    String failure = AesGcmSelfTest.run(jdk);
    if (failure != null) {
      throw new IllegalStateException("the JDK's AES-GCM failed its self-test: " + failure);
    }
    return jdk;
  }

  /** ACCP if its native library loads here and it passes the self-test. */
  public static Optional<CryptoProvider> accp() {
    return Optional.ofNullable(tryAccp().provider);
  }

  static ProviderSelection select(String mode) {
    switch (mode) {
      case "jdk":
        return new ProviderSelection(jdk(), "forced by configuration");
      case "accp":
        AccpAttempt forced = tryAccp();
        if (forced.provider == null) {
          throw new IllegalStateException("ACCP was requested but is unusable: " + forced.failure);
        }
        return new ProviderSelection(forced.provider, "forced by configuration");
      case "auto":
        return auto(tryAccp());
      default:
        throw new IllegalArgumentException(
            "ppml.crypto.provider must be auto, accp or jdk, not '" + mode + "'");
    }
  }

  /**
   * The {@code auto} choice with {@code candidate} in ACCP's place: it is self-tested exactly as a
   * loaded ACCP would be. A seam for tests, which pass a provider whose AES-GCM is broken.
   */
  static ProviderSelection selectAuto(Provider candidate) {
    return auto(vet(candidate));
  }

  private static ProviderSelection auto(AccpAttempt attempt) {
    if (attempt.provider != null) {
      return new ProviderSelection(attempt.provider, "ACCP loaded and passed the self-test");
    }
    LOG.log(
        Level.INFO, "PPML: using the JDK AES-GCM provider; ACCP unusable: {0}", attempt.failure);
    return new ProviderSelection(jdk(), "fallback: " + attempt.failure);
  }

  private static String requestedMode() {
    String mode = System.getProperty("ppml.crypto.provider");
    if (mode == null || mode.isBlank()) {
      mode = System.getenv("PPML_CRYPTO_PROVIDER");
    }
    return mode == null || mode.isBlank() ? "auto" : mode.trim().toLowerCase(Locale.ROOT);
  }

  private static final class AccpAttempt {
    final CryptoProvider provider;
    final String failure;

    AccpAttempt(CryptoProvider provider, String failure) {
      this.provider = provider;
      this.failure = failure;
    }
  }

  private static AccpAttempt tryAccp() {
    Provider accp;
    try {
      Class<?> c = Class.forName(ACCP_CLASS);
      accp = (Provider) c.getField("INSTANCE").get(null);
      Object loadingError = c.getMethod("getLoadingError").invoke(accp);
      if (loadingError != null) {
        return new AccpAttempt(null, "native library did not load: " + loadingError);
      }
    } catch (ClassNotFoundException e) {
      return new AccpAttempt(null, "ACCP is not on the class path");
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return new AccpAttempt(null, "ACCP failed to initialise: " + e);
    }
    return vet(accp);
  }

  /** Runs the known-answer self-test on a loaded ACCP; a failure is logged as a warning. */
  private static AccpAttempt vet(Provider accp) {
    CryptoProvider candidate = new CryptoProvider(CryptoProvider.Kind.ACCP, accp);
    String failure = AesGcmSelfTest.run(candidate);
    if (failure != null) {
      LOG.log(
          Level.WARNING, "PPML: ACCP failed the AES-GCM self-test ({0}); falling back", failure);
      return new AccpAttempt(null, "self-test failed: " + failure);
    }
    return new AccpAttempt(candidate, null);
  }

  private static Provider sunJce() {
    Provider p = java.security.Security.getProvider("SunJCE");
    if (p == null) {
      throw new IllegalStateException("the JDK's SunJCE provider is not installed");
    }
    return p;
  }
}
