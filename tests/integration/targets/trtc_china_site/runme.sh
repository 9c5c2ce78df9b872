#!/usr/bin/env bash
# The China site against the emulator playing it (--site china): Volume 150, Tempo 1.5 and EnableProgress
# on a relay known by its TaskId and on one started by room and robot user with an idle timeout, a second
# run that changes nothing, every refusal of a site named with no request sent, and the site taken from
# TENCENTCLOUD_TRTC_SITE. Inside the controller, then as a module in its own process.
set -euxo pipefail
source ../setup_emulator/test_env.sh
start_test_emulator --site china

export TENCENTCLOUD_SECRET_ID=$TEST_SECRET_ID TENCENTCLOUD_SECRET_KEY=$TEST_SECRET_KEY
export TENCENTCLOUD_TRTC_ENDPOINT=$EMULATOR_URL
export TENCENTCLOUD_TRTC_SDK_SECRET_KEY=$TEST_SDK_SECRET_KEY
# The site and the region come from the playbooks, or from the environment where a run says so.
unset TENCENTCLOUD_TRTC_SITE TENCENTCLOUD_REGION
PLAYBOOK_ARGS=(-i "$INVENTORY_PATH" -e "emulator_url=$EMULATOR_URL")

for in_process in 1 0; do
    export TENCENTCLOUD_TRTC_IN_PROCESS=$in_process
    export TENCENTCLOUD_TRTC_RECORD_FILE=$OUTPUT_DIR/record-$in_process.json
    ansible-playbook "${PLAYBOOK_ARGS[@]}" playbooks/china.yml "$@"
    ansible-playbook "${PLAYBOOK_ARGS[@]}" playbooks/refusals.yml "$@"
    # A record of its own: the emulator's task-cn starts afresh, and the record must not say otherwise.
    for site_region in china:ap-beijing intl:ap-singapore; do
        TENCENTCLOUD_TRTC_SITE=${site_region%:*} TENCENTCLOUD_REGION=${site_region#*:} \
            TENCENTCLOUD_TRTC_RECORD_FILE=$OUTPUT_DIR/record-env-${site_region%:*}-$in_process.json \
            ansible-playbook "${PLAYBOOK_ARGS[@]}" -e "env_site=${site_region%:*}" playbooks/env_site.yml "$@"
    done
done

stop_emulator
if grep -q Traceback "$OUTPUT_DIR/emulator.log"; then
    echo "the emulator printed a traceback" >&2
    exit 1
fi
