package org.ppml.kmsclient.ehsm;

import java.io.IOException;

/** eHSM refused a request; {@link #code()} is the body's {@code code} (HTTP status stays 200). */
public final class EhsmException extends IOException {
  private static final long serialVersionUID = 1L;
  private final int code;

  public EhsmException(String action, int code, String message) {
    super("eHSM " + action + " failed with code " + code + ": " + message);
    this.code = code;
  }

  public int code() {
    return code;
  }
}
