#!/usr/bin/env bash
# Smoke test with the real AWS CLI v2 against a running s3d: mb, ls, cp up and down, rm, rb.
# Usage: scripts/aws-cli-smoke.sh http://localhost:33333
# Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY as configured for s3d (any pair when s3d runs
# without credentials). Prints PASS/FAIL per step; exits non-zero on the first failure.
set -euo pipefail
endpoint="${1:-${S3D_ENDPOINT:-http://localhost:33333}}"

# Debian's awscli package is v2 at /usr/bin/aws; a pip-installed v1 may shadow it on PATH.
aws_cli="${AWS_CLI:-}"
if [ -z "$aws_cli" ]; then
  for candidate in /usr/bin/aws "$(command -v aws || true)"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" --version 2>&1 | grep -q '^aws-cli/2'; then
      aws_cli="$candidate"; break
    fi
  done
fi
if [ -z "$aws_cli" ]; then
  echo "SKIP: no AWS CLI v2 found (install Debian's awscli package)"; exit 3
fi
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-s3d-smoke}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-s3d-smoke}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}" AWS_PAGER="" AWS_CONFIG_FILE=/dev/null
aws() { "$aws_cli" --endpoint-url "$endpoint" "$@"; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bucket="smoke-$$-$RANDOM"
step() { local name="$1"; shift; if "$@" >"$work/out" 2>&1; then echo "PASS $name"; else echo "FAIL $name"; cat "$work/out"; exit 1; fi; }

head -c 3000000 /dev/urandom > "$work/upload.bin"
head -c 20000000 /dev/urandom > "$work/large.bin"   # above the CLI's 8 MB threshold: multipart
printf 'hello from s3d\n' > "$work/small.txt"

step "mb" aws s3 mb "s3://$bucket"
step "ls buckets" bash -c "\"$aws_cli\" --endpoint-url '$endpoint' s3 ls | grep -q ' $bucket\$'"
step "cp up (small)" aws s3 cp "$work/small.txt" "s3://$bucket/docs/small.txt"
step "cp up (3 MB)" aws s3 cp "$work/upload.bin" "s3://$bucket/data/upload.bin"
step "ls prefix" bash -c "\"$aws_cli\" --endpoint-url '$endpoint' s3 ls 's3://$bucket/' | grep -q 'PRE docs/'"
step "ls recursive" bash -c "\"$aws_cli\" --endpoint-url '$endpoint' s3 ls --recursive 's3://$bucket/' | grep -q 'data/upload.bin'"
step "cp down" aws s3 cp "s3://$bucket/data/upload.bin" "$work/download.bin"
step "bytes match" cmp "$work/upload.bin" "$work/download.bin"
step "cp up (20 MB, multipart)" aws s3 cp "$work/large.bin" "s3://$bucket/data/large.bin"
step "cp down (20 MB)" aws s3 cp "s3://$bucket/data/large.bin" "$work/large.down"
step "large bytes match" cmp "$work/large.bin" "$work/large.down"
step "server-side copy" aws s3 cp "s3://$bucket/data/upload.bin" "s3://$bucket/copies/upload.bin"
step "cp to stdout" bash -c "\"$aws_cli\" --endpoint-url '$endpoint' s3 cp 's3://$bucket/docs/small.txt' - | grep -q 'hello from s3d'"
step "head-object" aws s3api head-object --bucket "$bucket" --key docs/small.txt
step "rm" aws s3 rm "s3://$bucket/docs/small.txt"
step "rm gone" bash -c "! \"$aws_cli\" --endpoint-url '$endpoint' s3api head-object --bucket '$bucket' --key docs/small.txt"
step "rm recursive" aws s3 rm --recursive "s3://$bucket/"
step "rb" aws s3 rb "s3://$bucket"
step "rb gone" bash -c "! \"$aws_cli\" --endpoint-url '$endpoint' s3 ls | grep -q ' $bucket\$'"
echo "aws-cli smoke: all steps passed"
