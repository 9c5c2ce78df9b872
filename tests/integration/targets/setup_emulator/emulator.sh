# shellcheck shell=bash
# Start and stop the TRTC emulator from bash, the one way the demo, the integration targets and the
# benchmark all start it (the emulator's own --background and --stop); sourced by the targets
# (through test_env.sh) and by scripts/common.sh.
#   start_emulator DIR [EMULATOR FLAGS...]  listens on a free port of 127.0.0.1, keeps its port, pid, log
#                                           (emulator.log) and control token (emulator.token) in DIR, sets
#                                           EMULATOR_URL, EMULATOR_DIR and EMULATOR_TOKEN
#   emulator_control WHAT [JSON]            a control request to $EMULATOR_URL with $EMULATOR_TOKEN (GET state;
#                                           POST reset, tasks, faults, end, callbacks with JSON, default {}); prints the answer
#   stop_emulator                           stops it, if it runs
# EMULATOR_PYTHON names the interpreter (default: python).

EMULATOR_SCRIPT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../../emulator" && pwd)/trtc_emulator.py
EMULATOR_DIR=
EMULATOR_URL=
EMULATOR_TOKEN=

start_emulator() {
    local dir=$1
    shift
    EMULATOR_URL=$("${EMULATOR_PYTHON:-python}" "$EMULATOR_SCRIPT" --background --state-dir "$dir" --port 0 "$@") \
        || return 1
    EMULATOR_DIR=$dir
    EMULATOR_TOKEN=$(cat "$dir/emulator.token") || return 1
    export EMULATOR_URL EMULATOR_TOKEN
}

emulator_control() {
    "${EMULATOR_PYTHON:-python}" - "$EMULATOR_URL" "$@" <<'PY'
import os
import sys
import urllib.request

url, what = sys.argv[1:3]
data = None if what == 'state' else (sys.argv[3] if len(sys.argv) > 3 else '{}').encode('utf-8')
request = urllib.request.Request('%s/_emulator/%s' % (url, what), data=data, headers={
    'Content-Type': 'application/json', 'X-Emulator-Token': os.environ.get('EMULATOR_TOKEN', '')})
with urllib.request.urlopen(request, timeout=30) as reply:
    print(reply.read().decode('utf-8'))
PY
}

stop_emulator() {
    if [ -n "$EMULATOR_DIR" ]; then
        "${EMULATOR_PYTHON:-python}" "$EMULATOR_SCRIPT" --stop --state-dir "$EMULATOR_DIR"
    fi
    EMULATOR_DIR=
}
