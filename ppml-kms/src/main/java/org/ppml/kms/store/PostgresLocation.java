package org.ppml.kms.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * A PostgreSQL database the broker keeps its state in: {@code postgresql://USER@HOST:PORT/DB} or
 * {@code jdbc:postgresql://HOST:PORT/DB?user=USER}, and the password, which comes from the
 * environment or a file and never from the URL (a URL ends up on command lines, in process lists
 * and in logs).
 *
 * @param jdbcUrl the JDBC URL, without credentials
 * @param user the database user
 * @param password the password, or null for none (trust or peer authentication)
 */
public record PostgresLocation(String jdbcUrl, String user, char[] password) {
  /** The environment variable that may hold the database password. */
  public static final String PASSWORD_ENVIRONMENT = "PPML_KMS_DB_PASSWORD";

  private static final int MAX_URL = 2048;

  public PostgresLocation {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(user, "user");
  }

  /** Whether {@code data} names a PostgreSQL database rather than a directory. */
  public static boolean isPostgres(String data) {
    return data != null
        && (data.startsWith("postgresql://")
            || data.startsWith("postgres://")
            || data.startsWith("jdbc:postgresql:"));
  }

  /**
   * Parses {@code url}; {@code password} is the one from the environment or a file.
   *
   * @throws IllegalArgumentException naming what is wrong (never echoing a password)
   */
  public static PostgresLocation parse(String url, char[] password) {
    if (url.length() > MAX_URL) {
      throw new IllegalArgumentException("--data URL is longer than " + MAX_URL + " characters");
    }
    if (url.startsWith("jdbc:postgresql:")) {
      return fromJdbc(url, password);
    }
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--data is not a postgresql:// URL: " + e.getReason());
    }
    String userInfo = u.getRawUserInfo();
    if (userInfo == null || userInfo.isEmpty()) {
      throw new IllegalArgumentException("--data postgresql://USER@HOST:PORT/DB needs a USER");
    }
    if (userInfo.contains(":")) {
      throw new IllegalArgumentException(
          "--data must not carry a password; set "
              + PASSWORD_ENVIRONMENT
              + " or use --db-password-file");
    }
    if (u.getHost() == null) {
      throw new IllegalArgumentException("--data postgresql://USER@HOST:PORT/DB needs a HOST");
    }
    String path = u.getRawPath();
    if (path == null || path.length() < 2 || path.indexOf('/', 1) >= 0) {
      throw new IllegalArgumentException("--data postgresql://USER@HOST:PORT/DB needs one DB");
    }
    String query = u.getRawQuery();
    rejectPasswordParameter(query);
    String host = u.getHost().contains(":") ? "[" + u.getHost() + "]" : u.getHost();
    String jdbc =
        "jdbc:postgresql://"
            + host
            + (u.getPort() > 0 ? ":" + u.getPort() : "")
            + path
            + (query == null ? "" : "?" + query);
    return new PostgresLocation(jdbc, decode(userInfo), password);
  }

  private static PostgresLocation fromJdbc(String url, char[] password) {
    int q = url.indexOf('?');
    String query = q < 0 ? null : url.substring(q + 1);
    rejectPasswordParameter(query);
    String user = null;
    if (query != null) {
      for (String p : query.split("&")) {
        if (p.startsWith("user=")) {
          user = decode(p.substring(5));
        }
      }
    }
    if (user == null || user.isEmpty()) {
      throw new IllegalArgumentException("--data jdbc:postgresql://HOST:PORT/DB needs ?user=USER");
    }
    return new PostgresLocation(url, user, password);
  }

  private static void rejectPasswordParameter(String query) {
    if (query == null) {
      return;
    }
    for (String p : query.split("&")) {
      String name = p.split("=", 2)[0].toLowerCase(Locale.ROOT);
      if (name.equals("password") || name.equals("sslpassword")) {
        throw new IllegalArgumentException(
            "--data must not carry a password; set "
                + PASSWORD_ENVIRONMENT
                + " or use --db-password-file");
      }
    }
  }

  private static String decode(String s) {
    return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The URL and user, never the password. */
  @Override
  public String toString() {
    return "PostgresLocation[" + jdbcUrl + ", user=" + user + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PostgresLocation p
        && p.jdbcUrl.equals(jdbcUrl)
        && p.user.equals(user)
        && Arrays.equals(p.password, password);
  }

  @Override
  public int hashCode() {
    return Objects.hash(jdbcUrl, user);
  }
}
