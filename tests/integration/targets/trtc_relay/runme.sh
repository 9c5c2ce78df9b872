#!/usr/bin/env bash
# Relays named by room and robot user, over real HTTP against the emulator, which verifies every
# signature and UserSig: their life, forks naming one relay, a killed run, secrets at -vvv.
set -euxo pipefail
source ../setup_emulator/test_env.sh
start_test_emulator

export_test_connection
export TEST_PRIVATE_MAP_KEY=integration-private-map-key-2c624232cdd2
# ansible-core 2.17 wraps warnings at the terminal width (COLUMNS), even at hyphens: no wrapping here.
export COLUMNS=10000
PLAYBOOK_ARGS=(-i "$INVENTORY_PATH" -e "emulator_url=$EMULATOR_URL" -e "output_dir=$OUTPUT_DIR")
state() { emulator_control state; }
reset() { emulator_control reset '{"tasks": []}' >/dev/null; }

# The whole life, inside the controller and as a module in its own process.
# The warnings are asserted on the output: ansible-core 2.19 keeps them out of registered results.
for in_process in 1 0; do
    export TENCENTCLOUD_TRTC_RECORD_FILE=$OUTPUT_DIR/record-$in_process.json
    TENCENTCLOUD_TRTC_IN_PROCESS=$in_process ansible-playbook "${PLAYBOOK_ARGS[@]}" playbooks/life.yml "$@" 2>&1 \
        | tee "$OUTPUT_DIR/life-$in_process.log"
    # Read the log as one line, whatever wraps it.
    tr -s '\n ' '  ' <"$OUTPUT_DIR/life-$in_process.log" >"$OUTPUT_DIR/life-$in_process.line"
    grep -qF "start-only options cannot change on a running relay (repeat_num: -1 -> 3)" "$OUTPUT_DIR/life-$in_process.line"
    grep -qF "Set replace=true to stop it and start it again" "$OUTPUT_DIR/life-$in_process.line"
    grep -qF "nothing is recorded for it, so nothing was stopped" "$OUTPUT_DIR/life-$in_process.line"
done

# Eight forks name one relay at once: one Start, one TaskId for all.
reset
export TENCENTCLOUD_TRTC_RECORD_FILE=$OUTPUT_DIR/record-forks.json
inventory=$OUTPUT_DIR/forks.ini
python - "$inventory" <<'PY'
import sys
with open(sys.argv[1], 'w') as handle:
    handle.write('[relay_hosts]\n' + ''.join('fork%d\n' % number for number in range(8)))
    handle.write('[relay_hosts:vars]\nansible_connection=local\nansible_python_interpreter=%s\n' % sys.executable)
PY
ansible-playbook -i "$inventory" --forks 8 -e "output_dir=$OUTPUT_DIR" playbooks/one_relay.yml "$@"
python - "$OUTPUT_DIR" "$(state)" <<'PY'
import glob, json, sys
answers = [open(path).read().split() for path in sorted(glob.glob(sys.argv[1] + '/fork-*.txt'))]
state = json.loads(sys.argv[2])
starts = [request for request in state['requests'] if request['action'] == 'StartStreamIngest']
assert len(answers) == 8, answers
assert len(starts) == 1, starts
assert len(set(task_id for task_id, changed in answers)) == 1, answers
assert sorted(changed for task_id, changed in answers) == ['False'] * 7 + ['True'], answers
print('8 forks, 1 StartStreamIngest, 1 TaskId')
PY

# Kill every process of a run starting 24 relays while Starts are in flight: every relay the
# emulator runs is in the record with its TaskId, or its name is marked as started with its TaskId
# unknown; the next run starts none of them again.
reset
export TENCENTCLOUD_TRTC_RECORD_FILE=$OUTPUT_DIR/record-killed.json
python -c 'import json; print(json.dumps({"relays": [{"user_id": "cam-%02d" % n} for n in range(24)]}))' \
    >"$OUTPUT_DIR/relays.json"
emulator_control faults '{"action": "StartStreamIngest", "kind": "delay", "seconds": 0.5, "count": 1000}' >/dev/null
ansible-playbook "${PLAYBOOK_ARGS[@]}" -e @"$OUTPUT_DIR/relays.json" -e rate=4 playbooks/list.yml >"$OUTPUT_DIR/killed.log" 2>&1 &
run_pid=$!
# Killed once its first relay runs, not after a fixed time: a loaded machine may take longer to start it.
check running "$EMULATOR_URL"
kill_tree "$run_pid"
sleep 1  # the Starts in flight land although nobody hears their answers
emulator_control reset >/dev/null
before=$(state)
ansible-playbook "${PLAYBOOK_ARGS[@]}" -e @"$OUTPUT_DIR/relays.json" playbooks/list.yml >"$OUTPUT_DIR/after-kill.log" 2>&1 || true
python - "$TENCENTCLOUD_TRTC_RECORD_FILE" "$before" "$(state)" <<'PY'
import json, sys
entries = json.load(open(sys.argv[1]))['tasks']
relays = dict((json.loads(key)[5], entry) for key, entry in entries.items() if key.startswith('["relay"'))
before, after = json.loads(sys.argv[2]), json.loads(sys.argv[3])
running = dict((task['user_id'], task['task_id']) for task in before['tasks'])
assert 0 < len(running) < 24, 'the run was not killed midway: %d relays ran' % len(running)
for user, task_id in running.items():
    entry = relays.get(user, {})
    assert entry.get('task_id') == task_id or entry.get('starting_since'), (user, task_id, entry)
users_after = [task['user_id'] for task in after['tasks']]
assert len(users_after) == len(set(users_after)), 'a relay was started twice: %s' % users_after
print('%d relays ran when the run was killed; each is known or marked; none started twice' % len(running))
PY

# Secrets never show, at -vvv, on either path, in results, warnings or errors, also in tasks entries, nor in
# the invocation (which ansible-core 2.21 and later show only when INJECT_INVOCATION asks).
reset
for in_process in 1 0; do
    log=$OUTPUT_DIR/vvv-$in_process.log
    export TENCENTCLOUD_TRTC_RECORD_FILE=$OUTPUT_DIR/record-vvv-$in_process.json
    TENCENTCLOUD_TRTC_IN_PROCESS=$in_process ANSIBLE_INJECT_INVOCATION=true ansible-playbook "${PLAYBOOK_ARGS[@]}" playbooks/life.yml -vvv \
        >"$log" 2>&1 || { tail -50 "$log"; exit 1; }
done
if grep -q -e "$TEST_SDK_SECRET_KEY" -e "$TEST_PRIVATE_MAP_KEY" -e "$TEST_SECRET_KEY" "$OUTPUT_DIR"/vvv-*.log "$OUTPUT_DIR"/record*.json; then
    echo "a secret appeared in the -vvv output or a record" >&2
    exit 1
fi
# A UserSig is zlib data in base64 with *, - and _: it starts with eJ (0x78 0x9c) and is long.
if grep -E -q 'eJ[A-Za-z0-9*_-]{80,}' "$OUTPUT_DIR"/vvv-*.log "$OUTPUT_DIR"/record*.json; then
    echo "a UserSig appeared in the -vvv output or a record" >&2
    exit 1
fi
grep -q 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER' "$OUTPUT_DIR/vvv-0.log"

# A record another user could replace (below a directory every user may write without the sticky bit, two
# levels up): refused on both paths, naming record_file and that directory, before any request.
reset
open_dir=$OUTPUT_DIR/open
mkdir -p "$open_dir/records"
chmod 0777 "$open_dir"
for in_process in 1 0; do
    log=$OUTPUT_DIR/open-$in_process.log
    if TENCENTCLOUD_TRTC_IN_PROCESS=$in_process TENCENTCLOUD_TRTC_RECORD_FILE=$open_dir/records/record.json \
            ansible-playbook "${PLAYBOOK_ARGS[@]}" -e '{"relays": [{"user_id": "cam-open"}]}' playbooks/list.yml \
            >"$log" 2>&1; then
        echo "a record below $open_dir was used" >&2
        exit 1
    fi
    grep -qF "record_file: cannot use the last-applied record $open_dir/records/record.json: the directory $open_dir is writable by every user without the sticky bit" "$log" \
        || { tail -30 "$log"; exit 1; }
done
python -c 'import json, sys; state = json.loads(sys.argv[1]); assert state["requests"] == [], state["requests"]' "$(state)"
[ -z "$(ls -A "$open_dir/records")" ]
chmod 0755 "$open_dir"
