#!/usr/bin/env bash
# Real-client compatibility scenarios against a running s3d: the AWS CLI v2, s3cmd, rclone, curl
# (presigned URLs) and boto3. Each scenario prints PASS or FAIL; the script exits non-zero if any
# failed (or 3 if a client is missing).
# Usage: scripts/compat/run.sh http://127.0.0.1:33333
# Needs AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY matching s3d's credentials, and S3D_BASE_DOMAIN
# as s3d was started with (for the virtual-hosted scenario).
set -uo pipefail
endpoint="${1:?endpoint}"
here="$(cd "$(dirname "$0")" && pwd)"
hostport="${endpoint#http://}"
export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_CONFIG_FILE=/dev/null

aws_cli=""
for candidate in /usr/bin/aws "$(command -v aws || true)"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" --version 2>&1 | grep -q '^aws-cli/2'; then
    aws_cli="$candidate"; break
  fi
done
python=""
# The python3 on PATH first: its boto3 is usually newer than the distribution's (checksum types, CRC64NVME).
for candidate in "$(command -v python3 || true)" /usr/bin/python3; do
  if [ -n "$candidate" ] && "$candidate" -c 'import boto3' 2>/dev/null; then python="$candidate"; break; fi
done
for tool in "$aws_cli" "$(command -v s3cmd || true)" "$(command -v rclone || true)" "$(command -v curl || true)" "$python"; do
  if [ -z "$tool" ]; then
    echo "SKIP: a client is missing (need AWS CLI v2, s3cmd, rclone, curl, python3 with boto3)"; exit 3
  fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
run() {  # run NAME command...: one scenario step
  local name="$1"; shift
  if "$@" >"$work/out" 2>&1; then echo "PASS $name"; else echo "FAIL $name"; sed 's/^/    /' "$work/out" | tail -20; failures=$((failures + 1)); fi
}
aws() { "$aws_cli" --endpoint-url "$endpoint" "$@"; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

cat > "$work/s3cfg" <<CFG
[default]
access_key = $AWS_ACCESS_KEY_ID
secret_key = $AWS_SECRET_ACCESS_KEY
host_base = $hostport
host_bucket = $hostport
use_https = False
signature_v2 = False
bucket_location = us-east-1
CFG
s3cmd() { command s3cmd -c "$work/s3cfg" "$@"; }
export RCLONE_CONFIG_S3D_TYPE=s3 RCLONE_CONFIG_S3D_PROVIDER=Other RCLONE_CONFIG_S3D_ENDPOINT="$endpoint"
export RCLONE_CONFIG_S3D_ACCESS_KEY_ID="$AWS_ACCESS_KEY_ID" RCLONE_CONFIG_S3D_SECRET_ACCESS_KEY="$AWS_SECRET_ACCESS_KEY"
export RCLONE_CONFIG_S3D_REGION=us-east-1 RCLONE_CONFIG_S3D_FORCE_PATH_STYLE=true RCLONE_CONFIG=/dev/null
# rclone's AWS SDK refuses a custom CA bundle (AWS_CA_BUNDLE) on its own transport; s3d is plain http here.
rclone() { env -u AWS_CA_BUNDLE rclone "$@"; }

head -c $((100 * 1024 * 1024)) /dev/urandom > "$work/big.bin"
printf 'small object\n' > "$work/small.txt"
mkdir -p "$work/tree/a/b" "$work/back"
for i in $(seq 1 500); do printf 'file %d\n' "$i" > "$work/tree/$((i % 3 == 0 ? 1 : 0))$i.txt"; done
for i in 1 2 3; do printf 'nested %d\n' "$i" > "$work/tree/a/b/n$i.txt"; done

# ---- AWS CLI v2
b="compat-aws-$$"
run "aws: mb" aws s3 mb "s3://$b"
run "aws: ls buckets" bash -c "\"$aws_cli\" --endpoint-url $endpoint s3 ls | grep -q ' $b\$'"
run "aws: put small" aws s3 cp "$work/small.txt" "s3://$b/dir/small.txt"
run "aws: put 100 MiB (multipart)" aws s3 cp "$work/big.bin" "s3://$b/big.bin"
run "aws: get 100 MiB" aws s3 cp "s3://$b/big.bin" "$work/big.aws"
run "aws: 100 MiB sha256 matches" test "$(sha "$work/big.bin")" = "$(sha "$work/big.aws")"
run "aws: list with prefix and delimiter" bash -c "\"$aws_cli\" --endpoint-url $endpoint s3api list-objects-v2 --bucket $b --delimiter / --query 'CommonPrefixes[].Prefix' --output text | grep -qx 'dir/'"
run "aws: server-side copy" aws s3 cp "s3://$b/dir/small.txt" "s3://$b/copy/small.txt"
run "aws: copy content" bash -c "\"$aws_cli\" --endpoint-url $endpoint s3 cp s3://$b/copy/small.txt - | grep -qx 'small object'"
run "aws: sync 500 files up" aws s3 sync "$work/tree" "s3://$b/sync/"
run "aws: sync listed 503 keys" bash -c "test \$(\"$aws_cli\" --endpoint-url $endpoint s3 ls --recursive s3://$b/sync/ | wc -l) -eq 503"
run "aws: sync 500 files down" aws s3 sync "s3://$b/sync/" "$work/back/"
run "aws: synced trees equal" diff -r "$work/tree" "$work/back"
run "aws: second sync uploads nothing" bash -c "test -z \"\$(\"$aws_cli\" --endpoint-url $endpoint s3 sync $work/tree s3://$b/sync/)\""
run "aws: put-object-tagging" aws s3api put-object-tagging --bucket "$b" --key dir/small.txt --tagging 'TagSet=[{Key=s3d.cache,Value=pin}]'
run "aws: get-object-tagging" bash -c "\"$aws_cli\" --endpoint-url $endpoint s3api get-object-tagging --bucket $b --key dir/small.txt --query 'TagSet[0].Value' --output text | grep -qx pin"
url=$("$aws_cli" --endpoint-url "$endpoint" s3 presign "s3://$b/big.bin" --expires-in 300 2>/dev/null)
run "curl: presigned GET" bash -c "curl -sf '$url' -o '$work/big.curl' && test \"\$(sha256sum < '$work/big.curl' | cut -d' ' -f1)\" = '$(sha "$work/big.bin")'"
run "curl: presigned GET with Range" bash -c "curl -sf -r 1000-1999 '$url' -o '$work/range.curl' && cmp '$work/range.curl' <(tail -c +1001 '$work/big.bin' | head -c 1000)"
run "aws: rm recursive" aws s3 rm --recursive "s3://$b/"
run "aws: rb" aws s3 rb "s3://$b"

# ---- s3cmd
b="compat-s3cmd-$$"
run "s3cmd: mb" s3cmd mb "s3://$b"
run "s3cmd: ls buckets" bash -c "s3cmd -c '$work/s3cfg' ls | grep -q 's3://$b\$'"
run "s3cmd: put small" s3cmd put "$work/small.txt" "s3://$b/dir/small.txt"
run "s3cmd: put 100 MiB (multipart)" s3cmd put "$work/big.bin" "s3://$b/big.bin"
run "s3cmd: get 100 MiB" s3cmd get "s3://$b/big.bin" "$work/big.s3cmd"
run "s3cmd: 100 MiB sha256 matches" test "$(sha "$work/big.bin")" = "$(sha "$work/big.s3cmd")"
run "s3cmd: ls with prefix" bash -c "s3cmd -c '$work/s3cfg' ls s3://$b/ | grep -q 'DIR.*s3://$b/dir/'"
run "s3cmd: server-side copy" s3cmd cp "s3://$b/dir/small.txt" "s3://$b/copy.txt"
run "s3cmd: info" bash -c "s3cmd -c '$work/s3cfg' info s3://$b/copy.txt | grep -q 'File size: *13'"
run "s3cmd: del" s3cmd del --recursive --force "s3://$b/"
run "s3cmd: rb" s3cmd rb "s3://$b"

# ---- rclone
b="compat-rclone-$$"
run "rclone: mkdir" rclone mkdir "s3d:$b"
run "rclone: lsd" bash -c "env -u AWS_CA_BUNDLE rclone lsd s3d: | grep -q ' $b\$'"
run "rclone: copy small" rclone copyto "$work/small.txt" "s3d:$b/dir/small.txt"
run "rclone: copy 100 MiB (multipart)" rclone copyto --s3-upload-cutoff 16M --s3-chunk-size 16M "$work/big.bin" "s3d:$b/big.bin"
run "rclone: cat 100 MiB" bash -c "env -u AWS_CA_BUNDLE rclone cat s3d:$b/big.bin > '$work/big.rclone'"
run "rclone: 100 MiB sha256 matches" test "$(sha "$work/big.bin")" = "$(sha "$work/big.rclone")"
run "rclone: lsf with delimiter" bash -c "env -u AWS_CA_BUNDLE rclone lsf s3d:$b | grep -qx 'dir/'"
run "rclone: server-side copy" rclone copyto "s3d:$b/dir/small.txt" "s3d:$b/copy/small.txt"
run "rclone: sync tree up" rclone sync "$work/tree" "s3d:$b/tree"
run "rclone: check" rclone check "$work/tree" "s3d:$b/tree"
run "rclone: purge" rclone purge "s3d:$b"

# ---- boto3
b="compat-boto3-$$"
run "boto3: create bucket" aws s3 mb "s3://$b"
"$python" "$here/boto3_scenarios.py" "$endpoint" "$b" > "$work/boto3.out" 2>&1
cat "$work/boto3.out"
failures=$((failures + $(grep -c '^FAIL' "$work/boto3.out")))
grep -q '^PASS' "$work/boto3.out" || failures=$((failures + 1))
run "boto3: cleanup" aws s3 rm --recursive "s3://$b/"
run "boto3: rb" aws s3 rb "s3://$b"

echo "compat: $failures failure(s)"
[ "$failures" -eq 0 ]
