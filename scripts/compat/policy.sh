#!/usr/bin/env bash
# Bucket policy scenarios against a running standalone s3d: the AWS CLI (s3api, v1 or v2) and boto3
# (policy_scenarios.py) store, read, check and delete policies and see AWS's errors.
# Each step prints PASS or FAIL; exits non-zero if any failed, 3 if a client is missing.
# Usage: scripts/compat/policy.sh http://127.0.0.1:33333
set -uo pipefail
endpoint="${1:?endpoint}"
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=cli_kit.sh
. "$here/cli_kit.sh"
# The call fails, and its error names the code and the HTTP status.
fails_with() { local code="$1" status="$2"; shift 2; ! "$@" 2>"$work/err" >/dev/null && grep -q "($code)" "$work/err" \
  && { grep -q "$status" "$work/err" || "$aws_cli" --version 2>&1 | grep -q '^aws-cli/1'; }; }
bucket="cli-policy-$$"
cat > "$work/public.json" <<JSON
{"Version": "2012-10-17", "Statement": [{"Sid": "PublicRead", "Effect": "Allow", "Principal": "*",
  "Action": "s3:GetObject", "Resource": "arn:aws:s3:::$bucket/public/*"}]}
JSON
cat > "$work/private.json" <<JSON
{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*",
  "Resource": ["arn:aws:s3:::$bucket", "arn:aws:s3:::$bucket/*"],
  "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
JSON
echo '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
  "Resource": "arn:aws:s3:::another-bucket/*"}]}' > "$work/other.json"
echo '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
  "Resource": "arn:aws:s3:::'"$bucket"'/*", "Condition": {"StringEquals": {"aws:Referer": "x"}}}]}' > "$work/referer.json"

step "create bucket" aws s3api create-bucket --bucket "$bucket"
step "get-bucket-policy: NoSuchBucketPolicy (404) before any" fails_with NoSuchBucketPolicy 404 aws s3api get-bucket-policy --bucket "$bucket"
step "get-bucket-policy-status: NoSuchBucketPolicy before any" fails_with NoSuchBucketPolicy 404 aws s3api get-bucket-policy-status --bucket "$bucket"
step "put-bucket-policy (public read of public/*)" aws s3api put-bucket-policy --bucket "$bucket" --policy "file://$work/public.json"
step "get-bucket-policy gives the document back byte for byte" bash -c "\"$aws_cli\" --endpoint-url '$endpoint' s3api get-bucket-policy --bucket '$bucket' --output json | \"$python\" -c 'import json, sys; assert json.load(sys.stdin)[\"Policy\"] == open(sys.argv[1]).read()' '$work/public.json'"
step "get-bucket-policy-status: IsPublic true" bash -c "\"$aws_cli\" --endpoint-url '$endpoint' s3api get-bucket-policy-status --bucket '$bucket' --query PolicyStatus.IsPublic --output text | grep -qx True"
step "put-bucket-policy replaces it (deny plain HTTP)" aws s3api put-bucket-policy --bucket "$bucket" --policy "file://$work/private.json" --confirm-remove-self-bucket-access
step "get-bucket-policy-status: IsPublic false" bash -c "\"$aws_cli\" --endpoint-url '$endpoint' s3api get-bucket-policy-status --bucket '$bucket' --query PolicyStatus.IsPublic --output text | grep -qx False"
step "a resource of another bucket: MalformedPolicy (400)" fails_with MalformedPolicy 400 aws s3api put-bucket-policy --bucket "$bucket" --policy "file://$work/other.json"
step "the refusal says why" grep -q "Policy has invalid resource" "$work/err"
step "an unknown condition key: MalformedPolicy (400)" fails_with MalformedPolicy 400 aws s3api put-bucket-policy --bucket "$bucket" --policy "file://$work/referer.json"
step "the refusal names the key" grep -q "invalid condition key: aws:Referer" "$work/err"
step "not JSON: MalformedPolicy" fails_with MalformedPolicy 400 aws s3api put-bucket-policy --bucket "$bucket" --policy "not json"
step "a refused policy leaves the stored one" bash -c "\"$aws_cli\" --endpoint-url '$endpoint' s3api get-bucket-policy --bucket '$bucket' --query Policy --output text | grep -q SecureTransport"
step "delete-bucket-policy" aws s3api delete-bucket-policy --bucket "$bucket"
step "get after delete: NoSuchBucketPolicy" fails_with NoSuchBucketPolicy 404 aws s3api get-bucket-policy --bucket "$bucket"
step "delete-bucket-policy again succeeds" aws s3api delete-bucket-policy --bucket "$bucket"
step "put-bucket-policy on a missing bucket: NoSuchBucket" fails_with NoSuchBucket 404 aws s3api put-bucket-policy --bucket "$bucket-missing" --policy "file://$work/public.json"
step "delete-bucket" aws s3api delete-bucket --bucket "$bucket"

"$python" "$here/policy_scenarios.py" "$endpoint" "boto3-policy-$$" || failures=$((failures + 1))
echo "policy: $failures failure(s)"
[ "$failures" -eq 0 ]
