#!/usr/bin/env bash
# The main job: build and install the collection, start the local TRTC emulator (nothing seeded but
# credentials), run the example playbook examples/relay_demo.yml through the whole life of a relay
# (start it, switch it to the backup stream, pause it, stop it), each phase twice (the second run
# changes nothing), each run ending with the list of what runs (nothing, once stopped), and stop the emulator.
# It runs on the newest ansible-core release the machine's Python allows (2.21, on Python 3.12 or 3.13).
# Usage: scripts/demo.sh            (needs Python 3.12 or 3.13 and access to PyPI for the first run)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_venv
mkdir -p "$WORK_DIR"
log "$(ansible --version | head -1), $("$VENV/bin/python" --version)"

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

# The application's SDK secret key, which the emulator knows as the demo one: it makes the robot user's UserSig.
export TENCENTCLOUD_TRTC_SDK_SECRET_KEY=emulator-demo-sdk-secret-key-not-real

# Every phase of the relay's life, twice: the first run changes the relay, the second changes nothing.
for phase in started switched paused stopped; do
    log "phase $phase: first run"
    ansible-playbook --diff "$REPO_ROOT/examples/relay_demo.yml" -e relay_phase=$phase "$@"
    log "phase $phase: second run, nothing to change"
    ansible-playbook "$REPO_ROOT/examples/relay_demo.yml" -e relay_phase=$phase "$@" \
        | tee "$WORK_DIR/demo/second-run-$phase.log"
    grep -q 'changed=0' "$WORK_DIR/demo/second-run-$phase.log" \
        || { echo "the second run of phase $phase changed something" >&2; exit 1; }
done
grep -q '"msg": "Relays running: none"' "$WORK_DIR/demo/second-run-stopped.log" \
    || { echo "the list after the stop shows a relay running" >&2; exit 1; }

log "what the emulator received"
"$VENV/bin/python" - "$EMULATOR_URL" <<'PY'
import json, os, sys, urllib.request
import collections
request = urllib.request.Request(sys.argv[1] + '/_emulator/state', headers={'X-Emulator-Token': os.environ['EMULATOR_TOKEN']})
state = json.load(urllib.request.urlopen(request))
actions = collections.Counter(request['action'] for request in state['requests'])
print('  %d API requests: %s' % (len(state['requests']), ', '.join('%d %s' % (count, action)
                                                               for action, count in sorted(actions.items()))))
print('  relay tasks still running: %d' % len(state['tasks']))
if actions['StartStreamIngest'] != 1 or actions['StopStreamIngest'] != 1 or state['tasks']:
    sys.exit('expected one Start, one Stop and no task left')
PY
log "demo done"
