#!/usr/bin/env bash
# The collection's documentation: the module reference in docs/ generated from the modules' own
# documentation, the guides in docs/docsite/rst/, and the docsite antsibull-docs builds from both.
# Usage: scripts/docs.sh            rewrite docs/*_module.rst and docs/index.rst
#        scripts/docs.sh --check    fail if they are not up to date, if antsibull-docs lint-collection-docs
#                                   finds a problem, or if the docsite does not build (CI does this)
# The docsite is built in a temporary directory; set TRTC_DOCSITE_DIR=DIR to keep it there instead
# (then open DIR/build/html/index.html).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_venv "$REPO_ROOT/tests/requirements-tools.txt"
copy_collection "$COLLECTION_ROOT" >/dev/null
export ANSIBLE_COLLECTIONS_PATH=$COLLECTION_ROOT

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 700 "$work"  # antsibull-docs wants its destination writable by its owner only
generated=$work/reference
mkdir -m 700 "$generated"
antsibull-docs collection --use-current --squash-hierarchy --fail-on-error \
    --output-format simplified-rst --no-add-antsibull-docs-version --dest-dir "$generated" tencentcloud.trtc
# The simplified index links the guides as docsite/NAME.rst, the copies it writes beside it, by their
# file names; docs/ keeps a single copy of each guide, its source in docs/docsite/rst/: link that, by title.
"$VENV/bin/python" - "$generated/index.rst" "$COLLECTION_COPY/docs/docsite/rst" <<'PY'
import os, re, sys
index, guides = sys.argv[1:]
def title(name):
    with open(os.path.join(guides, name), encoding='utf-8') as handle:
        lines = [line.rstrip() for line in handle]
    for above, below in zip(lines, lines[1:]):
        if above and re.fullmatch(r'=+', below) and len(below) >= len(above):
            return above
    return name
with open(index, encoding='utf-8') as handle:
    text = handle.read()
text = re.sub(r'`<docsite/([^>`]+\.rst)>`_', lambda m: '`%s <docsite/rst/%s>`_' % (title(m.group(1)), m.group(1)), text)
with open(index, 'w', encoding='utf-8') as handle:
    handle.write(text)
PY

if [ "${1:-}" != "--check" ]; then
    cp "$generated"/*.rst "$REPO_ROOT/docs/"
    log "docs/ updated"
    exit 0
fi

log "checking that docs/ holds the current module reference"
for page in "$generated"/*.rst; do
    if ! diff -u "$REPO_ROOT/docs/$(basename "$page")" "$page"; then
        echo "docs/$(basename "$page") is out of date: run scripts/docs.sh" >&2
        exit 1
    fi
done

log "antsibull-docs lint-collection-docs"
# Plugin docs (schema, markup, rstcheck of the generated pages), docs/docsite/ (extra-docs.yml,
# links.yml, labels, toctrees, rstcheck of the guides) and the plugin and option references in the guides.
(cd "$COLLECTION_COPY" && antsibull-docs lint-collection-docs --plugin-docs --check-extra-docs-refs \
    --validate-collection-refs dependent --disallow-unknown-collection-refs .)

log "building the docsite with antsibull-docs and Sphinx"
site=${TRTC_DOCSITE_DIR:-$work/docsite}
mkdir -p "$site/rst"
chmod og-w "$site/rst"  # antsibull-docs wants its destination writable by its owner only
antsibull-docs sphinx-init --use-current --squash-hierarchy --fail-on-error --dest-dir "$site" \
    tencentcloud.trtc >/dev/null
# What the generated build.sh does, without sphinx-build's -W: intersphinx cannot reach docs.ansible.com
# and docs.python.org without internet, and that must not fail the build. Every other warning does.
antsibull-docs --config-file "$site/antsibull-docs.cfg" collection --use-current --squash-hierarchy \
    --fail-on-error --cleanup everything --dest-dir "$site/rst" tencentcloud.trtc >/dev/null
# antsibull-docs indexes the environment variables that plugins declare as configuration; the modules read theirs
# through their options' fallbacks, so that index would stay empty: guide_environment_variables lists them instead
# (and docs/docsite/config.yml declares them, so that E(...) links there). An empty index is not published.
if grep -qx 'No environment variables have been defined.' "$site/rst/environment_variables.rst" 2>/dev/null; then
    rm "$site/rst/environment_variables.rst"
fi
warnings=$site/sphinx-warnings.log
: >"$warnings"
if ! (cd "$site" && sphinx-build -M html rst build -c . --keep-going -q -w "$warnings" >"$site/sphinx.log" 2>&1); then
    cat "$site/sphinx.log" >&2
    echo "the docsite does not build" >&2
    exit 1
fi
# Offline, intersphinx reports each unreachable inventory, and references into those inventories
# (labels of the Ansible docs such as common_return_values) stay undefined; a label of this
# collection's own docs must always resolve.
unexpected=$(awk '
    /^WARNING: failed to reach any of the inventories/ { next }
    /^intersphinx inventory / { next }
    /WARNING: undefined label: / && !/undefined label: .ansible_collections\.tencentcloud\.trtc\./ { if (offline) next }
    { print }
' offline="$(grep -c '^WARNING: failed to reach any of the inventories' "$warnings" || true)" "$warnings")
if [ -n "$unexpected" ]; then
    echo "$unexpected" >&2
    echo "the docsite build has warnings (see above)" >&2
    exit 1
fi
log "docsite built: $site/build/html/index.html$([ -n "${TRTC_DOCSITE_DIR:-}" ] || echo ' (removed on exit; set TRTC_DOCSITE_DIR to keep it)')"
