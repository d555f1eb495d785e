package org.ppml.kmsclient.broker;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How a client trusts the broker's TLS certificate: by pinning the SHA-256 of its DER encoding
 * (what {@code ppml kms serve} prints), or through a CA bundle with normal host name checks.
 */
public final class BrokerTls {
  private BrokerTls() {}

  /**
   * A TLS 1.3/1.2 context that accepts exactly the server certificate whose SHA-256 is {@code
   * sha256Hex}. The pin replaces CA and host name checks: it names the one certificate.
   */
  public static SSLContext pinned(String sha256Hex) throws GeneralSecurityException {
    byte[] pin = parsePin(sha256Hex);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {new PinnedTrustManager(pin)}, new SecureRandom());
    return ctx;
  }

  /**
   * A context trusting the CA certificates in the PEM file {@code caBundle}, with host name checks.
   */
  public static SSLContext trustingCa(Path caBundle) throws GeneralSecurityException, IOException {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    try (InputStream in = Files.newInputStream(caBundle)) {
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        ks.setCertificateEntry("ca" + i++, c);
      }
      if (i == 0) {
        throw new GeneralSecurityException(caBundle + " holds no certificates");
      }
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
    return ctx;
  }

  static byte[] parsePin(String sha256Hex) {
    String s = sha256Hex == null ? "" : sha256Hex.replace(":", "").trim().toLowerCase(Locale.ROOT);
    if (s.length() != 64 || !s.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw new IllegalArgumentException(
          "a TLS pin is 32 bytes of hex (SHA-256 of the certificate)");
    }
    return HexFormat.of().parseHex(s);
  }

  /** Accepts only the pinned leaf certificate, compared in constant time. */
  private static final class PinnedTrustManager extends X509ExtendedTrustManager {
    private final byte[] pin;

    PinnedTrustManager(byte[] pin) {
      this.pin = pin;
    }

    private void check(X509Certificate[] chain) throws CertificateException {
      if (chain == null || chain.length == 0) {
        throw new CertificateException("the broker sent no certificate");
      }
      byte[] actual;
      try {
        actual = MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded());
      } catch (GeneralSecurityException e) {
        throw new CertificateException("cannot fingerprint the broker certificate", e);
      }
      if (!MessageDigest.isEqual(pin, actual)) {
        throw new CertificateException(
            "the broker certificate SHA-256 "
                + HexFormat.of().formatHex(actual)
                + " is not the pinned "
                + HexFormat.of().formatHex(pin));
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("client side only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
