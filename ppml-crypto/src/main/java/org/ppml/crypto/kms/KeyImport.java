package org.ppml.crypto.kms;

/**
 * The bring-your-own-key capability of a {@link Kms}: a primary key from existing material. Only
 * backends whose keys may come from outside implement it (the local store). Ask for it with {@link
 * KmsCapability#require}.
 */
public interface KeyImport {
  /**
   * Creates a primary key from existing material, version 1. The caller keeps, and zeroes, its
   * copy.
   */
  PrimaryKeyInfo importKey(String keyName, byte[] material) throws KmsException;
}
