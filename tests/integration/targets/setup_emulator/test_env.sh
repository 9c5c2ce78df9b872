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

# stop_test_servers: what start_test_emulator and start_test_redis started (each sets it to run when the target ends).
stop_test_servers() {
    if [ -n "$TEST_REDIS_PID" ]; then kill "$TEST_REDIS_PID" 2>/dev/null || true; fi
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

# start_test_redis PORT PASSWORD: a real redis-server on that loopback port with that password, nothing saved, in
# OUTPUT_DIR/redis, stopped when the target ends.
start_test_redis() {
    mkdir -p "$OUTPUT_DIR/redis"
    redis-server --port "$1" --bind 127.0.0.1 --requirepass "$2" --save '' --appendonly no \
        --daemonize no --dir "$OUTPUT_DIR/redis" --logfile "$OUTPUT_DIR/redis/redis.log" &
    TEST_REDIS_PID=$!
    trap stop_test_servers EXIT
    for _ in $(seq 50); do
        python -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$1" \
            2>/dev/null && return 0
        sleep 0.1
    done
    echo "redis-server did not listen on port $1" >&2
    return 1
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
