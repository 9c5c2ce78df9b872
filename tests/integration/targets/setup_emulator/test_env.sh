# shellcheck shell=bash
# Sourced by the runme.sh of each target: the keys the emulator accepts in the tests, and
# start_test_emulator, which starts the emulator with them and stops it when the target ends.

SETUP_EMULATOR_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/integration/targets/setup_emulator/emulator.sh
source "$SETUP_EMULATOR_DIR/emulator.sh"

# They exist nowhere but here.
export TEST_SECRET_ID=AKIDintegrationtest0000000000000001
export TEST_SECRET_KEY=integration-secret-key-d41d8cd98f00b204
export TEST_TEMP_SECRET_ID=AKIDintegrationtemporary00000000002
export TEST_TEMP_SECRET_KEY=integration-temporary-key-e3b0c44298
export TEST_SESSION_TOKEN=integration-session-token-9f86d081884c
export TEST_SDK_APP_ID=1400188366
export TEST_SDK_SECRET_KEY=integration-sdk-secret-key-5feceb66ffc8

TEST_REDIS_PID=
HELD_PORT_PID=

# stop_test_servers: what start_test_emulator, start_test_redis and hold_port started (each sets it to run
# when the target ends).
stop_test_servers() {
    if [ -n "$TEST_REDIS_PID" ]; then kill "$TEST_REDIS_PID" 2>/dev/null || true; fi
    if [ -n "$HELD_PORT_PID" ]; then kill "$HELD_PORT_PID" 2>/dev/null || true; fi
    stop_emulator
}

start_test_emulator() {
    trap stop_test_servers EXIT
    start_emulator "$OUTPUT_DIR" \
        --credential "$TEST_SECRET_ID:$TEST_SECRET_KEY" \
        --credential "$TEST_TEMP_SECRET_ID:$TEST_TEMP_SECRET_KEY:$TEST_SESSION_TOKEN" \
        --sdk-secret-key "$TEST_SDK_APP_ID:$TEST_SDK_SECRET_KEY" "$@"
}

# export_test_connection: the modules' credentials, region, SDK secret key and endpoint (the emulator started last)
# in their environment variables, for the targets whose playbooks name none.
export_test_connection() {
    export TENCENTCLOUD_SECRET_ID=$TEST_SECRET_ID TENCENTCLOUD_SECRET_KEY=$TEST_SECRET_KEY
    export TENCENTCLOUD_REGION=ap-singapore TENCENTCLOUD_TRTC_ENDPOINT=$EMULATOR_URL
    export TENCENTCLOUD_TRTC_SDK_SECRET_KEY=$TEST_SDK_SECRET_KEY
}

# start_test_redis PASSWORD: a real redis-server with that password on a free loopback port (TEST_REDIS_PORT),
# nothing saved, in OUTPUT_DIR/redis, stopped when the target ends. A port found free may be taken before the
# server binds it (by the tests of another ansible-core running at the same time): the server then exits and
# another port is tried. A connection alone could reach that other server: the one answering must be ours.
start_test_redis() {
    local attempt
    mkdir -p "$OUTPUT_DIR/redis"
    trap stop_test_servers EXIT
    for attempt in 1 2 3 4 5; do
        TEST_REDIS_PORT=$(check port)
        redis-server --port "$TEST_REDIS_PORT" --bind 127.0.0.1 --requirepass "$1" --save '' --appendonly no \
            --daemonize no --dir "$OUTPUT_DIR/redis" --logfile "$OUTPUT_DIR/redis/redis.log" &
        TEST_REDIS_PID=$!
        for _ in $(seq 50); do
            kill -0 "$TEST_REDIS_PID" 2>/dev/null || break  # gone: its port was taken
            python - "$TEST_REDIS_PORT" "$1" "$TEST_REDIS_PID" 2>/dev/null <<'PY' && return 0
import sys, redis
port, password, pid = sys.argv[1:]
client = redis.Redis(host='127.0.0.1', port=int(port), password=password, socket_timeout=2, socket_connect_timeout=2)
sys.exit(client.info('server')['process_id'] != int(pid))
PY
            sleep 0.1
        done
        if kill -0 "$TEST_REDIS_PID" 2>/dev/null; then
            break  # running but not answering: no other port will help
        fi
    done
    echo "redis-server did not listen on port $TEST_REDIS_PORT (attempt $attempt)" >&2
    return 1
}

# hold_port: HELD_PORT, a loopback port bound (SO_REUSEADDR) but not listening until the target ends. A connection
# to it is refused until a server of the target listens there (binding with SO_REUSEADDR, as aiohttp does); no
# other process can take it meanwhile, as it could a port only found free (the tests of another ansible-core may
# run at the same time).
hold_port() {
    local told=$OUTPUT_DIR/held-port
    rm -f "$told"
    python - "$told" <<'PY' &
import os, socket, sys, time
holder = socket.socket()
holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
holder.bind(('127.0.0.1', 0))
with open(sys.argv[1] + '.part', 'w') as handle:
    handle.write(str(holder.getsockname()[1]))
os.rename(sys.argv[1] + '.part', sys.argv[1])
time.sleep(24 * 3600)
PY
    HELD_PORT_PID=$!
    trap stop_test_servers EXIT
    for _ in $(seq 200); do
        [ -f "$told" ] && break
        sleep 0.05
    done
    export HELD_PORT
    HELD_PORT=$(cat "$told")
}

# check COMMAND ARGS...: drive the emulator and hold the record against it (see emulator_check.py).
check() { python "$SETUP_EMULATOR_DIR/emulator_check.py" "$@"; }

# descendants PID: every process below PID (Ansible's workers call setsid, so a process group or
# session does not find them all; parenthood does).
descendants() {
    local child
    for child in $(ps -o pid= --ppid "$1"); do
        echo "$child"
        descendants "$child"
    done
}

# kill_tree PID: a crash of PID and every process below it, all at once (stopped first, so none
# starts another meanwhile); then reaps PID.
kill_tree() {
    local tree
    tree="$1 $(descendants "$1")"
    # shellcheck disable=SC2086
    kill -STOP $tree 2>/dev/null || true
    # shellcheck disable=SC2086
    kill -KILL $tree 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}
