#!/bin/sh
# Two-step signing of a Gramine enclave, for a key that lives in an offline HSM.
#
#   Step 1, on the build machine (no key):
#     sign-two-step.sh gendata spark-executor.manifest.sgx libpal.so data.bin
#   Step 2, where the key is (here with openssl; an HSM tool does the same PKCS#1 v1.5 SHA-256):
#     openssl dgst -sha256 -sign enclave-key.pem -out sig.bin data.bin
#     openssl rsa -in enclave-key.pem -pubout -out enclave-key.pub.pem     # once
#   Step 3, back on the build machine:
#     sign-two-step.sh catsig data.bin sig.bin enclave-key.pub.pem spark-executor.sig
#
# catsig verifies the signature against the public key before it writes anything, and the
# result is byte-identical to signing directly with the key.
set -eu
ppml=${PPML:-ppml}
case "${1:-}" in
gendata)
    manifest=${2:?manifest.sgx}; libpal=${3:?libpal.so}; out=${4:?data.bin}
    # The MRENCLAVE and attributes come from measuring the exact .manifest.sgx and libpal.so.
    "$ppml" enclave gendata --gramine-manifest "$manifest" --libpal "$libpal" --out "$out"
    ;;
catsig)
    data=${2:?data.bin}; sig=${3:?sig.bin}; pub=${4:?public key PEM}; out=${5:?X.sig}
    "$ppml" enclave catsig --data "$data" --signature "$sig" --public-key "$pub" --out "$out"
    "$ppml" enclave show "$out" --json
    ;;
*)
    sed -n '2,16p' "$0"
    exit 2
    ;;
esac
