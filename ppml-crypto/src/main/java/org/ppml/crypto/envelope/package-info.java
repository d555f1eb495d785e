/**
 * The PPML v1 envelope: a fixed 1024-byte header in front of the streaming body.
 *
 * <h2>Header (docs/format.md)</h2>
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
 * JSON fields: {@code suite} ("AES256_GCM_HKDF_SHA256"), {@code segmentSize}, {@code kms}, {@code
 * keyName}, {@code keyVersion}, and {@code wrappedKey} (base64; absent when the KMS keeps the data
 * key as a resource). The header carries no secret.
 *
 * <p>The header is not covered by the body's associated data. It is bound indirectly: the wrap's
 * AAD names key and version, and a changed suite or segment size breaks the first segment. The
 * decoder is strict on everything else (reserved byte, zero padding, duplicate or missing JSON
 * fields), so any single flipped header bit is rejected.
 *
 * <p>Because the header has a fixed size, the plaintext length of a file is a pure function of its
 * length and segment size: {@link org.ppml.crypto.envelope.PpmlFileLayout}.
 */
package org.ppml.crypto.envelope;
