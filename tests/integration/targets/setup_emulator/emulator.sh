# shellcheck shell=bash
# Start and stop the TRTC emulator from bash, the one way the demo, the integration targets and the
# benchmark all start it (the emulator's own --background and --stop); sourced by the targets
# (through test_env.sh) and by scripts/common.sh.
#   start_emulator DIR [EMULATOR FLAGS...]  listens on a free port of 127.0.0.1, keeps its port, pid and
#                                           log (emulator.log) in DIR, sets EMULATOR_URL and EMULATOR_DIR
#   stop_emulator                           stops it, if it runs
# EMULATOR_PYTHON names the interpreter (default: python).

EMULATOR_SCRIPT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../../emulator" && pwd)/trtc_emulator.py
EMULATOR_DIR=
EMULATOR_URL=

start_emulator() {
    local dir=$1
    shift
    EMULATOR_URL=$("${EMULATOR_PYTHON:-python}" "$EMULATOR_SCRIPT" --background --state-dir "$dir" --port 0 "$@") \
        || return 1
    EMULATOR_DIR=$dir
    export EMULATOR_URL
}

stop_emulator() {
    if [ -n "$EMULATOR_DIR" ]; then
        "${EMULATOR_PYTHON:-python}" "$EMULATOR_SCRIPT" --stop --state-dir "$EMULATOR_DIR"
    fi
    EMULATOR_DIR=
}
