#!/usr/bin/env bash
# End to end on a kind cluster, on a laptop or in CI (.github/workflows/e2e-kind.yml runs this file):
#   ./deploy/e2e-kind.sh            build the images, create the kind cluster "s3d", run every case
#   SKIP_BUILD=1 SKIP_CLUSTER=1 ./deploy/e2e-kind.sh   reuse images and a cluster made by the caller
# Needs docker, kind, kubectl, a JDK 21+ (for the build). Nothing here has been run by the authors
# of this script yet (no cluster where it was written): see docs/operator.md, "What was verified where".
set -euo pipefail
cd "$(dirname "$0")/.."

S3D_IMAGE="${S3D_IMAGE:-ghcr.io/s3d-io/s3d:0.1.0}"
OPERATOR_IMAGE="${OPERATOR_IMAGE:-ghcr.io/s3d-io/s3d-operator:0.1.0}"
CLUSTER="${CLUSTER:-s3d}"
CERT_MANAGER_VERSION="${CERT_MANAGER_VERSION:-v1.16.2}"
AWS_IMAGE=amazon/aws-cli:2.22.0
MINIO_ENV=(--env AWS_ENDPOINT_URL=http://minio.storage.svc:9000 --env AWS_ACCESS_KEY_ID=minioadmin
  --env AWS_SECRET_ACCESS_KEY=minioadmin --env AWS_DEFAULT_REGION=us-east-1)

step() { printf '\n=== %s\n' "$*"; }

# Runs a one-shot AWS CLI pod against MinIO and waits for it to succeed.
minio() {
  local name="$1"; shift
  kubectl -n apps delete pod "$name" --ignore-not-found --wait >/dev/null
  kubectl -n apps run "$name" --restart=Never --image="$AWS_IMAGE" "${MINIO_ENV[@]}" --command -- sh -c "$*"
  kubectl -n apps wait pod/"$name" --for=jsonpath='{.status.phase}'=Succeeded --timeout=240s
}

# A running gateway pod that is not terminating: `kubectl exec deployment/x` may pick the old pod
# of a rollout, which is being deleted.
gateway_pod() {
  kubectl -n "${2:-apps}" get pods -l app.kubernetes.io/instance="$1" \
    -o jsonpath='{range .items[*]}{.metadata.name} {.status.phase} {.metadata.deletionTimestamp}{"\n"}{end}' \
    | awk '$2 == "Running" && NF == 2 {print $1; exit}'
}

if [ -z "${SKIP_BUILD:-}" ]; then
  step "Build the service and the operator, and their images"
  ./mvnw -B -q -pl s3d-service,s3d-operator -am package -DskipTests
  docker build -f s3d-service/src/main/docker/Dockerfile.jvm -t "$S3D_IMAGE" s3d-service
  docker build -f s3d-operator/src/main/docker/Dockerfile.jvm -t "$OPERATOR_IMAGE" s3d-operator
fi
if [ -z "${SKIP_CLUSTER:-}" ]; then
  step "Create the kind cluster $CLUSTER"
  kind get clusters | grep -qx "$CLUSTER" || kind create cluster --name "$CLUSTER"
fi
kind load docker-image --name "$CLUSTER" "$S3D_IMAGE" "$OPERATOR_IMAGE"

step "Start MinIO (the remote)"
kubectl create namespace storage --dry-run=client -o yaml | kubectl apply -f -
kubectl -n storage create deployment minio --image=quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z \
  --dry-run=client -o yaml -- minio server /data --address :9000 | kubectl apply -f -
kubectl -n storage set env deployment/minio MINIO_ROOT_USER=minioadmin MINIO_ROOT_PASSWORD=minioadmin
kubectl -n storage expose deployment minio --port 9000 --dry-run=client -o yaml | kubectl apply -f -
kubectl -n storage rollout status deployment/minio --timeout=180s

step "Install cert-manager and the operator (the documented default)"
kubectl apply -f "https://github.com/cert-manager/cert-manager/releases/download/$CERT_MANAGER_VERSION/cert-manager.yaml"
kubectl -n cert-manager rollout status deployment/cert-manager-webhook --timeout=300s
# the cert-manager webhook may need a moment after rollout; the install is idempotent
for i in $(seq 1 10); do kubectl apply -k deploy/cert-manager && break; sleep 10; done
kubectl -n s3d-system wait certificate/s3d-operator-webhook --for=condition=Ready --timeout=180s
kubectl -n s3d-system rollout status deployment/s3d-operator --timeout=300s
for i in $(seq 1 30); do
  ca="$(kubectl get mutatingwebhookconfiguration s3d-sidecar-injector -o jsonpath='{.webhooks[0].clientConfig.caBundle}')"
  [ -n "$ca" ] && break; sleep 2
done
test -n "$ca"
kubectl -n s3d-system get lease s3d-operator-leader -o jsonpath='{.spec.holderIdentity}{"\n"}'

step "The API server rejects an invalid spec (CEL)"
kubectl create namespace apps --dry-run=client -o yaml | kubectl apply -f -
kubectl label namespace apps s3d.io/injection=enabled --overwrite
out="$(kubectl -n apps apply -f - 2>&1 <<'YAML' || true
apiVersion: s3d.io/v1alpha1
kind: S3dGateway
metadata: {name: invalid}
spec: {mode: DaemonSet, replicas: 3, writeQueue: {enabled: true}}
YAML
)"
echo "$out"
grep -q "replicas applies only to mode Deployment" <<<"$out"
grep -q "the write queue needs a remote" <<<"$out"
grep -q "writeQueue.unsafeEphemeralStorage" <<<"$out"

step "Gateway in mode Deployment (the write queue gets a kept PVC by default)"
kubectl -n apps apply -f deploy/examples/00-remote-credentials.yaml
kubectl -n apps apply -f - <<'YAML'
apiVersion: s3d.io/v1alpha1
kind: S3dGateway
metadata: {name: shared}
spec:
  mode: Deployment
  remote:
    endpoint: http://minio.storage.svc:9000
    credentialsSecret: {name: remote-creds}
  writeQueue: {enabled: true, maxAge: 1s}
  readCache: {enabled: true}
YAML
kubectl -n apps wait s3dgateway/shared --for=condition=Ready --timeout=300s
kubectl -n apps get s3dgateways,deployments,services,configmaps,pvc -o wide
test "$(kubectl -n apps get pvc shared-data -o jsonpath='{.metadata.ownerReferences}')" = ""

step "Use it with the AWS CLI"
kubectl -n apps run awscli --restart=Never --image="$AWS_IMAGE" \
  --env AWS_ENDPOINT_URL=http://shared.apps.svc:33333 --env AWS_ACCESS_KEY_ID=any \
  --env AWS_SECRET_ACCESS_KEY=any --env AWS_DEFAULT_REGION=us-east-1 --command -- sh -c \
  'set -e; aws s3 mb s3://e2e; echo hello-s3d | aws s3 cp - s3://e2e/hello.txt; aws s3 cp s3://e2e/hello.txt -'
kubectl -n apps wait pod/awscli --for=jsonpath='{.status.phase}'=Succeeded --timeout=180s
kubectl -n apps logs awscli | grep -q hello-s3d
minio minio-check 'for i in $(seq 1 30); do aws s3 cp s3://e2e/hello.txt - && exit 0; sleep 2; done; exit 1'

step "A rollout with queued writes: every acknowledged write arrives"
kubectl -n storage scale deployment minio --replicas=0
kubectl -n storage wait pod -l app=minio --for=delete --timeout=120s
kubectl -n apps delete pod writer --ignore-not-found --wait >/dev/null
kubectl -n apps run writer --restart=Never --image="$AWS_IMAGE" \
  --env AWS_ENDPOINT_URL=http://shared.apps.svc:33333 --env AWS_ACCESS_KEY_ID=any \
  --env AWS_SECRET_ACCESS_KEY=any --env AWS_DEFAULT_REGION=us-east-1 --command -- sh -c \
  'set -e; for i in $(seq 1 20); do echo "queued-$i" | aws s3 cp - s3://e2e/queued/$i.txt; done'
kubectl -n apps wait pod/writer --for=jsonpath='{.status.phase}'=Succeeded --timeout=240s
# a config change rolls the pod while MinIO is down: the queue must survive on the claim
kubectl -n apps patch s3dgateway shared --type=merge -p '{"spec":{"readCache":{"maxSize":"2G"}}}'
sleep 5
kubectl -n apps rollout status deployment/shared --timeout=300s
kubectl -n storage scale deployment minio --replicas=1
kubectl -n storage rollout status deployment/minio --timeout=180s
minio queued-check 'for i in $(seq 1 60); do n=$(aws s3 ls s3://e2e/queued/ | wc -l); [ "$n" -eq 20 ] && exit 0; sleep 3; done; aws s3 ls s3://e2e/queued/; exit 1'

step "Drift is repaired"
kubectl -n apps scale deployment shared --replicas=3
for i in $(seq 1 30); do
  [ "$(kubectl -n apps get deployment shared -o jsonpath='{.spec.replicas}')" = 1 ] && break; sleep 2
done
test "$(kubectl -n apps get deployment shared -o jsonpath='{.spec.replicas}')" = 1

step "Re-applying the install (the upgrade path) keeps caBundle and does not roll gateways"
gen="$(kubectl -n apps get deployment shared -o jsonpath='{.metadata.generation}')"
kubectl apply -k deploy/cert-manager
kubectl -n s3d-system rollout status deployment/s3d-operator --timeout=300s
test -n "$(kubectl get mutatingwebhookconfiguration s3d-sidecar-injector -o jsonpath='{.webhooks[0].clientConfig.caBundle}')"
sleep 10
test "$(kubectl -n apps get deployment shared -o jsonpath='{.metadata.generation}')" = "$gen"

step "Sidecar injection"
kubectl -n apps apply -f - <<'YAML'
apiVersion: s3d.io/v1alpha1
kind: S3dGateway
metadata: {name: edge}
spec:
  mode: Sidecar
  remote:
    endpoint: http://minio.storage.svc:9000
    credentialsSecret: {name: remote-creds}
---
apiVersion: v1
kind: Pod
metadata:
  name: reports
  labels: {s3d.io/injection: enabled}
  annotations: {s3d.io/inject: edge}
spec:
  containers:
    - name: app
      image: amazon/aws-cli:2.22.0
      env:
        - {name: AWS_ACCESS_KEY_ID, value: any}
        - {name: AWS_SECRET_ACCESS_KEY, value: any}
        - {name: AWS_DEFAULT_REGION, value: us-east-1}
      command: ["sh", "-c", "aws s3 mb s3://sidecar && echo from-sidecar | aws s3 cp - s3://sidecar/a.txt && sleep infinity"]
YAML
kubectl -n apps wait pod/reports --for=condition=Ready --timeout=300s
kubectl -n apps get pod reports -o jsonpath='{.spec.initContainers[0].name} {.spec.containers[0].env[?(@.name=="AWS_ENDPOINT_URL")].value}{"\n"}' \
  | tee /tmp/sidecar.txt
grep -q "s3d http://localhost:33333" /tmp/sidecar.txt
sleep 5
kubectl -n apps exec reports -c app -- aws s3 cp s3://sidecar/a.txt - | grep -q from-sidecar

step "A pod naming a missing gateway is refused; an unlabelled one never reaches the webhook"
out="$(kubectl -n apps run orphan --image=busybox:1.36 --labels=s3d.io/injection=enabled \
  --annotations=s3d.io/inject=nope -- sleep 1 2>&1 || true)"
echo "$out"
grep -q "S3dGateway apps/nope not found" <<<"$out"
kubectl -n apps run unlabelled --image=busybox:1.36 --restart=Never --annotations=s3d.io/inject=nope -- sleep 1
kubectl -n apps delete pod unlabelled --wait=false

step "The webhook with the operator scaled to zero blocks only opted-in pods"
kubectl -n s3d-system scale deployment s3d-operator --replicas=0
kubectl -n s3d-system wait pod -l app.kubernetes.io/name=s3d-operator --for=delete --timeout=120s
kubectl -n apps run plain --image=busybox:1.36 --restart=Never -- sleep 1
kubectl -n kube-system run s3d-e2e-probe --image=busybox:1.36 --restart=Never -- sleep 1
out="$(kubectl -n apps run optedin --image=busybox:1.36 --labels=s3d.io/injection=enabled \
  --annotations=s3d.io/inject=edge -- sleep 1 2>&1 || true)"
echo "$out"
grep -q "inject.s3d.io" <<<"$out"
kubectl -n kube-system delete pod s3d-e2e-probe --wait=false
kubectl -n apps delete pod plain --wait=false
kubectl -n s3d-system scale deployment s3d-operator --replicas=2
kubectl -n s3d-system rollout status deployment/s3d-operator --timeout=300s

step "A SyncFolder keeps a folder on a claim in sync with a bucket"
minio team-docs 'aws s3 mb s3://team-docs && echo from-bucket | aws s3 cp - s3://team-docs/shared/remote.txt'
kubectl -n apps apply -f deploy/examples/syncfolder.yaml
kubectl -n apps wait syncfolder/docs --for=condition=Ready --timeout=300s
kubectl -n apps rollout status deployment/shared --timeout=300s
folder=/var/lib/s3d-sync/docs/docs
kubectl -n apps exec "$(gateway_pod shared)" -c s3d -- sh -c "echo from-folder > $folder/local.txt"
for i in $(seq 1 60); do
  kubectl -n apps exec "$(gateway_pod shared)" -c s3d -- cat "$folder/remote.txt" 2>/dev/null | grep -q from-bucket && break
  sleep 3
done
kubectl -n apps exec "$(gateway_pod shared)" -c s3d -- cat "$folder/remote.txt" | grep -q from-bucket
minio team-docs-check 'for i in $(seq 1 60); do aws s3 cp s3://team-docs/shared/local.txt - | grep -q from-folder && exit 0; sleep 3; done; exit 1'
for i in $(seq 1 40); do
  up="$(kubectl -n apps get syncfolder docs -o jsonpath='{.status.uploaded}')"
  [ "${up:-0}" -ge 1 ] && break; sleep 3
done
kubectl -n apps get syncfolders -o wide
test "${up:-0}" -ge 1

step "A restricted-PSS namespace: a plain gateway runs, a FUSE gateway is reported Degraded"
kubectl create namespace locked --dry-run=client -o yaml | kubectl apply -f -
kubectl label namespace locked pod-security.kubernetes.io/enforce=restricted --overwrite
kubectl -n locked apply -f deploy/examples/00-remote-credentials.yaml
kubectl -n locked apply -f - <<'YAML'
apiVersion: s3d.io/v1alpha1
kind: S3dGateway
metadata: {name: plain}
spec:
  remote: {endpoint: http://minio.storage.svc:9000, credentialsSecret: {name: remote-creds}}
  writeQueue: {enabled: true}
---
apiVersion: s3d.io/v1alpha1
kind: S3dGateway
metadata: {name: fuse}
spec:
  remote: {endpoint: http://minio.storage.svc:9000, credentialsSecret: {name: remote-creds}}
  fuse: {enabled: true}
YAML
kubectl -n locked wait s3dgateway/plain --for=condition=Ready --timeout=300s
kubectl -n locked wait s3dgateway/fuse --for=condition=Degraded --timeout=300s
kubectl -n locked get s3dgateway fuse -o jsonpath='{.status.conditions[?(@.type=="Degraded")].reason}{"\n"}' | grep -q ReplicaFailure

step "A DaemonSet with FUSE shows the buckets as files on the node"
kubectl -n apps apply -f deploy/examples/gateway-daemonset.yaml
kubectl -n apps wait s3dgateway/nodecache --for=condition=Ready --timeout=300s
kubectl -n apps apply -f - <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: reader}
spec:
  securityContext: {runAsUser: 1000}
  containers:
    - name: reader
      image: busybox:1.36
      command: ["sh", "-c", "sleep 3600"]
      volumeMounts:
        - {name: s3d, mountPath: /mnt/s3d, mountPropagation: HostToContainer}
  volumes:
    - name: s3d
      hostPath: {path: /var/lib/s3d/mnt/apps/nodecache, type: Directory}
YAML
kubectl -n apps wait pod/reader --for=condition=Ready --timeout=180s
for i in $(seq 1 30); do
  kubectl -n apps exec reader -- cat /mnt/s3d/e2e/hello.txt 2>/dev/null | grep -q hello-s3d && break
  sleep 2
done
kubectl -n apps exec reader -- ls -l /mnt/s3d /mnt/s3d/e2e
# a non-root reader in another pod: needs allow_other (S3D_FUSE_ALLOW_OTHER=true from the operator)
kubectl -n apps exec reader -- cat /mnt/s3d/e2e/hello.txt | grep -q hello-s3d

step "Open Policy Agent as a sidecar decides which requests are allowed"
kubectl -n apps create configmap s3d-policy --dry-run=client -o yaml --from-literal=s3d.rego='package s3d
import rego.v1
default allow := true
# nobody deletes from the archive prefix
allow := false if {
  input.purpose == "access"
  input.operation == "DeleteObject"
  startswith(input.key, "archive/")
}' | kubectl apply -f -
kubectl -n apps apply -f - <<'YAML'
apiVersion: s3d.io/v1alpha1
kind: S3dGateway
metadata: {name: guarded}
spec:
  mode: Deployment
  remote: {endpoint: http://minio.storage.svc:9000, credentialsSecret: {name: remote-creds}}
  filters: {opaUrl: http://localhost:8181/v1/data/s3d/allow}
  podTemplate:
    spec:
      containers:
      - name: s3d
        env: [{name: S3D_FILTER_OPA_AUTHORIZE, value: "true"}]
      - name: opa
        image: openpolicyagent/opa:1.0.0
        args: [run, --server, --addr, "127.0.0.1:8181", /policy/s3d.rego]
        volumeMounts: [{name: policy, mountPath: /policy, readOnly: true}]
      volumes:
      - name: policy
        configMap: {name: s3d-policy}
YAML
kubectl -n apps wait s3dgateway/guarded --for=condition=Ready --timeout=300s
kubectl -n apps delete pod opa-check --ignore-not-found --wait >/dev/null
kubectl -n apps run opa-check --restart=Never --image="$AWS_IMAGE" \
  --env AWS_ENDPOINT_URL=http://guarded.apps.svc:33333 --env AWS_ACCESS_KEY_ID=any \
  --env AWS_SECRET_ACCESS_KEY=any --env AWS_DEFAULT_REGION=us-east-1 --command -- sh -c \
  'set -e; echo keep | aws s3 cp - s3://e2e/archive/keep.txt; echo temp | aws s3 cp - s3://e2e/tmp/t.txt
   aws s3 rm s3://e2e/tmp/t.txt
   if aws s3 rm s3://e2e/archive/keep.txt 2>err.txt; then echo "the policy did not deny"; exit 1; fi
   grep -q AccessDenied err.txt'
kubectl -n apps wait pod/opa-check --for=jsonpath='{.status.phase}'=Succeeded --timeout=240s
kubectl -n apps delete s3dgateway guarded --wait

step "Deleting the gateway removes its children and keeps its claim"
kubectl -n apps delete s3dgateway shared --wait
for i in $(seq 1 30); do
  kubectl -n apps get deployment shared >/dev/null 2>&1 || break; sleep 2
done
if kubectl -n apps get deployment shared >/dev/null 2>&1; then echo "deployment shared not removed"; exit 1; fi
kubectl -n apps get pvc shared-data

echo "e2e: all cases passed"
