#!/usr/bin/env bash
# Prints the figures of bulk work against the local emulator: a 20-item loop through the module
# against the same loop through tccli, 200 tasks through the list form, 40 hosts with forks 40,
# and the peak memory of one module run. Not a test: it prints figures, it asserts nothing.
# Usage: scripts/benchmark.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_venv "$REPO_ROOT/tests/requirements-benchmark.txt"
copy_collection
ANSIBLE_COLLECTIONS_PATH=$COLLECTION_ROOT python "$REPO_ROOT/tests/benchmark/benchmark.py" \
    --emulator "$REPO_ROOT/emulator/trtc_emulator.py" --work-dir "$WORK_DIR/benchmark" "$@"
