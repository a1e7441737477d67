#!/usr/bin/env bash
# Downloads the upstream Gateway API manifests pinned in e2e/upstream/go.mod (the CRDs of
# sigs.k8s.io/gateway-api, the conformance base/ and tests/ of sigs.k8s.io/gateway-api/conformance)
# into the Go module cache. `go mod download` checks every zip against e2e/upstream/go.sum and the
# checksum database, so a tampered or re-tagged release fails here instead of in a test.
# Idempotent and quick when the modules are cached. Prints each module's directory on stdout.
#
# Environment: GO (go binary), GOMODCACHE (where Go keeps modules; read at run time the same way).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ -z "${GO:-}" ]]; then
  if command -v go >/dev/null 2>&1; then GO="$(command -v go)"; else GO=/usr/local/go/bin/go; fi
fi
if [[ ! -x "${GO}" ]]; then
  echo "[upstream] error: no Go toolchain found (looked for 'go' on PATH and /usr/local/go/bin/go)" >&2
  exit 1
fi

modules=()
while read -r mod ver; do modules+=("${mod}@${ver}"); done < <(awk '$1 ~ /^sigs\.k8s\.io\// && $2 ~ /^v/ { print $1, $2 }' "${HERE}/go.mod")
if ((${#modules[@]} == 0)); then
  echo "[upstream] error: no sigs.k8s.io modules in ${HERE}/go.mod" >&2
  exit 1
fi

cd "${HERE}"
# -mod=readonly: go.sum must already hold every checksum (it is committed); nothing is rewritten.
json="$(GOTOOLCHAIN=local GOFLAGS=-mod=readonly "${GO}" mod download -json "${modules[@]%@*}")" || {
  echo "[upstream] error: go mod download ${modules[*]} failed" >&2
  exit 1
}
if grep -q '"Error"' <<<"${json}"; then
  echo "[upstream] error: ${json}" >&2
  exit 1
fi
sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"${json}"
