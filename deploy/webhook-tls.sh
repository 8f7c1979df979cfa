#!/usr/bin/env bash
# The fallback for clusters without cert-manager (the default is deploy/cert-manager/, see
# docs/operator.md). Creates the webhook's serving certificate: a private CA, a certificate for
# s3d-operator-webhook.s3d-system.svc signed by it, the Secret the operator mounts, and the CA in
# the MutatingWebhookConfiguration's caBundle. Re-run it to rotate (validity: 825 days): the
# operator re-reads the mounted files within a minute (after the kubelet refreshed the Secret
# volume, up to about a minute more), no restart needed.
set -euo pipefail
NS="${NAMESPACE:-s3d-system}"
SVC="s3d-operator-webhook"
DAYS="${DAYS:-825}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT

openssl req -x509 -newkey rsa:2048 -nodes -days "$DAYS" -subj "/CN=s3d-webhook-ca" \
  -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=$SVC.$NS.svc" \
  -keyout "$dir/tls.key" -out "$dir/tls.csr" 2>/dev/null
printf 'subjectAltName=DNS:%s,DNS:%s.%s,DNS:%s.%s.svc,DNS:%s.%s.svc.cluster.local\nextendedKeyUsage=serverAuth\n' \
  "$SVC" "$SVC" "$NS" "$SVC" "$NS" "$SVC" "$NS" > "$dir/ext.cnf"
openssl x509 -req -in "$dir/tls.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial \
  -days "$DAYS" -extfile "$dir/ext.cnf" -out "$dir/tls.crt" 2>/dev/null

# Trust the new CA and the previous one (the first in the current bundle) before the Secret changes:
# the API server then accepts the old certificate until the operator has re-read the new one.
previous="$(kubectl get mutatingwebhookconfiguration s3d-sidecar-injector \
  -o jsonpath='{.webhooks[0].clientConfig.caBundle}' 2>/dev/null | base64 -d 2>/dev/null \
  | awk '/BEGIN CERTIFICATE/{n++} n==1' || true)"
cp "$dir/ca.crt" "$dir/bundle.crt"
if [ -n "$previous" ]; then printf '%s\n' "$previous" >> "$dir/bundle.crt"; fi
kubectl patch mutatingwebhookconfiguration s3d-sidecar-injector --type=json \
  -p "[{\"op\":\"add\",\"path\":\"/webhooks/0/clientConfig/caBundle\",\"value\":\"$(base64 < "$dir/bundle.crt" | tr -d '\n')\"}]"
kubectl -n "$NS" create secret tls s3d-operator-webhook-tls --cert="$dir/tls.crt" --key="$dir/tls.key" \
  --dry-run=client -o yaml | kubectl apply -f -
echo "webhook TLS configured for $SVC.$NS.svc"
