#!/usr/bin/env bash
# Runs every test of the collection, quietly: one line per stage, full logs in .work/logs/, the log
# of a failed stage shown at the end, and a closing count of everything that ran.
#   - for each ansible-core in CORE_VERSIONS: ansible-test sanity (no ignore files) and units;
#   - for the oldest, the newest release and the pre-release: ansible-test integration (real playbooks
#     over real HTTP against the emulator, which each target starts and stops itself);
#   - the docsite and module reference, ansible-lint of the examples, the demo, the built tarball.
# Usage: scripts/test-all.sh            (needs Python 3.11, 3.12 and 3.13, and access to PyPI)
#        CORE_VERSIONS="2.21" scripts/test-all.sh    only some ansible-core versions
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

CORE_VERSIONS=${CORE_VERSIONS:-$(core_versions)}
read -r -a versions <<<"$CORE_VERSIONS"
read -r -a releases <<<"$CORE_RELEASES"
# The oldest, the newest release and the pre-release, among the versions run.
INTEGRATION_VERSIONS=${INTEGRATION_VERSIONS:-"${versions[0]} ${releases[-1]} ${CORE_PRERELEASE%.*}"}
LOG_DIR=$WORK_DIR/logs
COUNT_DIR=$LOG_DIR/counts
STARTED=$SECONDS

if ls "$REPO_ROOT"/tests/sanity/ignore-*.txt >/dev/null 2>&1; then
    echo "tests/sanity/ignore-*.txt must not exist: fix the code instead" >&2
    exit 1
fi

rm -rf "$LOG_DIR"
mkdir -p "$COUNT_DIR"

# count_sanity LOG / count_units LOG / count_integration LOG STATUS: "passed failed" of a stage's log.
count_sanity() {
    local ran failed
    ran=$(grep -cE "^Running sanity test [\"']" "$1" || true)
    failed=$(sed -n 's/^FATAL: The \([0-9]*\) sanity test(s) listed below.*/\1/p' "$1" | tail -1)
    echo "$((ran - ${failed:-0})) ${failed:-0}"
}
count_units() {
    # ansible-test runs pytest once per group (controller, modules): add up every summary line.
    local passed=0 failed=0 line number word
    while read -r line; do
        while read -r number word; do
            case $word in
                passed) passed=$((passed + number)) ;;
                failed | error | errors) failed=$((failed + number)) ;;
            esac
        done < <(grep -oE '[0-9]+ (passed|failed|errors?)' <<<"$line")
    done < <(grep -E '^=+ .*[0-9]+ (passed|failed|errors?)' "$1")
    echo "$passed $failed"
}
count_integration() {
    local ran
    ran=$(grep -cE "^Running .* integration test (role|script)" "$1" || true)
    if [ "$2" = 0 ]; then echo "$ran 0"; else echo "$((ran > 0 ? ran - 1 : 0)) 1"; fi
}
count_one() { if [ "$2" = 0 ]; then echo "1 0"; else echo "0 1"; fi; }

# stage NAME COUNTER COMMAND...: runs COMMAND with its output in LOG_DIR/NAME.log and prints one line.
stage() {
    local name=$1 counter=$2 log status start counts
    shift 2
    log=$LOG_DIR/$name.log
    start=$SECONDS
    if "$@" >"$log" 2>&1; then status=0; else status=$?; fi
    counts=$("$counter" "$log" "$status")
    # A stage that failed counts at least one failure, whatever its log says.
    if [ "$status" != 0 ] && [ "${counts#* }" = 0 ]; then counts="${counts% *} 1"; fi
    echo "$counts" >"$COUNT_DIR/$name"
    if [ "$status" = 0 ]; then
        printf '  ok    %-28s %4ss  %s passed\n' "$name" "$((SECONDS - start))" "${counts% *}"
    else
        printf '  FAIL  %-28s %4ss  %s passed, %s failed  (log: %s)\n' "$name" "$((SECONDS - start))" \
            "${counts% *}" "${counts#* }" "$log"
        touch "$COUNT_DIR/$name.failed"
    fi
    return "$status"
}

# ansible_test VERSION COMMAND [ARGS...]: ansible-test of ansible-core VERSION in a copy of its own.
ansible_test() {
    local version=$1 venv python python_dir
    shift
    venv=$WORK_DIR/ansible-$version
    python=$(python_for "$version")
    python_dir=$(python_path "$python") || return 1
    (
        cd "$COLLECTION_BASE/$version/ansible_collections/tencentcloud/trtc" || exit 1
        env PATH="$venv/bin:$python_dir:$PATH" ansible-test "$@" --venv --python "$python" --color no
    )
}

# core_pipeline VERSION: sanity, units and (for some versions) integration of one ansible-core.
core_pipeline() {
    local version=$1
    stage "sanity-$version" count_sanity ansible_test "$version" sanity || true
    stage "units-$version" count_units ansible_test "$version" units || true
    if [[ " $INTEGRATION_VERSIONS " == *" $version "* ]]; then
        stage "integration-$version" count_integration ansible_test "$version" integration || true
    fi
}

prepare_version() {
    local venv
    venv=$(ensure_core_venv "$1")
    ensure_get_pip_stand_in "$venv"
    copy_collection "$COLLECTION_BASE/$1" >/dev/null
}

echo "tencentcloud.trtc tests: ansible-core ${versions[*]} (integration on $INTEGRATION_VERSIONS); logs in $LOG_DIR"
COLLECTION_BASE=${COLLECTION_ROOT%/collections}
stage prepare-tools count_one ensure_venv "$REPO_ROOT/tests/requirements-tools.txt" || exit 1
for version in "${versions[@]}"; do
    stage "prepare-$version" count_one prepare_version "$version" || exit 1
done

# Two ansible-core versions at a time: sanity is CPU-bound, integration mostly waits on the rate limit.
# The versions with integration tests go first, so the two longest pipelines run side by side, and a
# new pipeline starts as soon as any one ends.
launch_order=()
for version in "${versions[@]}"; do
    if [[ " $INTEGRATION_VERSIONS " == *" $version "* ]]; then launch_order+=("$version"); fi
done
for version in "${versions[@]}"; do
    if [[ " $INTEGRATION_VERSIONS " != *" $version "* ]]; then launch_order+=("$version"); fi
done
running=0
for version in "${launch_order[@]}"; do
    if [ "$running" -ge 2 ]; then
        wait -n || true
        running=$((running - 1))
    fi
    core_pipeline "$version" &
    running=$((running + 1))
done
wait

stage docs count_one bash "$REPO_ROOT/scripts/docs.sh" --check || true
stage lint-examples count_one bash "$REPO_ROOT/scripts/lint-examples.sh" || true
stage demo count_one bash "$REPO_ROOT/scripts/demo.sh" || true
check_tarball() {
    local tarball module name
    tarball=$(ls "$WORK_DIR"/dist/tencentcloud-trtc-*.tar.gz)
    if tar -tzf "$tarball" | grep -E '(^|/)(tests/output|\.work|\.venv|\.git)/|__pycache__'; then
        echo "$tarball holds files it must not" >&2
        return 1
    fi
    for module in "$REPO_ROOT"/plugins/modules/*.py; do
        name=tencentcloud.trtc.$(basename "$module" .py)
        ANSIBLE_COLLECTIONS_PATH=$WORK_DIR/installed ansible-doc "$name" | grep -q "$name" \
            || { echo "ansible-doc cannot show $name" >&2; return 1; }
    done
}
stage tarball count_one check_tarball || true

# install_on VERSION: the built tarball installs with that ansible-core's ansible-galaxy, with no override of
# requires_ansible (2.21 and later refuse a collection that excludes them), and ansible-doc shows its modules.
install_on() {
    local venv=$WORK_DIR/ansible-$1 target module name
    target=$WORK_DIR/installed-$1
    rm -rf "$target"
    env -u ANSIBLE_COLLECTIONS_ON_ANSIBLE_VERSION_MISMATCH ANSIBLE_COLLECTIONS_PATH="$target" \
        "$venv/bin/ansible-galaxy" collection install -p "$target" "$WORK_DIR"/dist/tencentcloud-trtc-*.tar.gz || return 1
    for module in "$REPO_ROOT"/plugins/modules/*.py; do
        name=tencentcloud.trtc.$(basename "$module" .py)
        ANSIBLE_COLLECTIONS_PATH=$target "$venv/bin/ansible-doc" "$name" | grep -q "$name" \
            || { echo "ansible-doc of ansible-core $1 cannot show $name" >&2; return 1; }
    done
}
for version in "${versions[@]}"; do
    stage "install-$version" count_one install_on "$version" || true
done

# antsibull-nox: the action group lists every module (and no other), no unwanted files, and the built
# collection passes galaxy-importer as on a Galaxy upload (its container-based ansible-test turned off).
count_nox() {
    local passed failed
    passed=$(grep -cE '^nox > \* [a-z-]+: success' "$1" || true)
    failed=$(grep -cE '^nox > \* [a-z-]+: (failed|aborted)' "$1" || true)
    echo "$passed $failed"
}
run_nox() { (cd "$REPO_ROOT" && nox --no-color -e extra-checks build-import-check); }
stage antsibull-nox count_nox run_nox || true

for failed in "$COUNT_DIR"/*.failed; do
    [ -e "$failed" ] || continue
    name=$(basename "$failed" .failed)
    printf '\n---- %s: the end of %s ----\n' "$name" "$LOG_DIR/$name.log"
    grep -vE '^(Running sanity test|WARNING: Skipping|Sanity test|Installing requirements|Using cached|Looking in links|Processing|Successfully installed)' \
        "$LOG_DIR/$name.log" | tail -60
done

passed=0
failed=0
for counts in "$COUNT_DIR"/*; do
    case $counts in *.failed) continue ;; esac
    stage_passed='' stage_failed=''
    read -r stage_passed stage_failed <"$counts" || true
    passed=$((passed + ${stage_passed:-0}))
    failed=$((failed + ${stage_failed:-1}))
done
printf '\nall stages took %d s\n' "$((SECONDS - STARTED))"
printf 'trtc: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" = 0 ]
