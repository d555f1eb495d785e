/**
 * The {@code local:<dir>} key store: primary keys in one sealed file, for Stage 1 and for data
 * owners who encrypt before data leaves their hands.
 *
 * <h2>Store file ({@code <dir>/keystore.json})</h2>
 *
 * <pre>
 * {"format":"ppml-keystore","version":1,
 *  "seal":{"type":"scrypt","salt":B64,"n":32768,"r":8,"p":1} | {"type":"keyfile","salt":B64},
 *  "nonce":B64, "payload":B64}
 * </pre>
 *
 * {@code payload} is AES-256-GCM under the sealing key, with the seal description as associated
 * data, of {@code {"storeId":…,"keys":[{"name","enabled","created","versions":[{"version",
 * "material":B64,"created"}]}]}}. The sealing key comes from the passphrase through scrypt, or from
 * a key file through HKDF-SHA256. The file is replaced atomically with mode 0600 on every change,
 * under a lock file so that concurrent commands do not lose each other's keys.
 *
 * <h2>Data-key wrap (docs/format.md)</h2>
 *
 * {@code wrappedKey = nonce[12] ‖ AES-256-GCM(primaryKey, nonce, dataKey, AAD = "name#version") ‖
 * tag[16]}, so any tool holding the primary key bytes can unwrap it.
 */
package org.ppml.crypto.kms.local;
