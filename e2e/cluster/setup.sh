#!/usr/bin/env bash
# Idempotent installer of the e2e control plane for a fresh Debian machine (CI).
# Needs only what a fresh machine has: Go at /usr/local/go (or on PATH), node/npm,
# openssl, git, bash. etcd is built from source together with Kubernetes (see
# docs/e2e-control-plane.md), so no apt packages are needed.
#
# Prints the bin dir on the last line of stdout (like build.sh).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
  export PATH="${PATH}:/usr/local/go/bin"
fi

missing=()
command -v go >/dev/null 2>&1 || missing+=("go (expected at /usr/local/go/bin/go)")
command -v openssl >/dev/null 2>&1 || missing+=("openssl")
if ((${#missing[@]} > 0)); then
  # openssl is the only one apt can fix without guessing a Go version.
  if [[ " ${missing[*]} " == *" openssl "* ]] && command -v apt-get >/dev/null 2>&1; then
    sudo_cmd=()
    [[ "$(id -u)" != 0 ]] && sudo_cmd=(sudo)
    echo "[setup.sh] installing openssl with apt-get" >&2
    "${sudo_cmd[@]}" apt-get install -y openssl >&2 || {
      "${sudo_cmd[@]}" apt-get update >&2
      "${sudo_cmd[@]}" apt-get install -y openssl >&2
    }
    missing=("${missing[@]/openssl}")
  fi
  for m in "${missing[@]}"; do
    [[ -n "${m}" ]] && { echo "[setup.sh] error: missing ${m}" >&2; exit 1; }
  done
fi

go_minor="$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')"
if [[ "${go_minor}" =~ ^[0-9]+$ ]] && (( go_minor < 25 )); then
  echo "[setup.sh] error: Go >= 1.25 is needed to build Kubernetes 1.34 (found $(go env GOVERSION))" >&2
  exit 1
fi

exec bash "${HERE}/build.sh"
