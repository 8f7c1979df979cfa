#!/usr/bin/env bash
# Runs the s3d benchmark suite and regenerates docs/benchmarks.md.
#   bench/run.sh           full run (under 15 minutes on 2 cores)
#   bench/run.sh --quick   short run (under 3 minutes)
# Extra flags go to io.s3d.bench.suite.Suite (e.g. --only standalone,gateway).
# The FUSE rows (io.s3d.bench.fuse.FuseBench) run at full size by default: 1 GiB sequential, 1,000 small
# files, 10,000 directory entries; bench/fuse.sh runs them alone with sizes from the environment.
# s3d rows need s3d-service/target/quarkus-app/quarkus-run.jar (./mvnw -pl s3d-service package);
# without it they are skipped with a line in the report.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

if [[ -z "${JAVA_HOME:-}" && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

if [[ ! -f bench/target/s3d-bench.jar || ! -d bench/target/lib || ! -f bench/target/s3proxy/s3proxy.jar \
      || -n "$(find bench/src bench/pom.xml -newer bench/target/s3d-bench.jar -print -quit)" ]]; then
  echo "building bench/ ..."
  ./mvnw -B -q -f bench/pom.xml package -DskipTests
fi

exec "$java" -Xmx1g -Djava.awt.headless=true -cp "bench/target/s3d-bench.jar:bench/target/lib/*" \
  io.s3d.bench.suite.Suite --root "$root" "$@"
