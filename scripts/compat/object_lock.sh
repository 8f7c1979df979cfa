#!/usr/bin/env bash
# Object Lock scenarios against a running standalone s3d: the AWS CLI (s3api) and boto3
# (object_lock_scenarios.py). Each step prints PASS or FAIL; exits non-zero if any failed, 3 if a
# client is missing.
# Usage: scripts/compat/object_lock.sh http://127.0.0.1:33333
set -uo pipefail
endpoint="${1:?endpoint}"
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=cli_kit.sh
. "$here/cli_kit.sh"
refused() { local code="$1"; shift; ! "$@" >"$work/err" 2>&1 && grep -q "($code)" "$work/err"; }
bucket="cli-lock-$$"
printf 'one' > "$work/one"
until=$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)
earlier=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)

step "create-bucket --object-lock-enabled-for-bucket" aws s3api create-bucket --bucket "$bucket" --object-lock-enabled-for-bucket
step "get-object-lock-configuration says Enabled" bash -c "\"$aws_cli\" --endpoint-url '$endpoint' s3api get-object-lock-configuration --bucket '$bucket' --query ObjectLockConfiguration.ObjectLockEnabled --output text | grep -qx Enabled"
step "put-object-lock-configuration with a default retention" aws s3api put-object-lock-configuration --bucket "$bucket" --object-lock-configuration '{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Mode":"GOVERNANCE","Days":1}}}'
v1=$(aws s3api put-object --bucket "$bucket" --key k --body "$work/one" --query VersionId --output text)
step "head-object shows the default retention" bash -c "\"$aws_cli\" --endpoint-url '$endpoint' s3api head-object --bucket '$bucket' --key k --query ObjectLockMode --output text | grep -qx GOVERNANCE"
step "delete-object --version-id is refused" refused AccessDenied aws s3api delete-object --bucket "$bucket" --key k --version-id "$v1"
step "put-object-retention COMPLIANCE" aws s3api put-object-retention --bucket "$bucket" --key k --version-id "$v1" --bypass-governance-retention --retention "{\"Mode\":\"COMPLIANCE\",\"RetainUntilDate\":\"$until\"}"
step "a COMPLIANCE retention cannot be shortened, even with a bypass" refused AccessDenied aws s3api put-object-retention --bucket "$bucket" --key k --version-id "$v1" --bypass-governance-retention --retention "{\"Mode\":\"COMPLIANCE\",\"RetainUntilDate\":\"$earlier\"}"
step "get-object-retention keeps the date" bash -c "\"$aws_cli\" --endpoint-url '$endpoint' s3api get-object-retention --bucket '$bucket' --key k --version-id '$v1' --query Retention.Mode --output text | grep -qx COMPLIANCE"
step "a COMPLIANCE version cannot be deleted, even with a bypass" refused AccessDenied aws s3api delete-object --bucket "$bucket" --key k --version-id "$v1" --bypass-governance-retention
step "put-object-legal-hold ON" aws s3api put-object-legal-hold --bucket "$bucket" --key k --legal-hold Status=ON
step "get-object-legal-hold says ON" bash -c "\"$aws_cli\" --endpoint-url '$endpoint' s3api get-object-legal-hold --bucket '$bucket' --key k --query LegalHold.Status --output text | grep -qx ON"
step "suspending versioning is refused" refused InvalidBucketState aws s3api put-bucket-versioning --bucket "$bucket" --versioning-configuration Status=Suspended

"$python" "$here/object_lock_scenarios.py" "$endpoint" "boto3-lock-$$" || failures=$((failures + 1))
echo "object lock: $failures failure(s)"
[ "$failures" -eq 0 ]
