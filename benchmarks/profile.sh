#!/usr/bin/env bash
# Allocation and CPU profile of smtp-probe in the fresh regime of issue 18: a fresh JVM, WARMUP probes, then COUNT
# probes under JFR (settings=profile), and the top allocation sites and CPU methods aggregated to the first
# smtp-probe frame (dev.smtpprobe.bench.JfrTop, JDK 17's jdk.jfr.consumer API).
# Usage, from the repository root: bash benchmarks/profile.sh [CLIENT [COUNT [CONCURRENCY [WARMUP [TOP]]]]]
#   CLIENT smtp-probe (default), angus or socket; COUNT 20000; CONCURRENCY 1000 (1: one at a time, as run() is
#   used; smtp-probe still goes through runAsync() in ProbeLoop); WARMUP 500; TOP 20 lines per table.
# Set BUILD=0 to skip the Maven build.
set -euo pipefail
cd "$(dirname "$0")/.."
client="${1:-smtp-probe}"; count="${2:-20000}"; concurrency="${3:-1000}"; warmup="${4:-500}"; top="${5:-20}"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "${BUILD:-1}" != 0 ]; then mvn -B -q -o package -pl benchmarks -am -DskipTests; fi
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
jfr_file="benchmarks/target/profile-${client}.jfr"
# The recording covers the whole fresh JVM (warm-up included), as an application's first probes would be.
java -XX:StartFlightRecording=filename="$jfr_file",settings=profile \
  -Dio.netty.leakDetection.level=disabled -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" \
  dev.smtpprobe.bench.ProbeLoop "$client" "$count" "$concurrency" "$warmup" 1
java -cp "$CP" dev.smtpprobe.bench.JfrTop "$jfr_file" "$top"
echo "Recording: $jfr_file (JDK 21+ also has: jfr view allocation-by-site / hot-methods $jfr_file)"
