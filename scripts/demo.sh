#!/usr/bin/env bash
# The main job on a fresh machine: set up, start a real control plane, apply examples/, run the
# controller with its GUI, and keep running until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec npm run --silent demo -- "$@"
