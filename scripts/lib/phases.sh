# Sourced by scripts/test.sh and .ci/run: runs named phases, times each, and prints a table of
# them on exit (also when a phase fails), so the time budget of a fresh machine is visible.
#   phase "unit tests" npx jest --selectProjects unit   # returns the command's exit code
#   phases_failed                                        # number of failed phases so far
# A failed phase does not stop the script by itself: the caller decides (later phases still
# tell you something when an earlier one failed).

PHASES_TITLE="${PHASES_TITLE:-time per phase}"
_phase_lines=()
_phase_failed=0
_phase_t0=$SECONDS

phase() {
  local name="$1"; shift
  echo
  echo "==> ${name}"
  local t0=$SECONDS rc=0
  "$@" || rc=$?
  local took=$((SECONDS - t0)) mark=""
  if ((rc != 0)); then mark="  FAILED (exit ${rc})"; _phase_failed=$((_phase_failed + 1)); fi
  _phase_lines+=("$(printf '%-58s %3dm%02ds%s' "${name}" $((took / 60)) $((took % 60)) "${mark}")")
  echo "<== ${name}: $((took / 60))m$(printf '%02d' $((took % 60)))s${mark}"
  return "${rc}"
}

phases_failed() { echo "${_phase_failed}"; }

_phases_summary() {
  local total=$((SECONDS - _phase_t0))
  echo
  echo "==> ${PHASES_TITLE}"
  local l
  for l in "${_phase_lines[@]}"; do echo "  ${l}"; done
  printf '  %-58s %3dm%02ds\n' "total" $((total / 60)) $((total % 60))
}
trap _phases_summary EXIT
