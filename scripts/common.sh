# shellcheck shell=bash
# Shared by scripts/demo.sh and scripts/test-all.sh: a virtual environment with ansible-core,
# a copy of the collection where ansible-test wants it, and the emulator's start and stop.
# Everything lives under .work/ (git-ignored), outside the collection copy.

set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK_DIR=${TRTC_WORK_DIR:-$REPO_ROOT/.work}
VENV=$WORK_DIR/venv
# The ansible-core releases the collection claims and tests (oldest first), and the newest pre-release
# on PyPI, which stands in for devel: when a newer one appears, this one line changes.
CORE_RELEASES="2.18 2.19 2.20 2.21"
CORE_PRERELEASE=2.22.0rc1
# Outside the git work tree: inside it, ansible-test would list files with git and skip ignored ones.
COLLECTION_ROOT=${TRTC_COLLECTION_ROOT:-${TMPDIR:-/tmp}/tencentcloud-trtc-$(id -u)/collections}
COLLECTION_COPY=$COLLECTION_ROOT/ansible_collections/tencentcloud/trtc

log() { printf '\n==> %s\n' "$*"; }

# ensure_venv [REQUIREMENTS_FILE...]: the venv with requirements-dev.txt and the files given installed.
# Its Python is $PYTHON if set, else the newest of 3.13 and 3.12 found (the newest ansible-core release needs 3.12).
ensure_venv() {
    local requirements python_bin=${PYTHON:-}
    if [ -z "$python_bin" ]; then
        python_bin=$(tools_python) || return 1
    fi
    if [ -x "$VENV/bin/python" ] && ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then
        log "replacing $VENV, made with a Python older than 3.12"
        rm -rf "$VENV"
    fi
    if [ ! -x "$VENV/bin/python" ]; then
        log "creating the virtual environment $VENV with $python_bin"
        "$python_bin" -m venv "$VENV"
    fi
    for requirements in "$REPO_ROOT/requirements-dev.txt" "$@"; do
        local stamp
        stamp=$VENV/.installed-$(basename "$requirements")
        if ! cmp -s "$requirements" "$stamp"; then
            log "installing $(basename "$requirements") into $VENV"
            "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
            cp "$requirements" "$stamp"
        fi
    done
    export PATH="$VENV/bin:$PATH"
}

# ansible-test bootstraps pip in each of its venvs with a get-pip script from a host that may be
# unreachable; it first looks in its cache, so put a stand-in there that installs from a pip wheel
# (and takes what else ansible-test asks for, such as setuptools for ansible-core 2.17, from PyPI).
# ensure_get_pip_stand_in [VENV]: for the ansible-test of VENV (default: the tools venv).
ensure_get_pip_stand_in() {
    local venv=${1:-$VENV} version cache
    version=$("$venv/bin/python" - <<'PY'
import ansible_test._internal.python_requirements as r
import inspect, re
print(re.search(r"pip='([0-9.]+)'", inspect.getsource(r.get_venv_packages)).group(1))
PY
)
    cache=$HOME/.ansible/test/cache
    mkdir -p "$cache"
    if [ ! -f "$cache/pip-$version-py3-none-any.whl" ]; then
        "$venv/bin/python" -m pip download --quiet --disable-pip-version-check --no-deps -d "$cache" "pip==$version"
    fi
    cat > "$cache/get_pip_${version//./_}.py" <<PY
# Stand-in for get-pip.py written by tencentcloud.trtc's scripts/common.sh: installs pip $version from a local wheel.
import os, sys
cache = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(cache, 'pip-$version-py3-none-any.whl'))
from pip._internal.cli.main import main
args = [arg for arg in sys.argv[1:] if arg not in ('--no-setuptools', '--no-wheel')]
sys.exit(main(['install', '--find-links', cache] + args))
PY
}

# tools_python: the Python of .work/venv, 3.12 or 3.13 (found as python_path finds them).
tools_python() {
    local version dir
    for version in 3.12 3.13; do
        if dir=$(python_path "$version" 2>/dev/null); then
            echo "$dir/python$version"
            return
        fi
    done
    echo "no python3.12 or python3.13 found (install one, e.g. with pyenv)" >&2
    return 1
}

# ansible-test of a pre-release may pin a sanity requirement to an archive on github.com (2.22.0rc1 pins dill so),
# which this machine cannot reach: such a pin is replaced by the package's newest release on PyPI.
# ensure_pypi_sanity_requirements VENV
ensure_pypi_sanity_requirements() {
    local requirements
    requirements=$("$1/bin/python" -c 'import ansible_test, os; print(os.path.join(os.path.dirname(ansible_test.__file__), "_data", "requirements"))')
    sed -i -E 's#^([A-Za-z0-9_.-]+) @ https://github\.com/.*$#\1#' "$requirements"/sanity.*.txt
}

# python_for VERSION: the Python that runs ansible-core VERSION here (2.20 and 2.21 need 3.12 or later,
# 2.22 needs 3.13).
python_for() {
    case $1 in
        2.18 | 2.19) echo 3.11 ;;
        2.20 | 2.21) echo 3.12 ;;
        *) echo 3.13 ;;
    esac
}

# core_requirement VERSION: what pip installs for ansible-core VERSION (X.Y, or the pre-release's X.Y).
core_requirement() {
    if [ "$1" = "${CORE_PRERELEASE%.*}" ]; then
        echo "ansible-core==$CORE_PRERELEASE"
    else
        echo "ansible-core==$1.*"
    fi
}

# core_versions: every ansible-core tested, the pre-release last, as X.Y.
core_versions() { echo "$CORE_RELEASES ${CORE_PRERELEASE%.*}"; }

# python_path PYTHON_VERSION: a directory holding pythonX.Y (pyenv's shims refuse a version not selected).
python_path() {
    local root
    if command -v "python$1" >/dev/null 2>&1 && "python$1" --version >/dev/null 2>&1; then
        dirname "$(command -v "python$1")"
        return
    fi
    root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
    for dir in "$root"/versions/"$1".*/bin; do
        [ -x "$dir/python$1" ] && { echo "$dir"; return; }
    done
    echo "no python$1 found (install it, e.g. with pyenv)" >&2
    return 1
}

# ensure_core_venv VERSION: .work/ansible-VERSION, a venv with ansible-core VERSION.* and requests;
# reused while its requirements stay the same. Prints its path.
ensure_core_venv() {
    local version=$1 python venv stamp wanted requirement
    python=$(python_for "$version")
    venv=$WORK_DIR/ansible-$version
    requirement=$(core_requirement "$version")
    wanted="$requirement requests python$python"
    stamp=$venv/.installed
    if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
        rm -rf "$venv"
        "$(python_path "$python")/python$python" -m venv "$venv"
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$requirement" requests
        ensure_pypi_sanity_requirements "$venv"
        echo "$wanted" >"$stamp"
    fi
    echo "$venv"
}

# ansible-test needs the collection under ansible_collections/<namespace>/<name>/ (a symlink does not do).
# copy_collection [ROOT]: a fresh copy under ROOT (default COLLECTION_ROOT); sets COLLECTION_COPY.
copy_collection() {
    local root=${1:-$COLLECTION_ROOT}
    COLLECTION_COPY=$root/ansible_collections/tencentcloud/trtc
    log "copying the collection to $COLLECTION_COPY"
    cd "$REPO_ROOT" || return 1  # the old copy may be the working directory
    rm -rf "$COLLECTION_COPY"
    mkdir -p "$COLLECTION_COPY"
    tar -C "$REPO_ROOT" --exclude=./.work --exclude=./.venv --exclude=./.git --exclude=./.nox --exclude=./tests/output \
        --exclude=./tests/integration/inventory --exclude='__pycache__' --exclude='*.tar.gz' -cf - . \
        | tar -C "$COLLECTION_COPY" -xf -
}

# start_emulator DIR [FLAGS...] and stop_emulator, shared with the integration targets.
# shellcheck source=tests/integration/targets/setup_emulator/emulator.sh
source "$REPO_ROOT/tests/integration/targets/setup_emulator/emulator.sh"
EMULATOR_PYTHON=$VENV/bin/python
