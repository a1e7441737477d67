#!/usr/bin/env bash
# The test command: sets up what is missing, then runs every test (unit, golden, property,
# conformance, upstream conformance suite, e2e against a real kube-apiserver, chart, GUI in headless Chromium). Every phase
# runs even when an earlier test phase failed; the time of each is printed at the end, and the
# exit code is 1 if any failed.
set -euo pipefail
cd "$(dirname "$0")/.."
PHASES_TITLE="scripts/test.sh: time per phase"
source scripts/lib/phases.sh
phase "setup/build (scripts/setup.sh)" bash scripts/setup.sh || exit 1
export MESHGATE_REQUIRE_CHROMIUM=1
# Property tests use a fixed seed (src/testing/fast-check-seed.ts) unless FC_SEED is set.
phase "typecheck" npx tsc -p tsconfig.json --noEmit || true
phase "unit tests (golden, property, conformance replay)" npx jest --selectProjects unit --ci || true
phase "e2e conformance (real kube-apiserver)" npx jest --selectProjects e2e --ci --runInBand e2e/conformance/ || true
# Gateway API's own conformance suite (Go) on its own control plane; docs/conformance.md.
phase "upstream conformance (Gateway API v1.6.1 suite, status tests)" npx jest --selectProjects e2e --ci --runInBand --testPathPatterns e2e/upstream-conformance/ || true
phase "e2e (scenarios, chart, GUI, faults...)" npx jest --selectProjects e2e --ci --runInBand --testPathIgnorePatterns '/e2e/(upstream-)?conformance/' || true
(($(phases_failed) == 0))
