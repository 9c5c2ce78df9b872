# shellcheck shell=bash
# Sourced by the runme.sh of each target: the keys the emulator accepts in the tests, and
# start_test_emulator, which starts the emulator with them and stops it when the target ends.

# shellcheck source=tests/integration/targets/setup_emulator/emulator.sh
source "$(dirname "${BASH_SOURCE[0]}")/emulator.sh"

# They exist nowhere but here.
export TEST_SECRET_ID=AKIDintegrationtest0000000000000001
export TEST_SECRET_KEY=integration-secret-key-d41d8cd98f00b204
export TEST_TEMP_SECRET_ID=AKIDintegrationtemporary00000000002
export TEST_TEMP_SECRET_KEY=integration-temporary-key-e3b0c44298
export TEST_SESSION_TOKEN=integration-session-token-9f86d081884c
export TEST_SDK_APP_ID=1400188366
export TEST_SDK_SECRET_KEY=integration-sdk-secret-key-5feceb66ffc8

start_test_emulator() {
    trap stop_emulator EXIT
    start_emulator "$OUTPUT_DIR" \
        --credential "$TEST_SECRET_ID:$TEST_SECRET_KEY" \
        --credential "$TEST_TEMP_SECRET_ID:$TEST_TEMP_SECRET_KEY:$TEST_SESSION_TOKEN" \
        --sdk-secret-key "$TEST_SDK_APP_ID:$TEST_SDK_SECRET_KEY" "$@"
}
