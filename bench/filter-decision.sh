#!/usr/bin/env bash
# The cost of one filter decision (issue 16): filter-language rules evaluated against an object's facts,
# and an OPA decision (cached, and asked of a local stand-in of OPA's Data API over loopback HTTP).
# Runs io.s3d.filter.DecisionLatency from the service's test classes (it needs the service's filter
# classes and plays OPA like OpaDeciderTest); writes bench/results/filter-decision.md, which
# bench/run.sh includes in docs/benchmarks.md.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
out="$root/bench/results/filter-decision.md"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cd "$root"
./mvnw -q -pl s3d-service test-compile
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
./mvnw -q -pl s3d-service dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file"
"$JAVA_HOME/bin/java" -Xmx512m -cp "s3d-service/target/classes:s3d-service/target/test-classes:$(cat "$cp_file")" \
  io.s3d.filter.DecisionLatency "$out"
