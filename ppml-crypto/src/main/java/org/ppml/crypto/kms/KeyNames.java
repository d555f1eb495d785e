package org.ppml.crypto.kms;

import java.util.regex.Pattern;

/**
 * The one rule for key names, shared by every backend and the key broker so that a name moves
 * between them: 1 to 128 of {@code [A-Za-z0-9._-]}, starting with a letter or digit.
 *
 * <p>The same rule makes a name safe as a KBS resource tag ({@code ppml/keys/NAME}): no {@code /},
 * no leading {@code .}, so never {@code ..}; and the broker applies it to each segment of a
 * resource path.
 */
public final class KeyNames {
  /** The rule, worded for error messages. */
  public static final String RULE =
      "1-128 letters, digits, '.', '_' or '-', starting with a letter or digit";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private KeyNames() {}

  /** Whether {@code name} is a valid key name (false for null). */
  public static boolean isValid(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /**
   * Refuses an invalid name.
   *
   * @throws KmsException {@code INVALID_ARGUMENT}, quoting the name (names are not secret) and the
   *     rule
   */
  public static void check(String name) throws KmsException {
    if (!isValid(name)) {
      throw new KmsException(
          KmsException.Reason.INVALID_ARGUMENT, "invalid key name '" + name + "': use " + RULE);
    }
  }
}
