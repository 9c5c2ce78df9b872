#!/usr/bin/env bash
# The emulator answers the official clients (the SDK and tccli) as the service would: their
# requests succeed with the right key and fail with a wrong one. Its signature check is its own.
set -eux
source ../setup_emulator/test_env.sh
# The SDK secret key of application 1400188366 in these tests (test_env.sh's, else this one; it exists
# nowhere but here). UserSigs are made by the official generator, tls-sig-api-v2.
export TEST_SDK_SECRET_KEY=${TEST_SDK_SECRET_KEY:-integration-sdk-secret-key-5feceb66ffc8}
start_test_emulator --task 1400188366:task-sdk --sdk-secret-key "1400188366:$TEST_SDK_SECRET_KEY"
python official_clients.py "$EMULATOR_URL"
# official_clients.py ends by filling the rate window of DescribeStreamIngest: start a fresh one.
emulator_control reset >/dev/null

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
curl_state=$(emulator_control state)
python -c 'import json, sys; task = [t for t in json.loads(sys.argv[1])["tasks"] if t["task_id"] == "task-sdk"][0]; assert (task["volume"], task["paused"]) == (33, True), task' "$curl_state"
if tccli trtc DescribeStreamIngest --SdkAppId 1400188366 --TaskId task-sdk --region ap-singapore \
        --secretId "$TEST_SECRET_ID" --secretKey wrong-key --endpoint "$EMULATOR_URL" >"$OUTPUT_DIR/tccli-wrong.out" 2>&1; then
    echo "tccli with a wrong key must fail" >&2
    exit 1
fi
grep -q 'AuthFailure.SignatureFailure' "$OUTPUT_DIR/tccli-wrong.out"

# tccli starts a relay with a UserSig made by the official generator, if this tccli has the action.
if tccli trtc StartStreamIngest help >/dev/null 2>&1; then
    sig=$(python -c 'import os; from TLSSigAPIv2 import TLSSigAPIv2
print(TLSSigAPIv2(1400188366, os.environ["TEST_SDK_SECRET_KEY"]).gen_sig("tccli-cam", 600))')
    tccli trtc StartStreamIngest --SdkAppId 1400188366 --RoomId 4321 --RoomIdType 1 --UserId tccli-cam \
        --UserSig "$sig" --StreamUrl https://example.com/live/tccli.flv --RepeatNum -1 --MaxDuration 30 \
        --AutoPush False --Volume 60 --region ap-singapore --secretId "$TEST_SECRET_ID" --secretKey "$TEST_SECRET_KEY" \
        --endpoint "$EMULATOR_URL" >"$OUTPUT_DIR/tccli-start.out"
    curl_state=$(emulator_control state)
    python - "$OUTPUT_DIR/tccli-start.out" "$curl_state" <<'PY'
import json, re, sys
task_id = json.load(open(sys.argv[1]))['TaskId']
assert re.match(r'^[A-Za-z0-9+/=.]{60,}$', task_id) and all(c in task_id for c in '+/.'), task_id
task = [t for t in json.loads(sys.argv[2])['tasks'] if t['task_id'] == task_id][0]
wanted = {'room_id': '4321', 'room_id_type': 1, 'user_id': 'tccli-cam', 'repeat_num': -1, 'max_duration': 30,
          'auto_push': False, 'volume': 60, 'stream_url': 'https://example.com/live/tccli.flv'}
assert dict((name, task[name]) for name in wanted) == wanted, task
PY
else
    echo "NOTE: this tccli has no 'trtc StartStreamIngest': its Start check is skipped"
fi

stop_emulator
mv "$OUTPUT_DIR/emulator.log" "$OUTPUT_DIR/emulator-clients.log"
if grep -q Traceback "$OUTPUT_DIR/emulator-clients.log"; then
    echo "the emulator printed a traceback while serving the official clients" >&2
    exit 1
fi

# A seed file alone: the example one (its demo API key and its SDK secret key for 1400188366), then one
# with tasks, one of them naming its room and robot user, and SDK secret keys for two applications.
example_seed=$(dirname "$EMULATOR_SCRIPT")/../examples/emulator_seed.json
start_emulator "$OUTPUT_DIR/seeded" --seed "$example_seed"
python official_clients.py "$EMULATOR_URL" --seeded "$example_seed"
stop_emulator
cat >"$OUTPUT_DIR/seed.json" <<EOF
{"credentials": [{"secret_id": "$TEST_SECRET_ID", "secret_key": "$TEST_SECRET_KEY"}],
 "sdk_secret_keys": {"1400188366": "$TEST_SDK_SECRET_KEY", "1400000002": "another-sdk-secret-key"},
 "tasks": [{"sdk_app_id": 1400188366, "task_id": "task-seeded", "volume": 40},
           {"sdk_app_id": 1400000002, "task_id": "task-seeded-room", "room_id": "room-7", "room_id_type": 0,
            "user_id": "relay-cam-7"}]}
EOF
start_emulator "$OUTPUT_DIR/seeded-tasks" --seed "$OUTPUT_DIR/seed.json"
python official_clients.py "$EMULATOR_URL" --seeded "$OUTPUT_DIR/seed.json"
stop_emulator

# SDK secret keys that are not SDK_APP_ID:KEY are refused, on the command line and in a seed.
for bad in nokey :key 0:key abc:key 1400188366:; do
    if timeout 10 python "$EMULATOR_SCRIPT" --port 0 --sdk-secret-key "$bad" 2>"$OUTPUT_DIR/bad-key.err"; then
        echo "--sdk-secret-key $bad was accepted" >&2
        exit 1
    fi
    grep -q 'SDK_APP_ID:SDK_SECRET_KEY' "$OUTPUT_DIR/bad-key.err"
done
for keys in '[]' '{"abc": "key"}' '{"1400188366": ""}' '{"1400188366": 5}' '{"0": "key"}'; do
    echo "{\"sdk_secret_keys\": $keys}" >"$OUTPUT_DIR/bad-seed.json"
    if timeout 10 python "$EMULATOR_SCRIPT" --port 0 --seed "$OUTPUT_DIR/bad-seed.json" 2>"$OUTPUT_DIR/bad-key.err"; then
        echo "a seed with sdk_secret_keys $keys was accepted" >&2
        exit 1
    fi
    grep -q 'sdk_secret_keys' "$OUTPUT_DIR/bad-key.err"
done

# No SDK secret key given: the demo one, for every SdkAppId.
start_emulator "$OUTPUT_DIR/demo" --credential "$TEST_SECRET_ID:$TEST_SECRET_KEY"
python official_clients.py "$EMULATOR_URL" --demo-sdk-key
stop_emulator

# The China site (--site china): its regions, Volume up to 200, Tempo, EnableProgress and IdleTimeout,
# sent by the official SDK; then by tccli once, if this build of tccli knows Tempo.
start_emulator "$OUTPUT_DIR/china" --site china --task 1400188366:task-cn \
    --credential "$TEST_SECRET_ID:$TEST_SECRET_KEY" \
    --credential "$TEST_TEMP_SECRET_ID:$TEST_TEMP_SECRET_KEY:$TEST_SESSION_TOKEN" \
    --sdk-secret-key "1400188366:$TEST_SDK_SECRET_KEY"
python official_clients.py "$EMULATOR_URL" --china
if tccli trtc UpdateStreamIngest help 2>/dev/null | grep -q Tempo; then
    tccli trtc UpdateStreamIngest --SdkAppId 1400188366 --TaskId task-cn --Volume 150 --Tempo 1.5 --EnableProgress True \
        --region ap-beijing --secretId "$TEST_SECRET_ID" --secretKey "$TEST_SECRET_KEY" --endpoint "$EMULATOR_URL"
    curl_state=$(emulator_control state)
    python -c 'import json, sys; task = [t for t in json.loads(sys.argv[1])["tasks"] if t["task_id"] == "task-cn"][0]; assert (task["volume"], task["tempo"], task["enable_progress"]) == (150, 1.5, True), task' "$curl_state"
else
    echo "NOTE: this tccli does not know Tempo (an international build?): its China site check is skipped"
fi
stop_emulator

# A seed naming the China site, with a task holding a tempo; a seed's site must be intl or china, and a
# tempo needs the China site.
cat >"$OUTPUT_DIR/seed-china.json" <<EOF
{"site": "china", "credentials": [{"secret_id": "$TEST_SECRET_ID", "secret_key": "$TEST_SECRET_KEY"}],
 "sdk_secret_keys": {"1400188366": "$TEST_SDK_SECRET_KEY"},
 "tasks": [{"sdk_app_id": 1400188366, "task_id": "task-seeded-cn", "volume": 180, "tempo": 1.25,
            "enable_progress": true}]}
EOF
start_emulator "$OUTPUT_DIR/seeded-china" --seed "$OUTPUT_DIR/seed-china.json"
python official_clients.py "$EMULATOR_URL" --seeded "$OUTPUT_DIR/seed-china.json"
stop_emulator
refused_seed() {  # refused_seed SEED_FILE MESSAGE [FLAGS...]: the emulator does not start, saying MESSAGE
    local seed=$1 message=$2
    shift 2
    if timeout 10 python "$EMULATOR_SCRIPT" --port 0 --seed "$seed" "$@" 2>"$OUTPUT_DIR/bad-site.err"; then
        echo "the seed $(cat "$seed") was accepted with flags $*" >&2
        exit 1
    fi
    grep -qF "$message" "$OUTPUT_DIR/bad-site.err"
}
echo '{"site": "moon"}' >"$OUTPUT_DIR/bad-seed.json"
refused_seed "$OUTPUT_DIR/bad-seed.json" '"site" must be one of china, intl' --site china
echo '{"tasks": [{"sdk_app_id": 1400188366, "task_id": "t", "tempo": 1.5}]}' >"$OUTPUT_DIR/bad-seed.json"
refused_seed "$OUTPUT_DIR/bad-seed.json" 'tasks[0]: tempo: settings of the China site only'
# --site overrides the seed's site: the China seed's tempo is then refused.
refused_seed "$OUTPUT_DIR/seed-china.json" 'tasks[0]: enable_progress, tempo: settings of the China site only' --site intl

# Malformed, oversized and slow requests get an API error or a 4xx, never a traceback or a dropped
# connection: a fresh emulator with a short idle timeout and every request logged.
start_test_emulator --verbose --idle-timeout 1
python robustness.py "$EMULATOR_URL" "$OUTPUT_DIR/emulator.log" --idle-timeout 1
# Neither the SDK secret keys nor the UserSigs nor the PrivateMapKeys reach a log.
for log in "$OUTPUT_DIR"/emulator-clients.log "$OUTPUT_DIR"/{seeded,seeded-tasks,demo,china,seeded-china}/emulator.log \
        "$OUTPUT_DIR/emulator.log"; do
    if grep -q -e "$TEST_SDK_SECRET_KEY" -e emulator-demo-sdk-secret-key-not-real -e another-sdk-secret-key \
            -e private-map-key "$log"; then
        echo "a secret is in $log" >&2
        exit 1
    fi
done

# The launcher of an installed collection: the collection's playbook starts, answers and stops it.
stop_emulator
launcher_dir=$OUTPUT_DIR/launcher
ansible-playbook tencentcloud.trtc.emulator -e emulator_port=0 -e "emulator_dir=$launcher_dir" >"$OUTPUT_DIR/launcher.log"
launcher_url="http://127.0.0.1:$(cat "$launcher_dir/emulator.port")"
grep -q "TRTC emulator listening on $launcher_url" "$OUTPUT_DIR/launcher.log"
grep -q "X-Emulator-Token with the token in $launcher_dir/emulator.token" "$OUTPUT_DIR/launcher.log"
grep -q "region=ap-singapore secret_id=AKIDEMULATORDEMOKEY0000000000000000 secret_key=emulator-demo-secret-key-not-real sdk_secret_key=emulator-demo-sdk-secret-key-not-real" "$OUTPUT_DIR/launcher.log"
launcher_token=$(cat "$launcher_dir/emulator.token")
[ "$(stat -c %a "$launcher_dir/emulator.token")" = 600 ]
EMULATOR_URL=$launcher_url EMULATOR_TOKEN=$launcher_token emulator_control state >/dev/null
# The control API answers only with the token.
if EMULATOR_URL=$launcher_url EMULATOR_TOKEN=not-the-token emulator_control state 2>"$OUTPUT_DIR/no-token.err"; then
    echo "the control API answered without its token" >&2
    exit 1
fi
grep -q 'HTTP Error 401' "$OUTPUT_DIR/no-token.err"
# Started again while it runs: no change, the same URL; stopped twice: the second changes nothing.
ansible-playbook tencentcloud.trtc.emulator -e emulator_port=0 -e "emulator_dir=$launcher_dir" >"$OUTPUT_DIR/launcher-again.log"
grep -q "TRTC emulator listening on $launcher_url" "$OUTPUT_DIR/launcher-again.log"
grep -q 'changed=0' "$OUTPUT_DIR/launcher-again.log"
ansible-playbook tencentcloud.trtc.emulator -e emulator_state=stopped -e "emulator_dir=$launcher_dir"
ansible-playbook tencentcloud.trtc.emulator -e emulator_state=stopped -e "emulator_dir=$launcher_dir" \
    >"$OUTPUT_DIR/launcher-stopped-again.log"
grep -q 'changed=0' "$OUTPUT_DIR/launcher-stopped-again.log"
# A stale pid file naming another process: --stop leaves that process alone.
sleep 300 &
bystander=$!
echo "$bystander" >"$launcher_dir/emulator.pid"
ansible-playbook tencentcloud.trtc.emulator -e emulator_state=stopped -e "emulator_dir=$launcher_dir"
kill -0 "$bystander"
kill "$bystander"
# With --site china among its flags, it plays the China site and says which site and region to use.
ansible-playbook tencentcloud.trtc.emulator -e emulator_port=0 -e "emulator_dir=$launcher_dir" \
    -e '{"emulator_flags": ["--site", "china"]}' >"$OUTPUT_DIR/launcher-china.log"
launcher_url="http://127.0.0.1:$(cat "$launcher_dir/emulator.port")"
grep -q "TRTC emulator listening on $launcher_url (China site)" "$OUTPUT_DIR/launcher-china.log"
grep -q "site=china region=ap-beijing secret_id=" "$OUTPUT_DIR/launcher-china.log"
launcher_token=$(cat "$launcher_dir/emulator.token")
EMULATOR_URL=$launcher_url EMULATOR_TOKEN=$launcher_token emulator_control state \
    | python -c 'import json, sys; assert json.load(sys.stdin)["site"] == "china"'
ansible-playbook tencentcloud.trtc.emulator -e emulator_state=stopped -e "emulator_dir=$launcher_dir"
[ ! -e "$launcher_dir/emulator.token" ]
if EMULATOR_URL=$launcher_url EMULATOR_TOKEN=$launcher_token emulator_control state 2>/dev/null; then
    echo "the emulator still answers after the launcher stopped it" >&2
    exit 1
fi
