#!/usr/bin/env bash
# Signature V2 clients against a running s3d with credentials: s3cmd in V2 mode (signature_v2 and
# --signature-v2) and boto3 with signature_version='s3' (sigv2_scenarios.py: header auth, presigned
# URLs, a V2-signed POST form). Each step prints PASS or FAIL; exits non-zero if any failed, 3 if a
# client is missing.
# Usage: AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... scripts/compat/sigv2.sh http://127.0.0.1:33333
set -uo pipefail
endpoint="${1:?endpoint}"
here="$(cd "$(dirname "$0")" && pwd)"
hostport="${endpoint#http://}"
# shellcheck source=cli_kit.sh
. "$here/cli_kit.sh"
if ! command -v s3cmd >/dev/null; then echo "SKIP: s3cmd is missing"; exit 3; fi
sha() { sha256sum "$1" | cut -d' ' -f1; }
fails_with() { local code="$1"; shift; ! "$@" >"$work/err" 2>&1 && grep -q "$code" "$work/err"; }

write_config() {  # write_config FILE SECRET
  cat > "$1" <<CFG
[default]
access_key = $AWS_ACCESS_KEY_ID
secret_key = $2
host_base = $hostport
host_bucket = $hostport
use_https = False
signature_v2 = True
bucket_location = us-east-1
CFG
}
write_config "$work/s3cfg" "$AWS_SECRET_ACCESS_KEY"
write_config "$work/wrong.cfg" "not-the-secret"
s3cmd() { command s3cmd -c "$work/s3cfg" --signature-v2 "$@"; }

head -c $((17 * 1024 * 1024 + 12345)) /dev/urandom > "$work/big.bin"
printf 'small object\n' > "$work/small.txt"
b="sigv2-s3cmd-$$"
step "s3cmd v2: mb" s3cmd mb "s3://$b"
step "s3cmd v2: ls buckets" bash -c "command s3cmd -c '$work/s3cfg' --signature-v2 ls | grep -q 's3://$b\$'"
step "s3cmd v2: put small" s3cmd put "$work/small.txt" "s3://$b/dir/small.txt"
step "s3cmd v2: put 17 MiB in 5 MiB parts (multipart)" s3cmd put --multipart-chunk-size-mb=5 "$work/big.bin" "s3://$b/big bin"
step "s3cmd v2: ls shows both" bash -c "command s3cmd -c '$work/s3cfg' --signature-v2 ls --recursive s3://$b/ | grep -c 's3://$b/' | grep -qx 2"
step "s3cmd v2: get the multipart object" s3cmd get "s3://$b/big bin" "$work/big.back"
step "s3cmd v2: sha256 matches" test "$(sha "$work/big.bin")" = "$(sha "$work/big.back")"
step "s3cmd v2: get small" bash -c "command s3cmd -c '$work/s3cfg' --signature-v2 get s3://$b/dir/small.txt - | grep -qx 'small object'"
step "s3cmd v2: a wrong secret is SignatureDoesNotMatch" fails_with SignatureDoesNotMatch command s3cmd -c "$work/wrong.cfg" --signature-v2 ls "s3://$b/"
step "s3cmd v2: del" s3cmd del --recursive --force "s3://$b/"
step "s3cmd v2: rb" s3cmd rb "s3://$b"

"$python" "$here/sigv2_scenarios.py" "$endpoint" "sigv2-boto3-$$" || failures=$((failures + 1))
echo "sigv2: $failures failure(s)"
[ "$failures" -eq 0 ]
