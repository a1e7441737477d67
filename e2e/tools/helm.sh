#!/usr/bin/env bash
# Builds the real helm (v3) from source with the local Go toolchain and caches it
# outside the repo. Prints the absolute path of the binary as the LAST line of stdout.
#
#   bash e2e/tools/helm.sh            # build (first time, a few minutes) or reuse the cache
#   HELM_VERSION=v3.21.4 bash e2e/tools/helm.sh
#
# Cache: ${MESHGATE_CACHE:-$HOME/.cache/meshgate}/helm-<version>/helm
# Only the Go module proxy is needed (no Docker, no GitHub release download).
set -euo pipefail

# Newest helm 3.x on the Go module proxy when this was written.
HELM_VERSION="${HELM_VERSION:-v3.22.0}"
CACHE_ROOT="${MESHGATE_CACHE:-$HOME/.cache/meshgate}"
DEST_DIR="$CACHE_ROOT/helm-$HELM_VERSION"
BIN="$DEST_DIR/helm"

if [[ -x "$BIN" ]]; then
  echo "$BIN"
  exit 0
fi

GO="${GO:-}"
if [[ -z "$GO" ]]; then
  if command -v go >/dev/null 2>&1; then GO="$(command -v go)"; else GO=/usr/local/go/bin/go; fi
fi

mkdir -p "$DEST_DIR"
# Serialise concurrent builds (several jest workers or engineers may call this at once).
exec 9>"$DEST_DIR/.lock"
if command -v flock >/dev/null 2>&1; then flock 9; fi
if [[ -x "$BIN" ]]; then
  echo "$BIN"
  exit 0
fi

TMP_BIN="$(mktemp -d "$DEST_DIR/.build.XXXXXX")"
trap 'rm -rf "$TMP_BIN"' EXIT

echo "building helm $HELM_VERSION with $("$GO" version) (one-off, cached in $DEST_DIR)" >&2
# Stamp the versions the way helm's Makefile does: `helm version` is truthful, and the default
# .Capabilities.KubeVersion (helm template / lint without --kube-version) is the Kubernetes version of
# helm's client-go, not the source default v1.20.
K8S_MINOR=""
MOD_FILE="$(cd "$TMP_BIN" && GOTOOLCHAIN=local GOFLAGS= "$GO" mod download -json "helm.sh/helm/v3@$HELM_VERSION" 2>/dev/null \
  | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')" || true
if [[ -n "$MOD_FILE" && -f "$MOD_FILE" ]]; then
  K8S_MINOR="$(sed -n 's/^[[:space:]]*k8s\.io\/client-go v0\.\([0-9]*\)\..*/\1/p' "$MOD_FILE" | head -1)"
fi
LDFLAGS="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
if [[ -n "$K8S_MINOR" ]]; then
  for pkg in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
    LDFLAGS="$LDFLAGS -X $pkg.k8sVersionMajor=1 -X $pkg.k8sVersionMinor=$K8S_MINOR"
  done
fi
(
  cd "$TMP_BIN"   # outside any go.mod, so `go install pkg@version` resolves on its own
  GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS= GOBIN="$TMP_BIN" \
    "$GO" install -trimpath -ldflags "$LDFLAGS" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >&2
)
mv -f "$TMP_BIN/helm" "$BIN"
"$BIN" version --short >&2
echo "$BIN"
