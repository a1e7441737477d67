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
# Stamp the version the way helm's Makefile does, so `helm version` is truthful.
LDFLAGS="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
(
  cd "$TMP_BIN"   # outside any go.mod, so `go install pkg@version` resolves on its own
  GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS= GOBIN="$TMP_BIN" \
    "$GO" install -trimpath -ldflags "$LDFLAGS" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >&2
)
mv -f "$TMP_BIN/helm" "$BIN"
"$BIN" version --short >&2
echo "$BIN"
