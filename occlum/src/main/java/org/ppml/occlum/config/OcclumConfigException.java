package org.ppml.occlum.config;

/** An Occlum configuration input or {@code Occlum.json} is invalid; the message names the field. */
public final class OcclumConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what is wrong, naming the field or option
   */
  public OcclumConfigException(String message) {
    super(message);
  }

  /**
   * @param message what is wrong
   * @param cause the parse failure
   */
  public OcclumConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
