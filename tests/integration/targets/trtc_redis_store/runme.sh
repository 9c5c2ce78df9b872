#!/usr/bin/env bash
# One record and one rate limit for many controllers (option record_store): a real redis-server with
# a password, controllers with HOMEs of their own (as AWX jobs and CI runners start with empty disks),
# over real HTTP against the emulator.
set -euxo pipefail
source ../setup_emulator/test_env.sh
if ! command -v redis-server >/dev/null 2>&1; then
    echo "SKIPPED: redis-server is not installed (Debian: apt-get install redis-server; .ci/run installs it)"
    exit 0
fi
start_test_emulator

export_test_connection
export COLUMNS=10000

REDIS_PASSWORD=integration-redis-pass-4b227777d4dd
start_test_redis "$REDIS_PASSWORD"
redis_port=$TEST_REDIS_PORT
export TENCENTCLOUD_TRTC_RECORD_STORE="redis://:$REDIS_PASSWORD@127.0.0.1:$redis_port/0"

# controller NAME [ansible-playbook args]: a run from a HOME of its own, with nothing on its disk.
controller() {
    local name=$1
    shift
    mkdir -p "$OUTPUT_DIR/home-$name"
    HOME=$OUTPUT_DIR/home-$name ansible-playbook -i "$INVENTORY_PATH" controller.yml \
        -e "name=$name" -e "output_dir=$OUTPUT_DIR" "$@"
}

# three_controllers PREFIX VOLUME: controllers x, y and z at once (HOMEs PREFIXx...), 40 updates each to VOLUME.
three_controllers() {
    local prefix=$1 volume=$2 name pid pids=()
    check reset "$EMULATOR_URL" x 40 y 40 z 40
    for name in x y z; do
        check vars "$name" 40 >"$OUTPUT_DIR/$name-vars.json"
        controller "$prefix$name" -e @"$OUTPUT_DIR/$name-vars.json" -e "volume=$volume" -e start_relay=false \
            >"$OUTPUT_DIR/$prefix$name.log" 2>&1 &
        pids+=($!)
    done
    for pid in "${pids[@]}"; do
        wait "$pid" || { tail -40 "$OUTPUT_DIR/${prefix}"[xyz].log; exit 1; }
    done
}

# Two controllers, one store: the second (as a plain module, the first ran inside the controller)
# sees the relay the first started and the volumes it set: no second Start, no repeated update.
check reset "$EMULATOR_URL" t 10
check vars t 10 >"$OUTPUT_DIR/t.json"
TENCENTCLOUD_TRTC_IN_PROCESS=1 controller a -e @"$OUTPUT_DIR/t.json" -e volume=30
check expect "$EMULATOR_URL" '{"StartStreamIngest": 1, "UpdateStreamIngest": 10}'
TENCENTCLOUD_TRTC_IN_PROCESS=0 controller b -e @"$OUTPUT_DIR/t.json" -e volume=30
check expect "$EMULATOR_URL" '{"StartStreamIngest": 1, "UpdateStreamIngest": 10, "DescribeStreamIngest": 11}'
python - "$OUTPUT_DIR" <<'PY'
import json, os, sys
a, b = (json.load(open(os.path.join(sys.argv[1], name + '.json'))) for name in 'ab')
assert a['relay_changed'] is True and len(a['updated']) == 10, a
assert b['relay_changed'] is False and b['task_id'] == a['task_id'] and b['updated'] == [], b
for name in 'ab':  # the store holds the record: on the controllers' disks, only their note of the store's identity
    kept = os.path.join(sys.argv[1], 'home-' + name, '.ansible', 'tencentcloud_trtc')
    assert sorted(os.listdir(kept)) == ['stores.json'], (name, os.listdir(kept))
    notes = json.load(open(os.path.join(kept, 'stores.json')))
    assert len(notes) == 1 and ':***@' in list(notes)[0] and sorted(list(notes.values())[0]) == ['id', 'since'], notes
print('controller b saw what a started and applied: one Start, no repeated update')
PY
# A third controller lists what the store holds, on both execution paths: 12 Describes each (11, then 1 for room 9999).
for in_process in 1 0; do
    mkdir -p "$OUTPUT_DIR/home-c"
    HOME=$OUTPUT_DIR/home-c TENCENTCLOUD_TRTC_IN_PROCESS=$in_process ansible-playbook -i "$INVENTORY_PATH" held.yml \
        -e "task_id=$(python -c 'import json, sys; print(json.load(open(sys.argv[1]))["task_id"])' "$OUTPUT_DIR/a.json")"
done
check expect "$EMULATOR_URL" '{"StartStreamIngest": 1, "UpdateStreamIngest": 10, "DescribeStreamIngest": 35}'
# Nothing secret is in the store: no API key, SDK secret key, UserSig or the store's password.
python - "$redis_port" "$REDIS_PASSWORD" "$TEST_SECRET_KEY" "$TEST_SDK_SECRET_KEY" <<'PY'
import re, sys, redis
client = redis.Redis(host='127.0.0.1', port=int(sys.argv[1]), password=sys.argv[2])
keys = client.keys('*')
assert keys and all(key.startswith(b'tencentcloud_trtc:') for key in keys), keys
values = b' '.join(client.get(key) or b'' for key in keys if client.type(key) == b'string')
for secret in sys.argv[2:]:
    assert secret.encode() not in values, 'a secret is in the store'
# A UserSig is zlib data in base64 with *, - and _: a long run starting eJ (a TaskId may hold a short one).
assert not re.search(rb'eJ[A-Za-z0-9*_-]{80,}', values), 'a UserSig is in the store'
print('%d keys, all under tencentcloud_trtc:, no secret' % len(keys))
PY

# Three controllers at once through one store, 40 updates each, against the emulator's 20 per second.
# Each alone would send 20 per second (60 together, dozens throttled); through the store they share one
# budget: each request counts from its sending until a second after its answer (less the least round
# trip, a few milliseconds here), so no second at the service holds more than 20. Not one reply is throttled.
three_controllers "" 55
python - "$(check requests "$EMULATOR_URL")" <<'PY'
import json, sys
summary = json.loads(sys.argv[1])
print('three controllers through one store: %s' % summary)
assert summary['counts'].get('UpdateStreamIngest') == 120, summary
assert summary['throttled'] == 0 and summary['most_per_second'] <= 20, summary
PY

# A controller killed while it holds locks in the store (its updates held up at the service): the
# record claims nothing the service may not hold, and the next controller, after waiting for those
# locks to expire (30 s at most), converges every task.
# redis_store flush|locks: empty the store, or print how many locks it holds.
redis_store() {
    python - "$1" "$redis_port" "$REDIS_PASSWORD" <<'PY'
import sys, redis
client = redis.Redis(host='127.0.0.1', port=int(sys.argv[2]), password=sys.argv[3])
print(client.flushdb() if sys.argv[1] == 'flush' else len(client.keys('tencentcloud_trtc:lock:*')))
PY
}
locks() { redis_store locks; }
redis_store flush
check reset "$EMULATOR_URL" h 4
check vars h 4 >"$OUTPUT_DIR/h.json"
controller h1 -e @"$OUTPUT_DIR/h.json" -e volume=10 -e start_relay=false
check delay "$EMULATOR_URL" 4
controller h2 -e @"$OUTPUT_DIR/h.json" -e volume=20 -e start_relay=false >"$OUTPUT_DIR/h2.log" 2>&1 &
run_pid=$!
for _ in $(seq 100); do
    [ "$(locks)" -gt 0 ] && break
    sleep 0.1
done
[ "$(locks)" -gt 0 ] || { cat "$OUTPUT_DIR/h2.log"; echo "the controller took no lock" >&2; exit 1; }
kill_tree "$run_pid"
sleep 5  # the updates held up land at the service although nobody hears their answers
check agree "$EMULATOR_URL" "$TENCENTCLOUD_TRTC_RECORD_STORE"
[ "$(locks)" -gt 0 ] || { echo "the killed controller's locks vanished at once" >&2; exit 1; }
check clear "$EMULATOR_URL"
started=$(date +%s)
controller h3 -e @"$OUTPUT_DIR/h.json" -e volume=20 -e start_relay=false
waited=$(( $(date +%s) - started ))
echo "the next controller finished ${waited} s after the kill's locks were left"
if [ "$waited" -lt 10 ] || [ "$waited" -gt 45 ]; then
    echo "expected a wait for the locks' expiry (<= 30 s)" >&2
    exit 1
fi
check volumes "$EMULATOR_URL" 20
check agree "$EMULATOR_URL" "$TENCENTCLOUD_TRTC_RECORD_STORE"
[ "$(locks)" -eq 0 ]

# A store that is down, and one that refuses the password: nothing is sent, and the failure says why.
check reset "$EMULATOR_URL" t 3
check vars t 3 >"$OUTPUT_DIR/t3.json"
hold_port  # nothing listens there: refused
for url in "redis://:$REDIS_PASSWORD@127.0.0.1:$HELD_PORT/0" "redis://:wrong-$REDIS_PASSWORD@127.0.0.1:$redis_port/0"; do
    for in_process in 1 0; do
        if TENCENTCLOUD_TRTC_IN_PROCESS=$in_process TENCENTCLOUD_TRTC_RECORD_STORE=$url \
                controller fail -e @"$OUTPUT_DIR/t3.json" -e volume=10 >"$OUTPUT_DIR/fail.log" 2>&1; then
            echo "a run through an unusable store succeeded" >&2
            exit 1
        fi
        cat "$OUTPUT_DIR/fail.log"
        grep -qF "the record store redis://:***@127.0.0.1:" "$OUTPUT_DIR/fail.log"
        grep -q -e "Connection refused" -e "AuthenticationError" -e "WRONGPASS" "$OUTPUT_DIR/fail.log"
        if grep -qF "$REDIS_PASSWORD" "$OUTPUT_DIR/fail.log"; then
            echo "the store's password was shown" >&2
            exit 1
        fi
        check expect "$EMULATOR_URL" '{}'
    done
done

# The same three controllers with the service 130 ms +- 40 ms away each way (the emulator's --latency and
# --jitter; it counts arrivals): a request then counts until a second after its answer less the least round
# trip, and the three still share one budget. The throttled replies are reported; each is retried.
stop_emulator
start_test_emulator --latency 130ms --jitter 40ms
export TENCENTCLOUD_TRTC_ENDPOINT=$EMULATOR_URL
started=$(date +%s.%N)
three_controllers far- 65
python - "$(check requests "$EMULATOR_URL")" "$started" <<'PY'
import json, sys, time
summary = json.loads(sys.argv[1])
print('three controllers through one store, the service 130 ms +- 40 ms away: %s in %.1f s; throttled replies: %d'
      % (summary, time.time() - float(sys.argv[2]), summary['throttled']))
assert summary['counts'].get('UpdateStreamIngest') == 120 + summary['throttled'], summary
assert summary['throttled'] <= 12, summary  # a safety net: the rule draws none in the simulation
PY
