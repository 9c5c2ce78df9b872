# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The user_sig filter: a UserSig made now that decodes and verifies; bad options named, the key never shown."""

from __future__ import annotations

import base64
import hashlib
import hmac
from unittest import mock

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.tencentcloud.trtc.plugins.filter import user_sig as user_sig_filter
from ansible_collections.tencentcloud.trtc.plugins.module_utils._usersig import decode_user_sig

KEY = 'never-show-me-5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8'
APP = 1400188366
NOW = 1764000000.25


def _make(*args, **kwargs):
    """The filter's result at the unix time NOW."""
    with mock.patch.object(user_sig_filter.time, 'time', return_value=NOW):
        return user_sig_filter.user_sig(*args, **kwargs)


def _hand_tls_sig(key, sdk_app_id, user_id, now, expire):
    """TLS.sig written out from NOTES.md."""
    text = 'TLS.identifier:%s\nTLS.sdkappid:%d\nTLS.time:%d\nTLS.expire:%d\n' % (user_id, sdk_app_id, now, expire)
    return base64.b64encode(hmac.new(key.encode(), text.encode(), hashlib.sha256).digest()).decode()


def test_the_filter_is_exposed_as_user_sig():
    assert user_sig_filter.FilterModule().filters() == {'user_sig': user_sig_filter.user_sig}


def test_made_now_and_decodes_to_the_right_fields():
    fields = decode_user_sig(_make('relay-cam-1', sdk_app_id=APP, key=KEY, expire=3600))
    assert fields == {'TLS.ver': '2.0', 'TLS.identifier': 'relay-cam-1', 'TLS.sdkappid': APP, 'TLS.expire': 3600,
                      'TLS.time': 1764000000,
                      'TLS.sig': _hand_tls_sig(KEY, APP, 'relay-cam-1', 1764000000, 3600)}


def test_expire_defaults_to_a_day():
    assert decode_user_sig(_make('relay-cam-1', sdk_app_id=APP, key=KEY))['TLS.expire'] == 86400
    assert decode_user_sig(_make('relay-cam-1', sdk_app_id=APP, key=KEY, expire=None))['TLS.expire'] == 86400
    assert user_sig_filter.DEFAULT_EXPIRE == 86400


def test_positional_options_in_the_documented_order():
    fields = decode_user_sig(_make('relay-cam-1', APP, KEY, 60))
    assert (fields['TLS.sdkappid'], fields['TLS.expire']) == (APP, 60)
    assert fields['TLS.sig'] == _hand_tls_sig(KEY, APP, 'relay-cam-1', 1764000000, 60)


def test_strings_of_digits_are_taken_as_integers():
    fields = decode_user_sig(_make('relay-cam-1', sdk_app_id=str(APP), key=KEY, expire=' 3600 '))
    assert (fields['TLS.sdkappid'], fields['TLS.expire']) == (APP, 3600)


def test_the_time_is_the_clock_at_each_call():
    with mock.patch.object(user_sig_filter.time, 'time', side_effect=[1000.0, 2000.9]):
        first = user_sig_filter.user_sig('u', sdk_app_id=APP, key=KEY)
        second = user_sig_filter.user_sig('u', sdk_app_id=APP, key=KEY)
    assert [decode_user_sig(sig)['TLS.time'] for sig in (first, second)] == [1000, 2000]


@pytest.mark.parametrize('user_id, options, option', [
    ('relay-cam-1', dict(key=KEY), 'sdk_app_id is required'),
    ('relay-cam-1', dict(sdk_app_id=APP), 'key is required'),
    ('relay-cam-1', dict(sdk_app_id=0, key=KEY), 'sdk_app_id must be a positive integer'),
    ('relay-cam-1', dict(sdk_app_id='-1', key=KEY), 'sdk_app_id must be a positive integer'),
    ('relay-cam-1', dict(sdk_app_id='14001883xx', key=KEY), 'sdk_app_id must be a positive integer'),
    ('relay-cam-1', dict(sdk_app_id=True, key=KEY), 'sdk_app_id must be a positive integer'),
    ('relay-cam-1', dict(sdk_app_id=APP, key=''), 'key must be a non-empty string'),
    ('relay-cam-1', dict(sdk_app_id=APP, key=12345), 'key must be a non-empty string'),
    ('relay-cam-1', dict(sdk_app_id=APP, key=[KEY]), 'key must be a non-empty string'),
    ('relay-cam-1', dict(sdk_app_id=APP, key=KEY + '\udcff'), 'key must be text that UTF-8 can encode'),
    ('', dict(sdk_app_id=APP, key=KEY), '_input (the user ID) must be a non-empty string'),
    (None, dict(sdk_app_id=APP, key=KEY), '_input (the user ID) must be a non-empty string'),
    (42, dict(sdk_app_id=APP, key=KEY), '_input (the user ID) must be a non-empty string'),
    ('relay-cam-1', dict(sdk_app_id=APP, key=KEY, expire=0), 'expire must be a positive integer'),
    ('relay-cam-1', dict(sdk_app_id=APP, key=KEY, expire='1h'), 'expire must be a positive integer'),
    ('relay-cam-1', dict(sdk_app_id=APP, key=KEY, expire=1.5), 'expire must be a positive integer'),
])
def test_bad_options_are_named_and_the_key_never_shown(user_id, options, option):
    with pytest.raises(AnsibleFilterError) as caught:
        _make(user_id, **options)
    message = str(caught.value)
    assert message.startswith('tencentcloud.trtc.user_sig: ' + option)
    assert 'never-show-me' not in message and KEY not in message
    assert caught.value.__cause__ is None and caught.value.__context__ is None


def test_a_key_still_vault_encrypted_is_decrypted():
    if not user_sig_filter.STILL_ENCRYPTED_TYPES:
        pytest.skip('ansible-core 2.19 and later decrypt a vaulted value before a filter gets it')
    from ansible.parsing.vault import VaultLib, VaultSecret
    from ansible.parsing.yaml.objects import AnsibleVaultEncryptedUnicode

    secret = VaultSecret(b'vault password')
    vaulted = AnsibleVaultEncryptedUnicode.from_plaintext(KEY, VaultLib([('default', secret)]), secret)
    assert not isinstance(vaulted, str)
    fields = decode_user_sig(_make('relay-cam-1', sdk_app_id=APP, key=vaulted, expire=60))
    assert fields['TLS.sig'] == _hand_tls_sig(KEY, APP, 'relay-cam-1', 1764000000, 60)
