package org.ppml.kms.release;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.util.Base64URL;
import java.text.ParseException;

/**
 * JWE protected headers with fixed bytes. The reference KBS client (guest-components v0.14.0,
 * {@code keypair.rs} with kbs-types 0.12.0 {@code ProtectedHeader::generate_aad}) does not use the
 * {@code protected} string it received as the AES-GCM AAD: it parses it and re-serialises it
 * compactly, {@code alg} first, then {@code enc}, then the other members in sorted order ({@code
 * epk}'s as {@code crv, kty, x, y}), and takes the ASCII of the base64url of that. Headers written
 * in exactly that form read the same both ways, so RFC 7516 decrypters and the reference client
 * agree. Nimbus keeps the base64url of a parsed header and uses it as the AAD and on the wire.
 */
final class ProtectedHeaders {
  /** The header of RSA-OAEP-256 releases. */
  static final String RSA_OAEP_256 = "{\"alg\":\"RSA-OAEP-256\",\"enc\":\"A256GCM\"}";

  private ProtectedHeaders() {}

  /** {@code json} as a header whose encoding is exactly the base64url of its UTF-8 bytes. */
  static JWEHeader parse(String json) throws JOSEException {
    try {
      return JWEHeader.parse(Base64URL.encode(json));
    } catch (ParseException e) {
      throw new JOSEException("fixed JWE header does not parse: " + e.getMessage());
    }
  }
}
