#!/usr/bin/env bash
# Spark inside Gramine (gramine-direct) against the same work natively, measured in one run
# (issue 16; docs/benchmarks.md, "Spark under gramine-direct"):
#   1. JVM start-up: `java -version` natively and under gramine-direct with a manifest from
#      `ppml gramine manifest` (the same JDK, every JDK file trusted, strict file check); best of 3.
#   2. Encrypted scan: the quickstart's Spark step, whose Q1 over format("ppml") lineitem is timed
#      inside the step (best of 3), with --runtime jvm and --runtime gramine-direct, same data size.
# Usage: benchmarks/gramine-direct.sh [SCALE]    SCALE as for `ppml quickstart` (default: small)
# Needs Gramine at /opt/gramine (../shared/gramine/install.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCALE="${1:-small}"
# shellcheck disable=SC1091
source /opt/gramine/env.sh
G=/opt/gramine/lib/x86_64-linux-gnu/gramine
JDK="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
WORK="$(mktemp -d /var/tmp/ppml-gramine-bench.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

now() { date +%s.%N; }
best_of_3() {  # best_of_3 COMMAND...: the shortest wall time of three runs, in seconds
  local best=""
  for _ in 1 2 3; do
    local t0 t1; t0=$(now); "$@" >/dev/null 2>&1; t1=$(now)
    best=$(awk -v a="$best" -v b="$(awk -v x="$t0" -v y="$t1" 'BEGIN{print y-x}')" \
      'BEGIN{print (a=="" || b<a) ? b : a}')
  done
  echo "$best"
}

echo "== JVM start-up: java -version, native and under gramine-direct ($JDK) =="
mkdir -p "$WORK/jars" "$WORK/app" "$WORK/syslib"
: > "$WORK/app/app.jar"
for lib in libstdc++.so.6 libgcc_s.so.1 libz.so.1; do
  ln -s "$(readlink -f /lib/x86_64-linux-gnu/$lib)" "$WORK/syslib/$lib"
done
"$ROOT/bin/ppml" gramine manifest --jdk-home "$JDK" --spark-jars "$WORK/jars" \
  --app-jar "$WORK/app/app.jar" --trusted-dir "$WORK/syslib" --libos "$G/libsysdb.so" \
  --runtime-dir "$G/runtime/glibc" --heap 1g --cores 2 --tmp tmpfs \
  --jvm-option=-XX:-UsePerfData --jvm-option=-version --main-class Version \
  --out "$WORK/version" --json > "$WORK/manifest.json"
native_start=$(best_of_3 java -Xmx1g -XX:ActiveProcessorCount=2 -XX:-UsePerfData -version)
gramine_start=$(cd "$WORK" && best_of_3 gramine-direct version)
echo "native ${native_start}s, gramine-direct ${gramine_start}s"

echo "== encrypted scan: quickstart --scale $SCALE, Spark step native and under gramine-direct =="
scan() {  # scan RUNTIME: prints encryptedScanSeconds and the step's wall time
  local home="$WORK/$1" t0 t1
  mkdir -p "$home"
  t0=$(now)
  PPML_HOME="$home" "$ROOT/bin/ppml" quickstart --scale "$SCALE" --runtime "$1" --json \
    > "$home/result.json" 2> "$home/stderr"
  t1=$(now)
  local s; s=$(grep -o '"encryptedScanSeconds":[0-9.]*' "$home/result.json" | cut -d: -f2)
  echo "$s $(awk -v x="$t0" -v y="$t1" 'BEGIN{print y-x}')"
}
read -r native_scan native_wall < <(scan jvm)
read -r gramine_scan gramine_wall < <(scan gramine-direct)
echo "native: Q1 ${native_scan}s (quickstart ${native_wall}s); gramine-direct: Q1 ${gramine_scan}s (quickstart ${gramine_wall}s)"

awk -v ns="$native_start" -v gs="$gramine_start" -v nq="$native_scan" -v gq="$gramine_scan" 'BEGIN{
  printf "RESULT jvm_startup_native_s=%.2f jvm_startup_gramine_s=%.2f startup_ratio=%.1f\n", ns, gs, gs/ns
  printf "RESULT encrypted_q1_native_s=%.3f encrypted_q1_gramine_s=%.3f scan_ratio=%.2f\n", nq, gq, gq/nq
}'
