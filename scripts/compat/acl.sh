#!/usr/bin/env bash
# Access control scenarios against a running standalone s3d with two identities (ALICE_KEY /
# ALICE_SECRET and BOB_KEY / BOB_SECRET, sections of its S3D_CREDENTIALS_FILE) and anonymous
# requests: the AWS CLI (s3api), curl, and boto3 (acl_scenarios.py). Each step prints PASS or FAIL;
# exits non-zero if any failed, 3 if a client is missing.
# Usage: ALICE_KEY=.. ALICE_SECRET=.. BOB_KEY=.. BOB_SECRET=.. scripts/compat/acl.sh http://127.0.0.1:33333
set -uo pipefail
endpoint="${1:?endpoint}"
here="$(cd "$(dirname "$0")" && pwd)"
export AWS_ACCESS_KEY_ID="$ALICE_KEY" AWS_SECRET_ACCESS_KEY="$ALICE_SECRET"
# shellcheck source=cli_kit.sh
. "$here/cli_kit.sh"
refused() { local code="$1"; shift; ! "$@" >"$work/err" 2>&1 && grep -q "($code)" "$work/err"; }
bob() { AWS_ACCESS_KEY_ID="$BOB_KEY" AWS_SECRET_ACCESS_KEY="$BOB_SECRET" "$aws_cli" --endpoint-url "$endpoint" "$@"; }
bucket="cli-acl-$$"
enforced="cli-acl-enforced-$$"
printf 'for everyone' > "$work/public"
printf 'for alice' > "$work/private"

step "alice creates a bucket with ObjectWriter ownership" aws s3api create-bucket --bucket "$bucket" --object-ownership ObjectWriter
step "bob may not list alice's bucket" refused AccessDenied bob s3api list-objects-v2 --bucket "$bucket"
step "bob's ListBuckets does not show alice's bucket" bash -c "! AWS_ACCESS_KEY_ID='$BOB_KEY' AWS_SECRET_ACCESS_KEY='$BOB_SECRET' '$aws_cli' --endpoint-url '$endpoint' s3api list-buckets --query 'Buckets[].Name' --output text | grep -q '$bucket'"
bob_id=$(bob s3api list-buckets --query Owner.ID --output text)
step "bob has a 64-hex canonical id" bash -c "[[ '$bob_id' =~ ^[0-9a-f]{64}$ ]]"
step "put-bucket-acl grants bob READ" aws s3api put-bucket-acl --bucket "$bucket" --grant-read "id=$bob_id"
step "get-bucket-acl shows bob's READ grant" bash -c "\"$aws_cli\" --endpoint-url '$endpoint' s3api get-bucket-acl --bucket '$bucket' --query 'Grants[?Grantee.ID==\`$bob_id\`].Permission' --output text | grep -qx READ"
step "now bob may list alice's bucket" bob s3api list-objects-v2 --bucket "$bucket"
step "bob still may not write into it" refused AccessDenied bob s3api put-object --bucket "$bucket" --key bob.txt --body "$work/public"
step "put-object --acl public-read" aws s3api put-object --bucket "$bucket" --key public.txt --body "$work/public" --acl public-read
step "put-object private (the default)" aws s3api put-object --bucket "$bucket" --key private.txt --body "$work/private"
step "get-object-acl shows AllUsers READ" bash -c "\"$aws_cli\" --endpoint-url '$endpoint' s3api get-object-acl --bucket '$bucket' --key public.txt --query 'Grants[?Grantee.URI==\`http://acs.amazonaws.com/groups/global/AllUsers\`].Permission' --output text | grep -qx READ"
step "an unsigned GET reads the public-read object" bash -c "curl -sf '$endpoint/$bucket/public.txt' | grep -qx 'for everyone'"
step "an unsigned GET of the private object is 403 AccessDenied" bash -c "[ \"\$(curl -s -o '$work/body' -w '%{http_code}' '$endpoint/$bucket/private.txt')\" = 403 ] && grep -q '<Code>AccessDenied</Code>' '$work/body'"
step "an unsigned ListBuckets is 403" bash -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' '$endpoint/')\" = 403 ]"
step "get-bucket-ownership-controls says ObjectWriter" bash -c "\"$aws_cli\" --endpoint-url '$endpoint' s3api get-bucket-ownership-controls --bucket '$bucket' --query 'OwnershipControls.Rules[0].ObjectOwnership' --output text | grep -qx ObjectWriter"
step "a new bucket is BucketOwnerEnforced" aws s3api create-bucket --bucket "$enforced"
step "get-bucket-ownership-controls says BucketOwnerEnforced" bash -c "\"$aws_cli\" --endpoint-url '$endpoint' s3api get-bucket-ownership-controls --bucket '$enforced' --query 'OwnershipControls.Rules[0].ObjectOwnership' --output text | grep -qx BucketOwnerEnforced"
step "BucketOwnerEnforced refuses a public-read object" refused AccessControlListNotSupported aws s3api put-object --bucket "$enforced" --key k --body "$work/public" --acl public-read
step "BucketOwnerEnforced refuses put-bucket-acl public-read" refused AccessControlListNotSupported aws s3api put-bucket-acl --bucket "$enforced" --acl public-read
step "BucketOwnerEnforced accepts bucket-owner-full-control" aws s3api put-object --bucket "$enforced" --key k --body "$work/public" --acl bucket-owner-full-control
step "get-public-access-block without one is NoSuchPublicAccessBlockConfiguration" refused NoSuchPublicAccessBlockConfiguration aws s3api get-public-access-block --bucket "$bucket"
step "put-public-access-block BlockPublicAcls" aws s3api put-public-access-block --bucket "$bucket" --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=false,BlockPublicPolicy=false,RestrictPublicBuckets=false
step "get-public-access-block shows BlockPublicAcls" bash -c "\"$aws_cli\" --endpoint-url '$endpoint' s3api get-public-access-block --bucket '$bucket' --query PublicAccessBlockConfiguration.BlockPublicAcls --output text | grep -qx True"
step "BlockPublicAcls refuses a public-read PUT" refused AccessDenied aws s3api put-object --bucket "$bucket" --key blocked.txt --body "$work/public" --acl public-read
step "IgnorePublicAcls hides the public grant from unsigned readers" bash -c "\"$aws_cli\" --endpoint-url '$endpoint' s3api put-public-access-block --bucket '$bucket' --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=false,RestrictPublicBuckets=false && [ \"\$(curl -s -o /dev/null -w '%{http_code}' '$endpoint/$bucket/public.txt')\" = 403 ]"
step "delete-public-access-block makes the object public again" bash -c "\"$aws_cli\" --endpoint-url '$endpoint' s3api delete-public-access-block --bucket '$bucket' && curl -sf '$endpoint/$bucket/public.txt' | grep -qx 'for everyone'"

"$python" "$here/acl_scenarios.py" "$endpoint" "boto3-acl-$$" || failures=$((failures + 1))
echo "acl: $failures failure(s)"
[ "$failures" -eq 0 ]
