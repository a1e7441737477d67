#!/usr/bin/env bash
# The test command: sets up what is missing, then runs every test (unit, golden, property,
# conformance, e2e against a real kube-apiserver, chart, GUI in headless Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export MESHGATE_REQUIRE_CHROMIUM=1
echo "==> typecheck"
npx tsc -p tsconfig.json --noEmit
echo "==> unit tests"
npx jest --selectProjects unit --ci
echo "==> e2e tests (real kube-apiserver + etcd + kube-controller-manager)"
npx jest --selectProjects e2e --ci --runInBand
