#!/usr/bin/env bash
# Installs everything meshgate's demo and tests need on a fresh Debian machine (idempotent):
# Debian packages, npm dependencies, the front-end build, the upstream Gateway API CRDs and
# conformance manifests (pinned Go modules, checked against e2e/upstream/go.sum), and the Go-built
# test binaries (kube-apiserver, kube-controller-manager, kubectl, etcd, helm) cached outside the repo.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_need=()
command -v openssl >/dev/null || apt_need+=(openssl)
[ -x /usr/bin/chromium ] || apt_need+=(chromium)
# The image is built and tested without Docker (scripts/image/, e2e/image/): a Debian root
# filesystem from mmdebstrap, packed as OCI with umoci, read back with skopeo.
command -v mmdebstrap >/dev/null || apt_need+=(mmdebstrap)
command -v umoci >/dev/null || apt_need+=(umoci)
command -v skopeo >/dev/null || apt_need+=(skopeo)
if [ "${#apt_need[@]}" -gt 0 ]; then
  echo "==> apt-get install ${apt_need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${apt_need[@]}" >/dev/null
fi

# `npm install` installs the locked versions. Not `npm ci`: npm 11 records only this platform's
# optional native bindings (jest's unrs-resolver) and then refuses its own lock as out of sync.
echo "==> npm install (locked versions)"
npm install --no-audit --no-fund --loglevel=error

echo "==> npm run build (TypeScript + GUI bundle)"
npm run build --silent

echo "==> Gateway API CRDs and conformance manifests (Go modules pinned in e2e/upstream/go.mod)"
bash e2e/upstream/download.sh
echo "==> upstream conformance suite (Go module pinned in e2e/upstream-conformance/go.mod, compiled once)"
(cd e2e/upstream-conformance && GOTOOLCHAIN=local GOFLAGS=-mod=readonly "${GO:-$(command -v go || echo /usr/local/go/bin/go)}" test -count=1 -run '^$' . >/dev/null)
echo "==> control-plane binaries (built from source on first run: several minutes)"
bash e2e/cluster/setup.sh
echo "==> helm (built from source on first run)"
bash e2e/tools/helm.sh >/dev/null
