# shellcheck shell=bash
# Sourced by the runme.sh of each target: starts the TRTC emulator on a free port of 127.0.0.1
# and stops it when the target ends, whatever happens.

EMULATOR_SCRIPT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../emulator" && pwd)/trtc_emulator.py
EMULATOR_PID=
export EMULATOR_URL=

# Keys the emulator accepts in the tests. They exist nowhere but here.
export TEST_SECRET_ID=AKIDintegrationtest0000000000000001
export TEST_SECRET_KEY=integration-secret-key-d41d8cd98f00b204
export TEST_TEMP_SECRET_ID=AKIDintegrationtemporary00000000002
export TEST_TEMP_SECRET_KEY=integration-temporary-key-e3b0c44298
export TEST_SESSION_TOKEN=integration-session-token-9f86d081884c

start_emulator() {
    local port_file=$OUTPUT_DIR/emulator.port
    rm -f "$port_file"
    python "$EMULATOR_SCRIPT" --port 0 --port-file "$port_file" \
        --credential "$TEST_SECRET_ID:$TEST_SECRET_KEY" \
        --credential "$TEST_TEMP_SECRET_ID:$TEST_TEMP_SECRET_KEY:$TEST_SESSION_TOKEN" \
        "$@" >"$OUTPUT_DIR/emulator.log" 2>&1 &
    EMULATOR_PID=$!
    trap stop_emulator EXIT
    for _ in $(seq 100); do
        [ -s "$port_file" ] && break
        sleep 0.1
    done
    if [ ! -s "$port_file" ]; then
        cat "$OUTPUT_DIR/emulator.log"
        echo "the emulator did not start" >&2
        return 1
    fi
    EMULATOR_URL="http://127.0.0.1:$(cat "$port_file")"
}

stop_emulator() {
    if [ -n "$EMULATOR_PID" ] && kill -0 "$EMULATOR_PID" 2>/dev/null; then
        kill -TERM "$EMULATOR_PID"
        wait "$EMULATOR_PID" || true
    fi
}
