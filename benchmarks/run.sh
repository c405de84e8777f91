#!/usr/bin/env bash
# Runs the whole benchmark suite of BENCHMARKS.md (under 10 minutes on 2 cores); "--smoke" runs it in seconds.
# Usage, from the repository root: bash benchmarks/run.sh [--smoke]
set -euo pipefail
cd "$(dirname "$0")/.."
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
