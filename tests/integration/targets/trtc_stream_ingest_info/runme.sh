#!/usr/bin/env bash
set -eux
source ../setup_emulator/test_env.sh
start_test_emulator
ansible-playbook -i "$INVENTORY_PATH" -e "emulator_url=$EMULATOR_URL" -e "record_dir=$OUTPUT_DIR" playbook.yml "$@"
