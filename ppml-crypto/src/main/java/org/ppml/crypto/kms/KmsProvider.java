package org.ppml.crypto.kms;

/** A backend factory, registered in {@code META-INF/services/org.ppml.crypto.kms.KmsProvider}. */
public interface KmsProvider {
  /** The URI scheme this provider serves, e.g. {@code local} or {@code ppml+https}. */
  String scheme();

  /** Opens the backend named by {@code uri}, using {@code credentials} for any secret it needs. */
  Kms open(String uri, KmsCredentials credentials) throws KmsException;
}
