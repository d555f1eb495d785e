"""Decrypts a PPML v1 file with nothing but the primary key bytes and pyca/cryptography.

Usage: python3 decrypt_ppml.py FILE PRIMARY_KEY_HEX > plaintext

A reference for docs/format.md: it shows every step of the format in a few lines. It handles
files whose header carries a wrappedKey from a local: key store.
"""
import base64, json, struct, sys
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

def unwrap(primary_key: bytes, header: dict) -> bytes:
    w = base64.b64decode(header["wrappedKey"])
    aad = f'{header["keyName"]}#{header["keyVersion"]}'.encode()
    return AESGCM(primary_key).decrypt(w[:12], w[12:], aad)

def decrypt_ppml(path: str, primary_key: bytes) -> bytes:
    data = open(path, "rb").read()
    assert data[:4] == b"PPML" and data[4] == 1
    (json_len,) = struct.unpack(">H", data[6:8])
    header = json.loads(data[8:8 + json_len])
    body, seg = data[1024:], header["segmentSize"]
    salt, prefix = body[1:33], body[33:40]
    key = HKDF(hashes.SHA256(), 32, salt, b"").derive(unwrap(primary_key, header))
    aes, out, i, pos = AESGCM(key), [], 0, 40
    while pos < len(body):
        end = min(len(body), (i + 1) * seg)
        last = end == len(body)
        nonce = prefix + struct.pack(">I", i) + (b"\x01" if last else b"\x00")
        out.append(aes.decrypt(nonce, body[pos:end], b""))
        pos, i = end, i + 1
    return b"".join(out)

if __name__ == "__main__":
    sys.stdout.buffer.write(decrypt_ppml(sys.argv[1], bytes.fromhex(sys.argv[2])))
