#!/usr/bin/env bash
# Relays that come back by themselves, for real: the emulator calls back over HTTP as the service does (signed), a
# real ansible-rulebook runs the shipped rulebook tencentcloud.trtc.keep_relays_running with the relay_events source,
# and the playbook it runs (tencentcloud.trtc.converge_relay) starts again the relay the emulator ended, while the
# relay the collection stopped stays stopped.
set -euxo pipefail
source ../setup_emulator/test_env.sh
if ! command -v java >/dev/null 2>&1; then
    echo "SKIPPED: ansible-rulebook needs Java 17 (Debian: apt-get install openjdk-17-jre-headless; .ci/run installs it)"
    exit 0
fi
JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
export JAVA_HOME

CALLBACK_KEY=integrationCallbackKey0123456789
hold_port  # until ansible-rulebook listens there, and after
events_port=$HELD_PORT
start_test_emulator --callback-url "http://127.0.0.1:$events_port/trtc/callback" --callback-key "$CALLBACK_KEY"

export_test_connection
export TENCENTCLOUD_TRTC_RECORD_FILE=$OUTPUT_DIR/record.json
export TENCENTCLOUD_TRTC_CALLBACK_KEY=$CALLBACK_KEY TRTC_RELAYS_FILE=$PWD/relays.yml TRTC_SDK_APP_ID=$TEST_SDK_APP_ID
state() { emulator_control state; }
# running USER: the TaskId of the relay of USER that the emulator runs (empty when none).
running() { state | python -c 'import json, sys; print("".join(t["task_id"] for t in json.load(sys.stdin)["tasks"] if t.get("user_id") == sys.argv[1]))' "$1"; }
# started_again USER_ID OLD_TASK_ID MESSAGE: the TaskId of the relay once it runs under another TaskId (at most 60 s);
# else the rulebook's log and MESSAGE, and the target fails.
started_again() {
    local task_id
    for _ in $(seq 120); do
        task_id=$(running "$1")
        if [ -n "$task_id" ] && [ "$task_id" != "$2" ]; then
            echo "$task_id"
            return 0
        fi
        sleep 0.5
    done
    cat "$OUTPUT_DIR/rulebook.log" >&2
    echo "$3" >&2
    return 1
}

# The listener: ansible-rulebook, which finds the collection through ansible-galaxy (ANSIBLE_COLLECTIONS_PATH).
printf 'trtc_events_host: 127.0.0.1\ntrtc_events_port: %s\n' "$events_port" >"$OUTPUT_DIR/rulebook-vars.yml"
printf 'localhost ansible_connection=local ansible_python_interpreter=%s\n' "$(command -v python)" >"$OUTPUT_DIR/inventory"
ansible-rulebook -r tencentcloud.trtc.keep_relays_running -i "$OUTPUT_DIR/inventory" --vars "$OUTPUT_DIR/rulebook-vars.yml" \
    --env-vars TRTC_SDK_APP_ID -v >"$OUTPUT_DIR/rulebook.log" 2>&1 &
rulebook_pid=$!
trap 'kill "$rulebook_pid" 2>/dev/null || true; wait "$rulebook_pid" 2>/dev/null || true; stop_test_servers' EXIT
for _ in $(seq 300); do
    python -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$events_port" 2>/dev/null && break
    kill -0 "$rulebook_pid" || { cat "$OUTPUT_DIR/rulebook.log"; exit 1; }
    sleep 0.2
done

# Both relays start (701 callbacks: no rule acts on them); the operator stops one (702, expected: no rule acts).
ansible-playbook -i "$INVENTORY_PATH" converge.yml
first=$(running cam-comes-back)
stopped=$(running cam-stopped-here)
[ -n "$first" ] && [ -n "$stopped" ]
ansible-playbook -i "$INVENTORY_PATH" converge.yml -e stop_user=cam-stopped-here
[ -z "$(running cam-stopped-here)" ]

# The emulator ends the other relay as the service does when its source ends (702, nobody here asked): the rulebook
# runs converge_relay, which starts it again under a new TaskId.
emulator_control end '{"sdk_app_id": '"$TEST_SDK_APP_ID"', "task_id": "'"$first"'"}'
again=$(started_again cam-comes-back "$first" "the relay was not started again")

# The relay's start then fails again and again (701 Status 1, then 2 and 1 three times) and the service gives up:
# after three failures the rulebook converges it once more, and it is started again.
emulator_control end '{"sdk_app_id": '"$TEST_SDK_APP_ID"', "task_id": "'"$again"'", "how": "start_failed"}'
started_again cam-comes-back "$again" "the relay was not started again after its start failed" >/dev/null

# The service's last retries of that start still call back: wait until every callback is delivered.
for _ in $(seq 60); do
    state | python -c 'import json, sys; sys.exit(any(c["state"] == "pending" for c in json.load(sys.stdin)["callbacks"]["sent"]))' && break
    sleep 0.5
done

# Every callback was delivered and answered at once; the relay the collection stopped stays stopped: one Start each
# but for the relay that came back (twice); a converge that finds the relay running starts nothing.
python - "$(state)" "$OUTPUT_DIR/rulebook.log" "$CALLBACK_KEY" <<'PY'
import json, sys
state, log = json.loads(sys.argv[1]), open(sys.argv[2]).read()
sent = state['callbacks']['sent']
events = [(c['task_id'][:8], c['event_type'], c['state'], c['answers']) for c in sent]
assert state['callbacks']['signed'] and all(c['state'] == 'delivered' and c['answers'] == [200] for c in sent), events
# The third Start's 701 may come before or after the failed start's last retries, as fast as the rulebook is.
assert [(c['event_type'], c['status']) for c in sent][:5] == [(701, 0)] * 2 + [(702, 0)] * 2 + [(701, 0)], events
assert sorted((c['event_type'], c['status']) for c in sent[5:]) == [(701, 0)] + [(701, 1)] * 4 + [(701, 2)] * 3, events
starts = [r['params']['UserId'] for r in state['requests'] if r['action'] == 'StartStreamIngest']
assert sorted(starts) == ['cam-comes-back'] * 3 + ['cam-stopped-here'], starts
assert [t['user_id'] for t in state['tasks']] == ['cam-comes-back'], state['tasks']
assert log.count('Converge it (started again when it is gone)') >= 2, log
assert sys.argv[3] not in log, 'the callback key is in the rulebook log'
print('one relay came back by itself twice (ended, start failed); the one stopped here stayed stopped; %d callbacks '
      'delivered' % len(sent))
PY
