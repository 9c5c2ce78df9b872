#!/usr/bin/env bash
# Prints the figures of bulk work against the local emulator: a 20-item loop through the module
# against the same loop through tccli, 200 tasks through the list form, 40 hosts with forks 40,
# the peak memory of one module run, three controllers through one Redis store, and the list form
# with the emulator at a distance (0, 50, 130 and 300 ms one way). Not a test: it prints figures, it
# asserts nothing. About six minutes.
# Usage: scripts/benchmark.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_venv "$REPO_ROOT/tests/requirements-benchmark.txt"
copy_collection
ANSIBLE_COLLECTIONS_PATH=$COLLECTION_ROOT python "$REPO_ROOT/tests/benchmark/benchmark.py" \
    --emulator "$REPO_ROOT/emulator/trtc_emulator.py" --work-dir "$WORK_DIR/benchmark" "$@"
