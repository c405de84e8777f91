#!/usr/bin/env bash
# Runs the whole benchmark suite of BENCHMARKS.md, both regimes (the fresh-JVM regime of issue 18 first, then the
# steady state); "--smoke" runs every benchmark in seconds at tiny sizes.
# Usage, from the repository root: bash benchmarks/run.sh [--smoke] [--only fresh|steady|NAME,...]
#   bash benchmarks/run.sh --profile [CLIENT COUNT CONCURRENCY WARMUP TOP]: the JFR profile of benchmarks/profile.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--profile" ]; then
  shift
  exec bash benchmarks/profile.sh "$@"
fi
# The cold-start benchmark reads wall time and max RSS from GNU time (Debian package "time").
if [ ! -x /usr/bin/time ]; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y -q time >/dev/null || true; fi
fi
# 10k probes held open need 10k sockets in this JVM and as many in the sink's.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
mvn -B -q -o package -pl benchmarks -am -DskipTests
uptime
java -Xms2g -Xmx2g -Dio.netty.leakDetection.level=disabled -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  dev.smtpprobe.bench.Suite --out benchmarks/target/benchmark-results.md "$@"
uptime
