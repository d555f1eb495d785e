package org.ppml.kms.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * KBS session ids are bearer secrets: after attest, the {@code kbs-session-id} cookie alone fetches
 * resources. The broker keeps and looks up only their SHA-256, so the map and SQL comparisons that
 * find a session run on a digest the caller cannot steer byte by byte, and their timing says
 * nothing about a stored id (the reason admin tokens are stored hashed too).
 */
final class SessionIds {
  private SessionIds() {}

  /** The digest the broker stores and compares for a session cookie value, or null for none. */
  static String digest(String cookieValue) {
    if (cookieValue == null) {
      return null;
    }
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(cookieValue.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
