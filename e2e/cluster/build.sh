#!/usr/bin/env bash
# Builds the Kubernetes control-plane binaries used by the e2e tests
# (kube-apiserver, kube-controller-manager, kubectl and etcd) from the
# k8s.io/kubernetes Go module pinned in e2e/cluster/go/go.mod.
#
# Output: ${MESHGATE_CACHE:-$HOME/.cache/meshgate}/k8s-<version>/bin/
# The last line of stdout is always the absolute path of that bin dir.
# When all binaries are already there this returns immediately.
#
# Environment:
#   MESHGATE_CACHE        cache root (default $HOME/.cache/meshgate)
#   MESHGATE_BUILD_JOBS   go build -p value (default: number of CPUs, max 4)
#   GO                    go binary (default: `go` on PATH, else /usr/local/go/bin/go)
set -euo pipefail

KUBE_VERSION="v1.34.10"   # keep in sync with e2e/cluster/go/go.mod
ETCD_VERSION="v3.6.4"     # the etcd server version k8s.io/kubernetes@$KUBE_VERSION requires
BINARIES=(kube-apiserver kube-controller-manager kubectl etcd)

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE_ROOT="${MESHGATE_CACHE:-${HOME:-/tmp}/.cache/meshgate}"
OUT="${CACHE_ROOT}/k8s-${KUBE_VERSION}"
BIN="${OUT}/bin"

have_all() {
  local b
  for b in "${BINARIES[@]}"; do
    [[ -x "${BIN}/${b}" ]] || return 1
  done
  return 0
}

# Fast path: nothing to do.
if have_all; then
  echo "${BIN}"
  exit 0
fi

log() { echo "[build.sh] $*" >&2; }

mkdir -p "${OUT}"

# Serialise concurrent builds (jest globalSetup, `npm run cluster:up`, CI...).
exec 9>"${OUT}/.build.lock"
if command -v flock >/dev/null 2>&1; then
  if ! flock -n 9; then
    log "another build of ${KUBE_VERSION} is running; waiting for it..."
    flock 9
  fi
fi
if have_all; then
  echo "${BIN}"
  exit 0
fi

if [[ -z "${GO:-}" ]]; then
  if command -v go >/dev/null 2>&1; then GO="$(command -v go)"; else GO=/usr/local/go/bin/go; fi
fi
if [[ ! -x "${GO}" ]]; then
  log "error: no Go toolchain found (looked for 'go' on PATH and /usr/local/go/bin/go)"
  exit 1
fi

cpus="$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)"
(( cpus > 4 )) && cpus=4
JOBS="${MESHGATE_BUILD_JOBS:-${cpus}}"

minor="${KUBE_VERSION#v}"; minor="${minor#*.}"; minor="${minor%%.*}"
build_date="$(date -u +'%Y-%m-%dT%H:%M:%SZ')"
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X ${pkg}.gitVersion=${KUBE_VERSION}"
  ldflags+=" -X ${pkg}.gitMajor=1"
  ldflags+=" -X ${pkg}.gitMinor=${minor}"
  ldflags+=" -X ${pkg}.gitTreeState=clean"
  ldflags+=" -X ${pkg}.buildDate=${build_date}"
done

export GOTOOLCHAIN=local CGO_ENABLED=0
export GOFLAGS="-mod=readonly -p=${JOBS} -buildvcs=false"

tmp="$(mktemp -d "${OUT}/.tmp-bin.XXXXXX")"
trap 'rm -rf "${tmp}"' EXIT

start=$(date +%s)
log "building kube-apiserver, kube-controller-manager, kubectl ${KUBE_VERSION} and etcd ${ETCD_VERSION}"
log "(first run only, several minutes: ~15-30 min cold on 2 cores; go: $("${GO}" env GOVERSION), -p=${JOBS})"
log "downloading Go modules (cached in $("${GO}" env GOMODCACHE))..."
(cd "${HERE}/go" && "${GO}" mod download)

# One `go build` for all four commands so shared packages compile once.
log "compiling... (go build cache: $("${GO}" env GOCACHE))"
(
  cd "${HERE}/go"
  "${GO}" build -trimpath -ldflags "${ldflags}" -o "${tmp}/" \
    k8s.io/kubernetes/cmd/kube-apiserver \
    k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kubectl \
    ./cmd/etcd
) &
build_pid=$!
# Heartbeat so the caller sees the build is alive.
(
  while kill -0 "${build_pid}" 2>/dev/null; do
    sleep 60
    kill -0 "${build_pid}" 2>/dev/null && log "still compiling... ($(( $(date +%s) - start ))s elapsed)"
  done
) &
hb_pid=$!
rc=0
wait "${build_pid}" || rc=$?
kill "${hb_pid}" 2>/dev/null || true
wait "${hb_pid}" 2>/dev/null || true
if (( rc != 0 )); then
  log "error: go build failed (exit ${rc})"
  exit "${rc}"
fi

mkdir -p "${BIN}"
for b in "${BINARIES[@]}"; do
  [[ -x "${tmp}/${b}" ]] || { log "error: ${b} was not produced"; exit 1; }
  mv -f "${tmp}/${b}" "${BIN}/${b}"
done
log "built in $(( $(date +%s) - start ))s: $(cd "${BIN}" && echo "${BINARIES[@]}")"
echo "${BIN}"
