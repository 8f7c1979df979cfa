#!/usr/bin/env bash
# Server-side encryption scenarios against a running standalone s3d started with a key file holding
# the keys 'default' and 'backups': the AWS CLI (s3 cp --sse/--sse-c, s3api) and boto3
# (encryption_scenarios.py). STORE is s3d's data directory: the bytes on disk are checked not to hold
# the plaintext. Each step prints PASS or FAIL; exits non-zero if any failed, 3 if a client is missing.
# Usage: scripts/compat/encryption.sh http://127.0.0.1:33333 /path/to/store
set -uo pipefail
endpoint="${1:?endpoint}"
store="${2:?store directory}"
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=cli_kit.sh
. "$here/cli_kit.sh"
fails_with() { local code="$1"; shift; ! "$@" 2>"$work/err" >/dev/null && grep -q "$code" "$work/err"; }
not_on_disk() { ! grep -rqa "$1" "$store/$2"; }
bucket="cli-sse-$$"
marker="cli-plaintext-marker-$$"
# a 9 MiB file: the CLI uploads it in parts (its threshold is 8 MiB)
"$python" -c "import sys; sys.stdout.write(('$marker ' * 400000)[:9*1024*1024])" > "$work/big"
printf '%s small object\n' "$marker" > "$work/small"
head -c 32 /dev/urandom > "$work/key.bin"
ssec_key="$(base64 -w0 < "$work/key.bin")"
head -c 32 /dev/urandom > "$work/other.bin"

step "create bucket" aws s3api create-bucket --bucket "$bucket"
step "s3 cp --sse AES256 (multipart, 9 MiB)" aws s3 cp "$work/big" "s3://$bucket/s3/big" --sse AES256
step "head-object says AES256" bash -c "\"$aws_cli\" --endpoint-url '$endpoint' s3api head-object --bucket '$bucket' --key s3/big --query ServerSideEncryption --output text | grep -qx AES256"
step "s3 cp back gives the same bytes" bash -c "\"$aws_cli\" --endpoint-url '$endpoint' s3 cp 's3://$bucket/s3/big' '$work/big.back' && cmp '$work/big' '$work/big.back'"
step "range GET across a chunk boundary" bash -c "\"$aws_cli\" --endpoint-url '$endpoint' s3api get-object --bucket '$bucket' --key s3/big --range bytes=65530-131080 '$work/range' >/dev/null && cmp <(tail -c +65531 '$work/big' | head -c 65551) '$work/range'"
step "s3 cp --sse aws:kms --sse-kms-key-id backups" aws s3 cp "$work/small" "s3://$bucket/kms/small" --sse aws:kms --sse-kms-key-id backups
step "head-object names the backups key" bash -c "\"$aws_cli\" --endpoint-url '$endpoint' s3api head-object --bucket '$bucket' --key kms/small --query SSEKMSKeyId --output text | grep -q 'key/backups$'"
step "an unknown KMS key is KMS.NotFoundException" fails_with KMS.NotFoundException aws s3 cp "$work/small" "s3://$bucket/kms/nope" --sse aws:kms --sse-kms-key-id no-such-key
step "s3 cp --sse-c AES256 --sse-c-key" aws s3 cp "$work/small" "s3://$bucket/c/small" --sse-c AES256 --sse-c-key "fileb://$work/key.bin"
step "s3 cp --sse-c of 9 MiB (multipart) is refused with NotImplemented" fails_with NotImplemented aws s3 cp "$work/big" "s3://$bucket/c/big" --sse-c AES256 --sse-c-key "fileb://$work/key.bin"
step "get with the key" bash -c "\"$aws_cli\" --endpoint-url '$endpoint' s3 cp 's3://$bucket/c/small' '$work/c.back' --sse-c AES256 --sse-c-key 'fileb://$work/key.bin' && cmp '$work/small' '$work/c.back'"
step "head-object without the key fails (400)" fails_with 400 aws s3api head-object --bucket "$bucket" --key c/small
step "get-object without the key is InvalidRequest" fails_with InvalidRequest aws s3api get-object --bucket "$bucket" --key c/small "$work/x"
step "get-object with another key is AccessDenied" fails_with AccessDenied aws s3api get-object --bucket "$bucket" --key c/small --sse-customer-algorithm AES256 --sse-customer-key "fileb://$work/other.bin" "$work/x"
step "copy SSE-C -> SSE-S3 with the source key" aws s3api copy-object --bucket "$bucket" --key copied --copy-source "$bucket/c/small" --copy-source-sse-customer-algorithm AES256 --copy-source-sse-customer-key "fileb://$work/key.bin" --server-side-encryption AES256
step "the copy reads without a key" bash -c "\"$aws_cli\" --endpoint-url '$endpoint' s3 cp 's3://$bucket/copied' '$work/copied' && cmp '$work/small' '$work/copied'"
step "the disk holds no plaintext" not_on_disk "$marker" "$bucket"
step "the disk holds no SSE-C key" not_on_disk "$ssec_key" ""
step "put-bucket-encryption aws:kms backups" aws s3api put-bucket-encryption --bucket "$bucket" --server-side-encryption-configuration '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"backups"}}]}'
step "a plain put takes the bucket default" bash -c "\"$aws_cli\" --endpoint-url '$endpoint' s3api put-object --bucket '$bucket' --key default --body '$work/small' --query SSEKMSKeyId --output text | grep -q 'key/backups$'"
step "delete-bucket-encryption" aws s3api delete-bucket-encryption --bucket "$bucket"
step "get-bucket-encryption: ServerSideEncryptionConfigurationNotFoundError" fails_with ServerSideEncryptionConfigurationNotFoundError aws s3api get-bucket-encryption --bucket "$bucket"
step "empty and delete the bucket" aws s3 rb "s3://$bucket" --force

"$python" "$here/encryption_scenarios.py" "$endpoint" "boto3-sse-$$" "$store" || failures=$((failures + 1))
echo "encryption: $failures failure(s)"
[ "$failures" -eq 0 ]
