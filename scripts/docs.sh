#!/usr/bin/env bash
# Regenerates the module reference in docs/ from the modules' own documentation (antsibull-docs),
# and lints the collection's documentation.
# Usage: scripts/docs.sh            rewrite docs/*_module.rst and docs/index.rst
#        scripts/docs.sh --check    fail if they are not up to date, and lint (CI does this)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_venv "$REPO_ROOT/tests/requirements-tools.txt"
copy_collection

generated=$(mktemp -d)
trap 'rm -rf "$generated"' EXIT
chmod 700 "$generated"
ANSIBLE_COLLECTIONS_PATH=$COLLECTION_ROOT antsibull-docs collection --use-current --squash-hierarchy \
    --output-format simplified-rst --no-add-antsibull-docs-version --dest-dir "$generated" tencentcloud.trtc

if [ "${1:-}" = "--check" ]; then
    log "checking that docs/ holds the current module reference"
    for page in "$generated"/*.rst; do
        if ! diff -u "$REPO_ROOT/docs/$(basename "$page")" "$page"; then
            echo "docs/$(basename "$page") is out of date: run scripts/docs.sh" >&2
            exit 1
        fi
    done
    log "antsibull-docs lint-collection-docs"
    (cd "$COLLECTION_COPY" && antsibull-docs lint-collection-docs --plugin-docs --skip-rstcheck .)
else
    cp "$generated"/*.rst "$REPO_ROOT/docs/"
    log "docs/ updated"
fi
