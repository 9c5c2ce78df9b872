#!/usr/bin/env bash
# Which execution path runs each task, and the same result on both: inside the controller on a local
# connection; as a module in its own process with the environment keyword, async, become, another
# connection (also through delegate_to), or TENCENTCLOUD_TRTC_IN_PROCESS=0.
set -eux
source ../setup_emulator/test_env.sh

tasks=(task-local task-empty-environment task-check-mode task-loop-1 task-loop-2 task-environment task-async task-timeout
       task-become task-delegate-local task-delegate-remote task-remote-host task-delegate-controller task-relative)
task_flags=()
for task in "${tasks[@]}"; do
    task_flags+=(--task "1400188366:$task")
done
start_test_emulator "${task_flags[@]}"

# become to root: su needs no password when root runs it; otherwise sudo, if it asks for none.
if [ "$(id -u)" = 0 ]; then
    become_method=su
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    become_method=sudo
else
    become_method=none
    echo "neither su as root nor sudo without a password: the become case is skipped" >&2
fi

PLAYBOOK_ARGS=(-i inventory.yml -e "emulator_url=$EMULATOR_URL" -e "record_dir=$OUTPUT_DIR" -e "trtc_become_method=$become_method")

# ansible-core 2.21 registers invocation exactly when INJECT_INVOCATION asks (run each setting); before, never.
if ansible-config list 2>/dev/null | grep -q '^INJECT_INVOCATION:'; then
    runs=("1 False" "1 True" "0 False")
else
    runs=("1 False" "0 False")
fi
for run in "${runs[@]}"; do
    read -r in_process inject <<<"$run"
    log=$OUTPUT_DIR/paths-$in_process-$inject.log
    rm -f "$OUTPUT_DIR"/record-*.json
    env TENCENTCLOUD_TRTC_IN_PROCESS="$in_process" ANSIBLE_INJECT_INVOCATION="$inject" ANSIBLE_NOCOLOR=1 \
        ansible-playbook "${PLAYBOOK_ARGS[@]}" -e "trtc_expect_invocation=$inject" playbooks/paths.yml -vvv "$@" \
        >"$log" 2>&1 || { cat "$log"; exit 1; }
    # Nothing the collection does is deprecated by the running ansible-core (2.22 deprecates remove_values()).
    if grep -n 'DEPRECATION WARNING' "$log"; then
        echo "a deprecation warning in $log" >&2
        exit 1
    fi
    check_args=()
    if [ "$become_method" = none ]; then
        check_args+=(--may-skip become)
    fi
    if [ "$in_process" = 0 ]; then
        check_args+=(--all-module)
    fi
    python check_paths.py "$log" "${check_args[@]}" || { cat "$log"; exit 1; }
done

# A relative record_file (or rate_limit_dir) starts where ansible-core runs a module on a local connection, the
# playbook's directory, on both paths: run from another directory, the record is written beside the playbook.
mkdir -p "$OUTPUT_DIR/relative/playbook" "$OUTPUT_DIR/relative/elsewhere"
cat >"$OUTPUT_DIR/relative/playbook/relative.yml" <<'PLAYBOOK'
- name: A relative record_file
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Update one task, its record and rate files named relative to the playbook
      tencentcloud.trtc.trtc_stream_ingest:
        secret_id: "{{ lookup('ansible.builtin.env', 'TEST_SECRET_ID') }}"
        secret_key: "{{ lookup('ansible.builtin.env', 'TEST_SECRET_KEY') }}"
        region: ap-singapore
        endpoint: "{{ emulator_url }}"
        sdk_app_id: 1400188366
        task_id: task-relative
        volume: "{{ volume }}"
        record_file: records/last.json
        rate_limit_dir: rate
PLAYBOOK
for in_process in 1 0; do
    rm -rf "$OUTPUT_DIR/relative/playbook/records" "$OUTPUT_DIR/relative/playbook/rate"
    (cd "$OUTPUT_DIR/relative/elsewhere" && env TENCENTCLOUD_TRTC_IN_PROCESS="$in_process" ANSIBLE_LOCALHOST_WARNING=false \
        ansible-playbook -e "emulator_url=$EMULATOR_URL" -e "volume=4$in_process" ../playbook/relative.yml)
    grep -q "\"volume\": 4$in_process" "$OUTPUT_DIR/relative/playbook/records/last.json"
    test -d "$OUTPUT_DIR/relative/playbook/rate"
    if [ -n "$(ls -A "$OUTPUT_DIR/relative/elsewhere")" ]; then
        echo "TENCENTCLOUD_TRTC_IN_PROCESS=$in_process wrote where ansible-playbook ran, not beside the playbook" >&2
        ls -la "$OUTPUT_DIR/relative/elsewhere" >&2
        exit 1
    fi
done
