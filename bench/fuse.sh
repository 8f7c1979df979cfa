#!/usr/bin/env bash
# The FUSE rows of issue 20 on their own: one s3d started with S3D_FUSE=true, the same workloads on its
# mount, on a local directory of the same disk and through its S3 API. Writes bench/results/fuse.md,
# which docs/benchmarks.md includes (bench/run.sh runs the same at full size and regenerates the page).
# Without /dev/fuse or libfuse 2 the section says "Skipped" and why, and the script exits 0.
#
#   bench/fuse.sh                                   # full sizes: 1 GiB, 1,000 small files, 10,000 entries
#   BENCH_FUSE_SEQ_MIB=64 BENCH_FUSE_SMALL_FILES=200 BENCH_FUSE_RANDOM_READS=1000 \
#   BENCH_FUSE_DIR_STEPS=0,250,500,1000 BENCH_FUSE_PROBES=100 bench/fuse.sh   # a reduced run
#
# Needs s3d-service/target/quarkus-app/quarkus-run.jar (./mvnw -pl s3d-service package) and root
# (or a user allowed to mount FUSE file systems).
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
if [[ -z "${JAVA_HOME:-}" && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if [[ ! -f bench/target/s3d-bench.jar || ! -d bench/target/lib \
      || -n "$(find bench/src bench/pom.xml -newer bench/target/s3d-bench.jar -print -quit)" ]]; then
  echo "building bench/ ..."
  ./mvnw -B -q -f bench/pom.xml package -DskipTests
fi
args=(--root "$root")
[[ -n "${BENCH_FUSE_SEQ_MIB:-}" ]] && args+=(--seq-mib "$BENCH_FUSE_SEQ_MIB")
[[ -n "${BENCH_FUSE_SMALL_FILES:-}" ]] && args+=(--small-files "$BENCH_FUSE_SMALL_FILES")
[[ -n "${BENCH_FUSE_RANDOM_READS:-}" ]] && args+=(--random-reads "$BENCH_FUSE_RANDOM_READS")
[[ -n "${BENCH_FUSE_DIR_STEPS:-}" ]] && args+=(--dir-steps "$BENCH_FUSE_DIR_STEPS")
[[ -n "${BENCH_FUSE_PROBES:-}" ]] && args+=(--probes "$BENCH_FUSE_PROBES")
exec "$java" -Xmx512m -cp "bench/target/s3d-bench.jar:bench/target/lib/*" io.s3d.bench.fuse.FuseBench "${args[@]}" "$@"
