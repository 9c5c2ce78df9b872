#!/usr/bin/env bash
# Real playbooks over real HTTP against the emulator, which verifies every signature.
set -eux
source ../setup_emulator/test_env.sh
start_test_emulator

export ANSIBLE_ROLES_PATH=../
PLAYBOOK_ARGS=(-i "$INVENTORY_PATH" -e "emulator_url=$EMULATOR_URL" -e "record_dir=$OUTPUT_DIR")

# Options through module_defaults: updates, check mode, diff, pause, absent, missing task, bad input,
# faults, auth failures, session tokens and the list form. First inside the controller (the action
# plugin's path for local connections), then as a module in its own process, as on a remote host.
ansible-playbook "${PLAYBOOK_ARGS[@]}" playbooks/main.yml "$@"
rm -f "$OUTPUT_DIR"/record*.json
TENCENTCLOUD_TRTC_IN_PROCESS=0 ansible-playbook "${PLAYBOOK_ARGS[@]}" playbooks/main.yml "$@"

# Credentials from the environment only.
env TENCENTCLOUD_SECRET_ID="$TEST_SECRET_ID" TENCENTCLOUD_SECRET_KEY="$TEST_SECRET_KEY" \
    TENCENTCLOUD_REGION=ap-tokyo TENCENTCLOUD_TRTC_ENDPOINT="$EMULATOR_URL" \
    ansible-playbook "${PLAYBOOK_ARGS[@]}" -e expected_secret_id="$TEST_SECRET_ID" -e expected_region=ap-tokyo \
    -e expect_token=false playbooks/no_options.yml "$@"

# Temporary credentials and their token from the environment (each name the ecosystem uses).
for token_var in TENCENTCLOUD_SESSION_TOKEN TENCENTCLOUD_SECURITY_TOKEN TENCENTCLOUD_TOKEN; do
    env TENCENTCLOUD_SECRET_ID="$TEST_TEMP_SECRET_ID" TENCENTCLOUD_SECRET_KEY="$TEST_TEMP_SECRET_KEY" \
        "$token_var=$TEST_SESSION_TOKEN" TENCENTCLOUD_REGION=ap-singapore TENCENTCLOUD_TRTC_ENDPOINT="$EMULATOR_URL" \
        ansible-playbook "${PLAYBOOK_ARGS[@]}" -e expected_secret_id="$TEST_TEMP_SECRET_ID" \
        -e expected_region=ap-singapore -e expect_token=true playbooks/no_options.yml "$@"
done

# Credentials, region and endpoint from a tccli profile named by TCCLI_PROFILE.
fake_home=$OUTPUT_DIR/home
mkdir -p "$fake_home/.tccli"
printf '{"secretId": "%s", "secretKey": "%s", "token": "%s"}\n' \
    "$TEST_TEMP_SECRET_ID" "$TEST_TEMP_SECRET_KEY" "$TEST_SESSION_TOKEN" >"$fake_home/.tccli/ci.credential"
printf '{"_sys_param": {"region": "ap-jakarta"}, "trtc": {"endpoint": "%s"}}\n' "$EMULATOR_URL" \
    >"$fake_home/.tccli/ci.configure"
env HOME="$fake_home" TCCLI_PROFILE=ci ansible-playbook "${PLAYBOOK_ARGS[@]}" \
    -e expected_secret_id="$TEST_TEMP_SECRET_ID" -e expected_region=ap-jakarta -e expect_token=true \
    playbooks/no_options.yml "$@"

# The secret key never shows, even at -vvv, in success and in failure, in the controller or not; with the
# invocation shown (ansible-core 2.21 and later show it only when INJECT_INVOCATION asks), masked.
for in_process in 1 0; do
    log=$OUTPUT_DIR/vvv-$in_process.log
    env TENCENTCLOUD_SECRET_ID="$TEST_SECRET_ID" TENCENTCLOUD_SECRET_KEY=wrong-secret-key-value \
        TENCENTCLOUD_TRTC_IN_PROCESS=$in_process ANSIBLE_INJECT_INVOCATION=true \
        ansible-playbook "${PLAYBOOK_ARGS[@]}" playbooks/secret_vvv.yml -vvv >"$log" 2>&1 || { cat "$log"; exit 1; }
    grep -q 'AuthFailure.SignatureFailure' "$log"
    grep -q 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER' "$log"
done
# Which path ran: -vvv names the module file of every module executed.
if grep -q 'Using module file .*/trtc_stream_ingest' "$OUTPUT_DIR/vvv-1.log"; then
    echo "the tasks on the local connection did not run inside the controller" >&2
    exit 1
fi
grep -q 'Using module file .*/plugins/modules/trtc_stream_ingest.py' "$OUTPUT_DIR/vvv-0.log"
if grep -q -e "$TEST_SECRET_KEY" -e "$TEST_TEMP_SECRET_KEY" -e "$TEST_SESSION_TOKEN" -e 'wrong-secret-key-value' \
        "$OUTPUT_DIR"/vvv-*.log "$OUTPUT_DIR"/*.json; then
    echo "a secret appeared in the -vvv output or the record" >&2
    exit 1
fi
