#!/usr/bin/env bash
# Lifecycle scenarios against a running standalone s3d whose lifecycle job runs often
# (S3D_LIFECYCLE_INTERVAL=1s): the AWS CLI (s3api, v1 or v2) and boto3 (lifecycle_scenarios.py).
# Each step prints PASS or FAIL; exits non-zero if any failed, 3 if a client is missing.
# Usage: scripts/compat/lifecycle.sh http://127.0.0.1:33333
set -uo pipefail
endpoint="${1:?endpoint}"
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=cli_kit.sh
. "$here/cli_kit.sh"
fails_with() { local code="$1"; shift; ! "$@" 2>"$work/err" >/dev/null && grep -q "$code" "$work/err"; }
gone() { for _ in $(seq 1 60); do if ! aws s3api head-object --bucket "$1" --key "$2" >/dev/null 2>&1; then return 0; fi; sleep 0.5; done; return 1; }
bucket="cli-lifecycle-$$"
yesterday=$(date -u -d yesterday +%Y-%m-%dT00:00:00Z)
printf 'x' > "$work/x"
cat > "$work/rules.json" <<JSON
{"Rules": [
  {"ID": "expire-tmp", "Filter": {"Prefix": "tmp/"}, "Status": "Enabled", "Expiration": {"Date": "$yesterday"}},
  {"ID": "logs-30-days", "Filter": {"Prefix": "logs/"}, "Status": "Enabled", "Expiration": {"Days": 30},
   "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7}}
]}
JSON
echo '{"Rules": [{"ID": "zero", "Filter": {}, "Status": "Enabled", "Expiration": {"Days": 0}}]}' > "$work/zero.json"

step "create bucket" aws s3api create-bucket --bucket "$bucket"
step "get-bucket-lifecycle-configuration: NoSuchLifecycleConfiguration before any" fails_with NoSuchLifecycleConfiguration aws s3api get-bucket-lifecycle-configuration --bucket "$bucket"
step "put-bucket-lifecycle-configuration" aws s3api put-bucket-lifecycle-configuration --bucket "$bucket" --lifecycle-configuration "file://$work/rules.json"
step "get-bucket-lifecycle-configuration gives the rules back" bash -c "\"$aws_cli\" --endpoint-url '$endpoint' s3api get-bucket-lifecycle-configuration --bucket '$bucket' --query 'Rules[*].ID' --output text | grep -qx 'expire-tmp.logs-30-days'"
step "Days 0 is InvalidArgument" fails_with InvalidArgument aws s3api put-bucket-lifecycle-configuration --bucket "$bucket" --lifecycle-configuration "file://$work/zero.json"
step "head-object of a logs/ object shows its Expiration" bash -c "\"$aws_cli\" --endpoint-url '$endpoint' s3api put-object --bucket '$bucket' --key logs/a --body '$work/x' --query Expiration --output text | grep -q 'rule-id=\"logs-30-days\"' && \"$aws_cli\" --endpoint-url '$endpoint' s3api head-object --bucket '$bucket' --key logs/a --query Expiration --output text | grep -q 'rule-id=\"logs-30-days\"'"
step "put a tmp/ object" aws s3api put-object --bucket "$bucket" --key tmp/a --body "$work/x"
step "the job expires the tmp/ object (Date rule in the past)" gone "$bucket" tmp/a
step "and leaves the logs/ object" aws s3api head-object --bucket "$bucket" --key logs/a
step "delete-bucket-lifecycle" aws s3api delete-bucket-lifecycle --bucket "$bucket"
step "get after delete: NoSuchLifecycleConfiguration" fails_with NoSuchLifecycleConfiguration aws s3api get-bucket-lifecycle-configuration --bucket "$bucket"
aws s3api delete-object --bucket "$bucket" --key logs/a >/dev/null
step "delete-bucket" aws s3api delete-bucket --bucket "$bucket"

"$python" "$here/lifecycle_scenarios.py" "$endpoint" "boto3-lifecycle-$$" || failures=$((failures + 1))
echo "lifecycle: $failures failure(s)"
[ "$failures" -eq 0 ]
