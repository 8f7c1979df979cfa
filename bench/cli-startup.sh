#!/usr/bin/env bash
# Start-up of the s3d command against the AWS CLI and s3cmd doing the same three things:
#   help text, listing a bucket, downloading a 1 KiB object to standard output.
# Needs hyperfine, aws and s3cmd on the PATH. Writes bench/results/cli-startup.md.
#
#   bench/cli-startup.sh                                  # starts S3Proxy for the run
#   BENCH_ENDPOINT=http://localhost:33333 bench/cli-startup.sh   # a running endpoint (e.g. ./s3d run)
#
# BENCH_ACCESS_KEY / BENCH_SECRET_KEY are the endpoint's credentials (default: the test pair
# S3Proxy is started with). BENCH_RUNS (default 10) and BENCH_WARMUP (default 2) tune hyperfine.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
out="$root/bench/results/cli-startup.md"
runs="${BENCH_RUNS:-10}"
warmup="${BENCH_WARMUP:-2}"
ak="${BENCH_ACCESS_KEY:-test-access-key}"
sk="${BENCH_SECRET_KEY:-test-secret-key}"
bucket="cli-bench"
work="$(mktemp -d)"
proxy_pid=""

cleanup() {
  if [ -n "$proxy_pid" ]; then
    kill "$proxy_pid" 2>/dev/null || true
    wait "$proxy_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

for tool in hyperfine aws s3cmd; do
  command -v "$tool" >/dev/null || { echo "cli-startup: $tool is not installed" >&2; exit 1; }
done
# Compare with the AWS CLI v2 (Debian's awscli at /usr/bin/aws), which users have today; a pip-installed
# v1 may come first on PATH.
aws_cli="$(command -v aws)"
for candidate in /usr/bin/aws "$aws_cli"; do
  if [ -x "$candidate" ] && "$candidate" --version 2>&1 | grep -q '^aws-cli/2'; then aws_cli="$candidate"; break; fi
done

# the s3d command must be built (and its start-up caches trained) before timing it
"$root/s3d" --version >/dev/null

endpoint="${BENCH_ENDPOINT:-}"
if [ -z "$endpoint" ]; then
  jar="$root/s3d-cli/target/s3proxy/s3proxy.jar"
  [ -f "$jar" ] || (cd "$root" && ./mvnw -B -q -pl s3d-cli process-test-resources)
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  endpoint="http://127.0.0.1:$port"
  mkdir -p "$work/data"
  cat > "$work/s3proxy.conf" <<EOF
s3proxy.endpoint=$endpoint
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$ak
s3proxy.credential=$sk
jclouds.provider=filesystem
jclouds.filesystem.basedir=$work/data
EOF
  java_bin="$(awk '{print $1}' "$root/s3d-cli/target/.s3d-jdk")/bin/java"
  "$java_bin" -Xmx256m -jar "$jar" --properties "$work/s3proxy.conf" > "$work/s3proxy.log" 2>&1 &
  proxy_pid=$!
  for _ in $(seq 1 100); do
    curl -s -o /dev/null "$endpoint/" && break
    sleep 0.2
  done
fi

export S3D_ENDPOINT="$endpoint" S3D_ACCESS_KEY_ID="$ak" S3D_SECRET_ACCESS_KEY="$sk"
export AWS_ACCESS_KEY_ID="$ak" AWS_SECRET_ACCESS_KEY="$sk" AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
host="${endpoint#*://}"
cat > "$work/s3cfg" <<EOF
[default]
access_key = $ak
secret_key = $sk
host_base = $host
host_bucket = $host
use_https = $([ "${endpoint%%://*}" = https ] && echo True || echo False)
signature_v2 = False
EOF

"$aws_cli" --endpoint-url "$endpoint" s3api create-bucket --bucket "$bucket" >/dev/null 2>&1 || true
head -c 1024 /dev/urandom > "$work/1k"
"$root/s3d" put "$bucket/1k" "$work/1k" -q
for i in $(seq 1 20); do echo "$i" | "$root/s3d" put "$bucket/obj-$i.txt" -q; done

s3d="$root/s3d"
s3cmd="s3cmd -c $work/s3cfg"
awsc="$aws_cli --endpoint-url $endpoint"

hf() { # name, then the commands
  local name="$1"; shift
  hyperfine -N --warmup "$warmup" --runs "$runs" --export-json "$work/$name.json" "$@" >&2
  # a table with the median too: on a shared, loaded machine one stalled run can drag the mean
  python3 - "$work/$name.json" "$root/" "$work/" "$endpoint" > "$work/$name.md" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
def short(cmd):  # the table shows what a user types
    return cmd.replace("/usr/bin/aws ", "aws ").replace(sys.argv[2], "./").replace("-c " + sys.argv[3] + "s3cfg ", "").replace("--endpoint-url " + sys.argv[4] + " ", "")
best = min(r["median"] for r in results)
print("| Command | Median [ms] | Mean ± σ [ms] | Min [ms] | Max [ms] | User [ms] | Median vs best |")
print("|:---|---:|---:|---:|---:|---:|---:|")
for r in results:
    ms = lambda v: f"{v * 1000:.0f}"
    print(f"| `{short(r['command'])}` | {ms(r['median'])} | {ms(r['mean'])} ± {ms(r['stddev'] or 0)} | {ms(r['min'])} "
          f"| {ms(r['max'])} | {ms(r['user'])} | {r['median'] / best:.2f} |")
PY
}
hf help "$s3d --help" "$awsc s3 ls help" "$s3cmd --help"
hf ls "$s3d ls $bucket" "$awsc s3 ls s3://$bucket" "$s3cmd ls s3://$bucket"
hf get "$s3d get $bucket/1k -q" "$awsc s3 cp s3://$bucket/1k -" "$s3cmd get --no-progress s3://$bucket/1k -"

mkdir -p "$(dirname "$out")"
{
  echo "# CLI start-up: s3d vs aws vs s3cmd"
  echo
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') with \`bench/cli-startup.sh\` (hyperfine, $warmup warm-up runs, $runs runs each)"
  echo "against $( [ -n "$proxy_pid" ] && echo "S3Proxy $(basename "$jar") on localhost" || echo "$endpoint" )."
  echo "Machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end of the run."
  echo "Versions: $("$s3d" --version), JDK $(awk '{print $2}' "$root/s3d-cli/target/.s3d-jdk"); $("$aws_cli" --version 2>&1 | cut -d' ' -f1); s3cmd $(s3cmd --version 2>&1 | awk '{print $NF}')."
  echo
  echo "\`aws s3 ls help\` stands for the AWS CLI's help (\`aws s3 ls --help\` opens a pager)."
  echo "User = mean user CPU time per run, the figure least disturbed by other load on the machine."
  echo "The endpoint (\`--endpoint-url\`, an s3cmd config file) and credentials are passed to each tool; the"
  echo "tables leave them out."
  echo
  echo "## Help text"
  echo
  cat "$work/help.md"
  echo
  echo "## List a bucket of 21 objects"
  echo
  cat "$work/ls.md"
  echo
  echo "## Download a 1 KiB object to standard output"
  echo
  cat "$work/get.md"
} > "$out"
echo "wrote $out" >&2
