/**
 * The PPML v1 body: a byte-compatible implementation of Tink's {@code AesGcmHkdfStreaming} with
 * HKDF-SHA256, a 32-byte derived key, {@code firstSegmentOffset = 0} and empty associated data.
 *
 * <h2>Format (see docs/format.md)</h2>
 *
 * <pre>
 *   stream header (40 bytes): headerLength=0x28 ‖ salt[32] ‖ noncePrefix[7]
 *   segment 0:  AES-256-GCM(k, prefix ‖ be32(0) ‖ last?1:0, pt[0 .. S-56))   (S-40 bytes with tag)
 *   segment i:  AES-256-GCM(k, prefix ‖ be32(i) ‖ last?1:0, next S-16 bytes) (S bytes with tag)
 *   k = HKDF-SHA256(ikm = data key, salt, info = empty, 32 bytes)
 * </pre>
 *
 * where S is the ciphertext segment size. Only the final segment may be short, and it carries the
 * last-segment flag, which is how truncation at a segment boundary is detected. An empty plaintext
 * is one empty final segment (56 bytes in all).
 *
 * <p>Because every segment but the last has a fixed size, the plaintext length is a pure function
 * of the ciphertext length ({@link org.ppml.crypto.stream.SegmentLayout}), and any plaintext offset
 * maps to exactly one segment, which is what makes the decrypting channel seekable.
 *
 * <p>Only {@link org.ppml.crypto.stream.SegmentCipher} calls {@code Cipher}, always on one segment
 * at a time: one large {@code doFinal} is slow on a cold JDK 17 JIT, and a segment is the unit of
 * authentication anyway.
 */
package org.ppml.crypto.stream;
