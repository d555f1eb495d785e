#!/bin/sh
# Builds the customer image with the enclave key as a BuildKit secret (never stored in a layer).
#
#   graphene/image/build.sh enclave-key.pem app.jar my-spark-enclave:1.0
#
# Prepare next to the Dockerfile first: spark/ (an unpacked Spark 3.5 distribution),
# ppml-jars/ (jars to run in the enclave, may be empty) and ppml-cli/ (the ppml CLI with bin/ppml).
set -eu
key=${1:?usage: build.sh ENCLAVE_KEY.pem APP.jar IMAGE_TAG}
app=${2:?usage: build.sh ENCLAVE_KEY.pem APP.jar IMAGE_TAG}
tag=${3:?usage: build.sh ENCLAVE_KEY.pem APP.jar IMAGE_TAG}
here=$(cd "$(dirname "$0")" && pwd)

cp "$app" "$here/app.jar"
DOCKER_BUILDKIT=1 docker build \
    --secret id=enclave-key,src="$key" \
    --build-arg APP_JAR=app.jar \
    -t "$tag" "$here"

# Print the identity a key-release policy pins (also in the image as policy.json).
docker run --rm --entrypoint cat "$tag" /opt/ppml/enclave/policy.json
