# shellcheck shell=bash
# Start and stop the TRTC emulator from bash; sourced by the integration targets (through
# test_env.sh) and by scripts/common.sh (the demo).
#   start_emulator DIR [EMULATOR FLAGS...]  listens on a free port of 127.0.0.1, logs to DIR/emulator.log,
#                                           sets EMULATOR_URL and EMULATOR_PID
#   stop_emulator                           stops it, if it runs
# EMULATOR_PYTHON names the interpreter (default: python).

EMULATOR_SCRIPT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../emulator" && pwd)/trtc_emulator.py
EMULATOR_PID=
EMULATOR_URL=

start_emulator() {
    local dir=$1 port_file
    shift
    port_file=$dir/emulator.port
    rm -f "$port_file"
    "${EMULATOR_PYTHON:-python}" "$EMULATOR_SCRIPT" --port 0 --port-file "$port_file" "$@" \
        >"$dir/emulator.log" 2>&1 &
    EMULATOR_PID=$!
    for _ in $(seq 100); do
        [ -s "$port_file" ] && break
        sleep 0.1
    done
    if [ ! -s "$port_file" ]; then
        cat "$dir/emulator.log"
        echo "the emulator did not start" >&2
        return 1
    fi
    EMULATOR_URL="http://127.0.0.1:$(cat "$port_file")"
    export EMULATOR_URL
}

stop_emulator() {
    if [ -n "$EMULATOR_PID" ] && kill -0 "$EMULATOR_PID" 2>/dev/null; then
        kill -TERM "$EMULATOR_PID"
        wait "$EMULATOR_PID" || true
    fi
    EMULATOR_PID=
}
