/**
 * The PPML v1 envelope: a fixed 1024-byte header in front of the streaming body.
 *
 * <h2>Header (DESIGN.md §3)</h2>
 *
 * <pre>
 *   0   "PPML"            4 bytes
 *   4   version = 1       u8
 *   5   reserved = 0      u8
 *   6   jsonLength        u16, big-endian, at most 1016
 *   8   JSON              UTF-8, compact
 *   8+jsonLength .. 1024  zero bytes
 * </pre>
 *
 * JSON members, all required, in this order: {@code suite} ("AES256_GCM_HKDF_SHA256"), {@code
 * segmentSize}, {@code kms}, {@code keyName}, {@code keyVersion}, and {@code wrappedKey} (base64,
 * the data key wrapped under that key version). The header carries no secret.
 *
 * <p>The header is not covered by the body's associated data. It is bound indirectly: the wrap's
 * AAD names key and version, and a changed suite or segment size breaks the first segment. The
 * decoder accepts only the one serialisation the writer produces: it parses the JSON, re-encodes
 * the fields it found and requires all 1024 bytes to be equal (no whitespace, no needless escapes,
 * no duplicate, unknown or reordered members, nothing after the object inside {@code jsonLength},
 * zero padding to the last byte). A difference is an {@link org.ppml.crypto.IntegrityException}
 * naming the offset and the member it falls in. docs/format.md says which edits are then caught
 * where.
 *
 * <p>Because the header has a fixed size, the plaintext length of a file is a pure function of its
 * length and segment size: {@link org.ppml.crypto.envelope.PpmlFileLayout}.
 */
package org.ppml.crypto.envelope;
