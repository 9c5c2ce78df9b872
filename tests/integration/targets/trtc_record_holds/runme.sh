#!/usr/bin/env bash
# What the record holds, shown and kept exact, over real HTTP against the emulator: the operator's day (list,
# a relay started elsewhere refused then adopted, an exclusive set) and a move of the local record into a real
# redis-server and back, on both execution paths.
set -euxo pipefail
source ../setup_emulator/test_env.sh
start_test_emulator

export_test_connection
export COLUMNS=10000

for in_process in 1 0; do
    TENCENTCLOUD_TRTC_IN_PROCESS=$in_process TENCENTCLOUD_TRTC_RECORD_FILE=$OUTPUT_DIR/record-$in_process.json \
        ansible-playbook -i "$INVENTORY_PATH" -e "emulator_url=$EMULATOR_URL" day.yml "$@"
done

if ! command -v redis-server >/dev/null 2>&1; then
    echo "SKIPPED the move: redis-server is not installed (Debian: apt-get install redis-server; .ci/run installs it)"
    exit 0
fi
REDIS_PASSWORD=integration-redis-pass-9a1f0c
start_test_redis "$REDIS_PASSWORD"
redis_port=$TEST_REDIS_PORT
export TENCENTCLOUD_TRTC_RECORD_STORE_URL="redis://:$REDIS_PASSWORD@127.0.0.1:$redis_port/0"
for in_process in 1 0; do
    TENCENTCLOUD_TRTC_IN_PROCESS=$in_process TENCENTCLOUD_TRTC_RECORD_FILE=$OUTPUT_DIR/move-$in_process.json \
        ansible-playbook -i "$INVENTORY_PATH" -e "emulator_url=$EMULATOR_URL" move.yml "$@"
done
