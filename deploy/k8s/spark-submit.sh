#!/usr/bin/env bash
# spark-submit for PPML on Kubernetes (Stage 2): enclave image, pod templates, attested key
# release through the broker, and the Spark settings that keep shuffle, spill and RPC encrypted.
# PpmlPlugin refuses to start in production mode if any of those is missing.
#
# Usage: deploy/k8s/spark-submit.sh --class MAIN [spark-submit options] APP_JAR [args]
# Environment:
#   K8S_MASTER      k8s://https://API-SERVER:6443 (required)
#   PPML_IMAGE      enclave image (default below; must match the pod templates)
#   PPML_KMS_URL    ppml+https://ppml-kms.NAMESPACE.svc:8443 (default below)
#   PPML_KMS_TLS_SHA256  the broker certificate's SHA-256 fingerprint (required)
#   PPML_KEY        primary key name for writes (default: default)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
: "${K8S_MASTER:?set K8S_MASTER to k8s://https://API-SERVER:PORT}"
: "${PPML_KMS_TLS_SHA256:?set PPML_KMS_TLS_SHA256 to the broker certificate fingerprint}"
PPML_IMAGE="${PPML_IMAGE:-ppml/spark-gramine:0.1.0}"
PPML_KMS_URL="${PPML_KMS_URL:-ppml+https://ppml-kms.default.svc:8443}"
PPML_KEY="${PPML_KEY:-default}"

exec spark-submit \
  --master "$K8S_MASTER" \
  --deploy-mode cluster \
  --conf spark.kubernetes.container.image="$PPML_IMAGE" \
  --conf spark.kubernetes.driver.podTemplateFile="$here/driver-pod-template.yaml" \
  --conf spark.kubernetes.executor.podTemplateFile="$here/executor-pod-template.yaml" \
  --conf spark.kubernetes.local.dirs.tmpfs=true \
  --conf spark.plugins=org.ppml.spark.plugin.PpmlPlugin \
  --conf spark.ppml.mode=production \
  --conf spark.ppml.attestation.provider=gramine \
  --conf spark.ppml.kms.url="$PPML_KMS_URL" \
  --conf spark.ppml.kms.tlsSha256="$PPML_KMS_TLS_SHA256" \
  --conf spark.ppml.key="$PPML_KEY" \
  --conf spark.authenticate=true \
  --conf spark.network.crypto.enabled=true \
  --conf spark.io.encryption.enabled=true \
  "$@"
