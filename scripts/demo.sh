#!/usr/bin/env bash
# The main job: build and install the collection, start the local TRTC emulator, run the example
# playbook examples/relay_demo.yml against it twice (the second run changes nothing), stop the emulator.
# Usage: scripts/demo.sh            (needs Python 3.11 and access to PyPI for the first run)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_venv
mkdir -p "$WORK_DIR"

log "building and installing the collection"
rm -rf "$WORK_DIR/dist" "$WORK_DIR/installed"
ansible-galaxy collection build --force --output-path "$WORK_DIR/dist" "$REPO_ROOT" >/dev/null
ANSIBLE_COLLECTIONS_PATH=$WORK_DIR/installed ansible-galaxy collection install --force -p "$WORK_DIR/installed" \
    "$WORK_DIR"/dist/tencentcloud-trtc-*.tar.gz

trap stop_emulator EXIT
start_emulator "$WORK_DIR" --seed "$REPO_ROOT/examples/emulator_seed.json"
log "emulator listening on $EMULATOR_URL"

export ANSIBLE_COLLECTIONS_PATH=$WORK_DIR/installed
export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
export TENCENTCLOUD_SECRET_ID=AKIDEMULATORDEMOKEY0000000000000000
export TENCENTCLOUD_SECRET_KEY=emulator-demo-secret-key-not-real
export TENCENTCLOUD_REGION=ap-singapore
export TENCENTCLOUD_TRTC_ENDPOINT=$EMULATOR_URL
# A record of its own, so that the first run of every demo starts from nothing known.
export TENCENTCLOUD_TRTC_RECORD_FILE=$WORK_DIR/demo/last_applied.json
rm -f "$TENCENTCLOUD_TRTC_RECORD_FILE"

log "first run: the relay task changes"
ansible-playbook --diff "$REPO_ROOT/examples/relay_demo.yml" "$@"

log "second run: nothing to change"
ansible-playbook "$REPO_ROOT/examples/relay_demo.yml" "$@" | tee "$WORK_DIR/demo/second-run.log"
grep -q 'changed=0' "$WORK_DIR/demo/second-run.log" || { echo "the second run changed something" >&2; exit 1; }

log "what the emulator's task holds now"
"$VENV/bin/python" - "$EMULATOR_URL" <<'PY'
import json, sys, urllib.request
state = json.load(urllib.request.urlopen(sys.argv[1] + '/_emulator/state'))
for task in state['tasks']:
    print('  %(task_id)s: stream_url=%(stream_url)s volume=%(volume)s paused=%(paused)s' % task)
print('  %d API requests received, %d of them UpdateStreamIngest'
      % (len(state['requests']), sum(r['action'] == 'UpdateStreamIngest' for r in state['requests'])))
PY
log "demo done"
