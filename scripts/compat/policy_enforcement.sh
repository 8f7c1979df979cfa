#!/usr/bin/env bash
# Bucket policy enforcement against a running standalone s3d started with two key pairs in
# S3D_CREDENTIALS_FILE (the owner's and a second identity's), over plain HTTP: runs
# policy_enforcement_scenarios.py (boto3). Exits non-zero if a scenario failed, 3 if boto3 is missing.
# Usage: AWS_ACCESS_KEY_ID=.. AWS_SECRET_ACCESS_KEY=.. SECOND_ACCESS_KEY_ID=.. SECOND_SECRET_ACCESS_KEY=.. \
#        scripts/compat/policy_enforcement.sh http://127.0.0.1:33333
set -uo pipefail
endpoint="${1:?endpoint}"
here="$(cd "$(dirname "$0")" && pwd)"
: "${AWS_ACCESS_KEY_ID:?the owner's key}" "${SECOND_ACCESS_KEY_ID:?the second identity's key}"
# shellcheck source=cli_kit.sh
. "$here/cli_kit.sh"
"$python" "$here/policy_enforcement_scenarios.py" "$endpoint" "boto3-policy-enforcement-$$"
