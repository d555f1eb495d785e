#!/bin/sh
# Occlum sign tool for two-step signing, written by `ppml occlum sign-tool-script`.
#
#   occlum build --sign-tool THIS_SCRIPT --sign-key enclave-public.pem
#
# Occlum calls it as Intel's sgx_sign: sign -key KEY -config Enclave.xml -enclave LIBOS -out SIGNED.
# The key is the PUBLIC enclave key; the private key stays with the offline signer. See docs/occlum.md.
#
# Environment:
#   PPML           the ppml launcher              (default: @PPML@)
#   SGX_SIGN       Intel's sgx_sign               (default: $SGX_SDK/bin/x64/sgx_sign)
#   PPML_SIGN_DIR  request/signature exchange dir (default: ./ppml-signing)
set -eu
PPML="${PPML:-@PPML@}"
exec "$PPML" occlum sign-tool "$@"
