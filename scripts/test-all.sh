#!/usr/bin/env bash
# Runs every test of the collection: ansible-test sanity (no ignore files), units and integration
# (real playbooks over real HTTP against the emulator, which each target starts and stops itself).
# Usage: scripts/test-all.sh            (needs Python 3.11 and network access to PyPI)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ANSIBLE_TEST_ARGS=(--venv --python 3.11 --color no)

ensure_venv "$REPO_ROOT/tests/requirements-tools.txt"
ensure_get_pip_stand_in
copy_collection
cd "$COLLECTION_COPY" || exit 1

if ls tests/sanity/ignore-*.txt >/dev/null 2>&1; then
    echo "tests/sanity/ignore-*.txt must not exist: fix the code instead" >&2
    exit 1
fi

log "ansible-test sanity"
ansible-test sanity "${ANSIBLE_TEST_ARGS[@]}"

log "ansible-test units"
ansible-test units "${ANSIBLE_TEST_ARGS[@]}"

log "ansible-test integration"
ansible-test integration "${ANSIBLE_TEST_ARGS[@]}"

cd "$REPO_ROOT" || exit 1
log "the module reference in docs/ is current, and the docs lint clean"
bash "$REPO_ROOT/scripts/docs.sh" --check

log "ansible-lint on the example playbooks and the modules' EXAMPLES"
bash "$REPO_ROOT/scripts/lint-examples.sh"

log "the main job (scripts/demo.sh) as a smoke test: it builds and installs the collection"
bash "$REPO_ROOT/scripts/demo.sh" >"$WORK_DIR/demo.log" 2>&1 || { cat "$WORK_DIR/demo.log"; exit 1; }

log "the built tarball holds no test output or venvs, and ansible-doc shows every module"
tarball=$(ls "$WORK_DIR"/dist/tencentcloud-trtc-*.tar.gz)
if tar -tzf "$tarball" | grep -E '(^|/)(tests/output|\.work|\.venv|\.git)/|__pycache__'; then
    echo "$tarball holds files it must not" >&2
    exit 1
fi
for module in "$REPO_ROOT"/plugins/modules/*.py; do
    name=tencentcloud.trtc.$(basename "$module" .py)
    ANSIBLE_COLLECTIONS_PATH=$WORK_DIR/installed ansible-doc "$name" | grep -q "$name" \
        || { echo "ansible-doc cannot show $name" >&2; exit 1; }
done

log "all tests passed: sanity, units, integration and the demo"
