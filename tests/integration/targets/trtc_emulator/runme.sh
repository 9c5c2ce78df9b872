#!/usr/bin/env bash
# The emulator answers the official clients (the SDK and tccli) as the service would: their
# requests succeed with the right key and fail with a wrong one. Its signature check is its own.
set -eux
source ../setup_emulator/test_env.sh
start_test_emulator --task 1400188366:task-sdk
python official_clients.py "$EMULATOR_URL"
# official_clients.py ends by filling the rate window of DescribeStreamIngest: start a fresh one.
python -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + "/_emulator/reset", data=b"{}")' "$EMULATOR_URL"

tccli() {
    python -c 'import sys; from tccli.main import main; sys.exit(main())' "$@"
}
export HOME=$OUTPUT_DIR/tccli-home
mkdir -p "$HOME"
tccli trtc DescribeStreamIngest --SdkAppId 1400188366 --TaskId task-sdk --region ap-singapore \
    --secretId "$TEST_SECRET_ID" --secretKey "$TEST_SECRET_KEY" --endpoint "$EMULATOR_URL" >"$OUTPUT_DIR/tccli.out"
grep -q '"Status": "InProgress"' "$OUTPUT_DIR/tccli.out"
tccli trtc UpdateStreamIngest --SdkAppId 1400188366 --TaskId task-sdk --Volume 33 --IsPause True \
    --region ap-singapore --secretId "$TEST_SECRET_ID" --secretKey "$TEST_SECRET_KEY" --endpoint "$EMULATOR_URL"
curl_state=$(python -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1] + "/_emulator/state").read().decode())' "$EMULATOR_URL")
python -c 'import json, sys; task = json.loads(sys.argv[1])["tasks"][0]; assert (task["volume"], task["paused"]) == (33, True), task' "$curl_state"
if tccli trtc DescribeStreamIngest --SdkAppId 1400188366 --TaskId task-sdk --region ap-singapore \
        --secretId "$TEST_SECRET_ID" --secretKey wrong-key --endpoint "$EMULATOR_URL" >"$OUTPUT_DIR/tccli-wrong.out" 2>&1; then
    echo "tccli with a wrong key must fail" >&2
    exit 1
fi
grep -q 'AuthFailure.SignatureFailure' "$OUTPUT_DIR/tccli-wrong.out"

# Malformed, oversized and slow requests get an API error or a 4xx, never a traceback or a dropped
# connection: a fresh emulator with a short idle timeout and every request logged.
stop_emulator
mv "$OUTPUT_DIR/emulator.log" "$OUTPUT_DIR/emulator-clients.log"
if grep -q Traceback "$OUTPUT_DIR/emulator-clients.log"; then
    echo "the emulator printed a traceback while serving the official clients" >&2
    exit 1
fi
start_test_emulator --verbose --idle-timeout 1
python robustness.py "$EMULATOR_URL" "$OUTPUT_DIR/emulator.log" --idle-timeout 1

# The launcher of an installed collection: the collection's playbook starts, answers and stops it.
stop_emulator
launcher_dir=$OUTPUT_DIR/launcher
ansible-playbook tencentcloud.trtc.emulator -e emulator_port=0 -e "emulator_dir=$launcher_dir" >"$OUTPUT_DIR/launcher.log"
launcher_url="http://127.0.0.1:$(cat "$launcher_dir/emulator.port")"
grep -q "TRTC emulator listening on $launcher_url" "$OUTPUT_DIR/launcher.log"
python -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + "/_emulator/state").read()' "$launcher_url"
ansible-playbook tencentcloud.trtc.emulator -e emulator_state=stopped -e "emulator_dir=$launcher_dir"
if python -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + "/_emulator/state", timeout=2)' \
        "$launcher_url" 2>/dev/null; then
    echo "the emulator still answers after the launcher stopped it" >&2
    exit 1
fi
