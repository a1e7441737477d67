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

BINARIES=(kube-apiserver kube-controller-manager kubectl etcd)

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Versions come from the wrapper module's go.mod (the single source of truth):
# k8s.io/kubernetes, and the etcd server version that k8s.io/kubernetes requires.
KUBE_VERSION="$(awk '$1 == "k8s.io/kubernetes" && $2 ~ /^v/ { print $2; exit }' "${HERE}/go/go.mod")"
ETCD_VERSION="$(awk '$1 == "go.etcd.io/etcd/server/v3" && $2 ~ /^v/ { print $2; exit }' "${HERE}/go/go.mod")"
if [[ -z "${KUBE_VERSION}" || -z "${ETCD_VERSION}" ]]; then
  echo "[build.sh] error: cannot read the k8s.io/kubernetes / etcd versions from ${HERE}/go/go.mod" >&2
  exit 1
fi
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
log "(first run only, several minutes: ~7 min cold on 2 cores, seconds with a warm Go build cache; go: $("${GO}" env GOVERSION), -p=${JOBS})"
# One `go build` for all four commands so shared packages compile once.
# Modules (~600 MB) are downloaded on demand into GOMODCACHE.
log "downloading modules and compiling (module cache: $("${GO}" env GOMODCACHE), build cache: $("${GO}" env GOCACHE))..."
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
done
elapsed=$(( $(date +%s) - start ))
printf '{"kubernetes": "%s", "etcd": "%s", "go": "%s", "builtAt": "%s", "buildSeconds": %s, "jobs": %s}\n' \
  "${KUBE_VERSION}" "${ETCD_VERSION}" "$("${GO}" env GOVERSION)" "${build_date}" "${elapsed}" "${JOBS}" > "${OUT}/build-info.json"
for b in "${BINARIES[@]}"; do
  mv -f "${tmp}/${b}" "${BIN}/${b}"
done
log "built in ${elapsed}s: ${BINARIES[*]} -> ${BIN}"
echo "${BIN}"
