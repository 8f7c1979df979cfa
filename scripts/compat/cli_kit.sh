# Sourced by the scenario scripts (versioning.sh, object_lock.sh, lifecycle.sh) after they set
# `endpoint` and `here`: AWS CLI and boto3 found (exit 3 if one is missing), `aws` bound to the
# endpoint, a scratch directory `work`, and `step NAME CMD...` that prints PASS or FAIL and counts
# failures in `failures`.
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-any}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-any}"
export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_CONFIG_FILE=/dev/null
aws_cli="$(command -v aws || true)"
python=""
for candidate in "$(command -v python3 || true)" /usr/bin/python3; do
  if [ -n "$candidate" ] && "$candidate" -c 'import boto3' 2>/dev/null; then python="$candidate"; break; fi
done
if [ -z "$aws_cli" ] || [ -z "$python" ]; then
  echo "SKIP: a client is missing (need the AWS CLI and python3 with boto3)"; exit 3
fi
aws() { "$aws_cli" --endpoint-url "$endpoint" "$@"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
step() { local name="$1"; shift; if "$@" >"$work/out" 2>&1; then echo "PASS cli $name"; else echo "FAIL cli $name"; sed 's/^/    /' "$work/out" | tail -20; failures=$((failures + 1)); fi; }
