#!/usr/bin/env python3
"""Writes the sealed-format vectors next to this file, with Python's `cryptography` package and
nothing of ours, from the formats as documented (docs/format.md, org.ppml.crypto.kms.local's
package documentation, PpmlKmsClient, MasterKey). The Java tests open them, so a change to how we
seal that changes bytes on disk fails a test. Fixed nonces here only; real sealing draws them.

    python3 make_vectors.py     # cryptography 48.0.0 made the committed files
"""
import base64
import json
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

HERE = Path(__file__).parent


def b64(b):
    return base64.b64encode(b).decode()


def seal(key, nonce, plaintext, aad):
    """nonce ‖ AES-GCM ciphertext ‖ tag."""
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


# A local store sealed by a key file: HKDF-SHA256(ikm = key file, salt, info), AAD = seal description.
key_file = bytes(range(64, 96))
salt = bytes(range(96, 128))
seal_key = HKDF(hashes.SHA256(), 32, salt, b"ppml-keystore key file").derive(key_file)
sales_v1 = bytes(range(200, 232))
sales_v2 = bytes(range(0, 32))
explicit_kf = bytes(range(232, 248))  # a 16-byte explicit key
inner = {
    "storeId": "vectors",
    "keys": [
        {
            "name": "sales",
            "enabled": True,
            "created": "2026-01-01T00:00:00Z",
            "versions": [
                {"version": 1, "material": b64(sales_v1), "created": "2026-01-01T00:00:00Z"},
                {"version": 2, "material": b64(sales_v2), "created": "2026-02-01T00:00:00Z"},
            ],
        },
        {
            "name": "kf",
            "enabled": True,
            "created": "2026-01-01T00:00:00Z",
            "versions": [
                {"version": 1, "material": b64(explicit_kf), "created": "2026-01-01T00:00:00Z"}
            ],
        },
    ],
}
aad = ("ppml-keystore/1|keyfile|" + b64(salt)).encode()
sealed = seal(seal_key, bytes.fromhex("0102030405060708090a0b0c"), json.dumps(inner).encode(), aad)
store = {
    "format": "ppml-keystore",
    "version": 1,
    "seal": {"type": "keyfile", "salt": b64(salt)},
    "nonce": b64(sealed[:12]),
    "payload": b64(sealed[12:]),
}
(HERE / "store").mkdir(exist_ok=True)
(HERE / "store" / "keystore.json").write_text(json.dumps(store, indent=2) + "\n")
(HERE / "keystore.key").write_bytes(key_file)

# A data key wrapped by that store's "sales" v2: AAD "sales#2".
data_key = bytes(range(32, 64))
wrapped = seal(sales_v2, bytes.fromhex("a0a1a2a3a4a5a6a7a8a9aaab"), data_key, b"sales#2")

# A Parquet key wrapped by PpmlKmsClient under master key "sales": sealed by that data key, AAD
# "ppml-pme-v1:sales", the wrapped data key beside it.
parquet_key = bytes(range(160, 176))
pme = seal(data_key, bytes.fromhex("b0b1b2b3b4b5b6b7b8b9babb"), parquet_key, b"ppml-pme-v1:sales")
pme_json = {"v": 1, "keyVersion": 2, "wrappedKey": b64(wrapped), "nonce": b64(pme[:12]),
            "sealed": b64(pme[12:])}

# A value sealed by the key broker's master key for the row of primary key sales v1 (PrimaryKeyStore.context).
master_key = bytes(range(128, 160))
master_sealed = seal(master_key, bytes.fromhex("c0c1c2c3c4c5c6c7c8c9cacb"), sales_v1, b"primary:sales#1")

(HERE / "vectors.json").write_text(json.dumps({
    "dataKey": data_key.hex(),
    "salesV2WrappedDataKey": wrapped.hex(),
    "parquetKey": parquet_key.hex(),
    "parquetWrappedKey": json.dumps(pme_json, separators=(",", ":")),
    "masterKey": b64(master_key),
    "masterContext": "primary:sales#1",
    "masterPlaintext": sales_v1.hex(),
    "masterSealed": master_sealed.hex(),
}, indent=2) + "\n")
