#!/usr/bin/env bash
# Versioning scenarios against a running standalone s3d: the AWS CLI (s3api, v1 or v2) and boto3
# (versioning_scenarios.py). Each step prints PASS or FAIL; exits non-zero if any failed, 3 if a
# client is missing.
# Usage: scripts/compat/versioning.sh http://127.0.0.1:33333
set -uo pipefail
endpoint="${1:?endpoint}"
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=cli_kit.sh
. "$here/cli_kit.sh"
bucket="cli-versions-$$"
printf 'one' > "$work/one"; printf 'two' > "$work/two"

step "create bucket" aws s3api create-bucket --bucket "$bucket"
step "put-bucket-versioning Enabled" aws s3api put-bucket-versioning --bucket "$bucket" --versioning-configuration Status=Enabled
step "get-bucket-versioning says Enabled" bash -c "\"$aws_cli\" --endpoint-url '$endpoint' s3api get-bucket-versioning --bucket '$bucket' --output text | grep -qx Enabled"
v1=$(aws s3api put-object --bucket "$bucket" --key k --body "$work/one" --query VersionId --output text)
v2=$(aws s3api put-object --bucket "$bucket" --key k --body "$work/two" --query VersionId --output text)
step "put-object answers distinct version ids" test -n "$v1" -a -n "$v2" -a "$v1" != "$v2" -a "$v1" != None
step "get-object --version-id reads the old version" bash -c "\"$aws_cli\" --endpoint-url '$endpoint' s3api get-object --bucket '$bucket' --key k --version-id '$v1' '$work/got' >/dev/null && cmp -s '$work/got' '$work/one'"
marker=$(aws s3api delete-object --bucket "$bucket" --key k --query VersionId --output text)
step "delete-object makes a delete marker" bash -c "\"$aws_cli\" --endpoint-url '$endpoint' s3api list-object-versions --bucket '$bucket' --query 'DeleteMarkers[0].VersionId' --output text | grep -qx '$marker'"
step "list-object-versions lists both versions" bash -c "test \$(\"$aws_cli\" --endpoint-url '$endpoint' s3api list-object-versions --bucket '$bucket' --query 'length(Versions)' --output text) = 2"
step "s3 ls no longer shows the key" bash -c "! \"$aws_cli\" --endpoint-url '$endpoint' s3 ls 's3://$bucket/' | grep -q ' k\$'"
step "delete the marker by id restores the key" bash -c "\"$aws_cli\" --endpoint-url '$endpoint' s3api delete-object --bucket '$bucket' --key k --version-id '$marker' >/dev/null && \"$aws_cli\" --endpoint-url '$endpoint' s3 cp 's3://$bucket/k' '$work/back' >/dev/null && cmp -s '$work/back' '$work/two'"
for id in "$v1" "$v2"; do aws s3api delete-object --bucket "$bucket" --key k --version-id "$id" >/dev/null; done
step "delete-bucket once every version is gone" aws s3api delete-bucket --bucket "$bucket"

"$python" "$here/versioning_scenarios.py" "$endpoint" "boto3-versions-$$" || failures=$((failures + 1))
echo "versioning: $failures failure(s)"
[ "$failures" -eq 0 ]
