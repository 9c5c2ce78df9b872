# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The TLS sig v2 UserSig against NOTES.md's algorithm and the official generator (PyPI tls-sig-api-v2).

Implementations differ in JSON spacing and zlib level, so UserSigs are compared by decoding them and
recomputing their TLS.sig, never as strings.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import string
import zlib
from unittest import mock

import pytest

from ansible_collections.tencentcloud.trtc.plugins.module_utils import _usersig as usersig
from ansible_collections.tencentcloud.trtc.tests.unit.plugins import usersig_checks as checks

# The example key of the official generator's own main(); a real key is 64 hex digits too.
KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e'
APP = 1400000000
USER = 'xiaojun'
NOW = 1700000000
EXPIRE = 86400
# HMAC-SHA256 of NOTES.md's four lines for the values above, as the official generator computes it.
GOLDEN_SIG = 'SNF4FmVCPucoXsBOpbVF3fFCf57JPm0ezZ1jeVILlVc='
# TLSSigAPIv2(APP, KEY).gen_sig(USER, EXPIRE) at NOW (tls-sig-api-v2 1.1), recorded once.
OFFICIAL_USER_SIG = (
    'eJyrVgrxCdYrSy1SslJQMtIzUNJRAItkpqTmlWSmZUIkKjIT87NK82CSxSnZiQUFmSlAKUMTAyiAyqVWFGQWpQJlLMxM4IIlmbkg'
    'IUNzNMXFmekg44P93EzccsOcA0qT8yOKnfwLksLcjNPcnNNMzb0Ccg1Sq6IMs1LDPH1ywpJtlWoBk68y0A__'
)
USER_ALPHABET = string.ascii_letters + string.digits + '_-@.:= +/\n\u00e9\u4e2d\U0001f600'
KEY_ALPHABET = string.ascii_letters + string.digits + '+/=_-!"\\\u00e9\u4e2d'


def _official():
    """The official generator's module (a test-only dependency, tests/unit/requirements.txt)."""
    import TLSSigAPIv2
    return TLSSigAPIv2


def _official_user_sig(sdk_app_id, key, user_id, expire, now):
    """The official generator's UserSig, made at the unix second now."""
    official = _official()
    with mock.patch.object(official.time, 'time', return_value=now):
        return official.TLSSigAPIv2(sdk_app_id, key).gen_sig(user_id, expire)


def _official_tls_sig(sdk_app_id, key, user_id, now, expire):
    """TLS.sig as the official generator computes it (its private HMAC method)."""
    api = _official().TLSSigAPIv2(sdk_app_id, key)
    return api._TLSSigAPIv2__hmacsha256(user_id, now, expire).decode('ascii')


def _official_decode(user_sig):
    """Fields of a UserSig read with the official generator's base64 decoder, zlib and json."""
    return json.loads(zlib.decompress(_official().base64_decode_url(user_sig.encode('ascii'))).decode('utf-8'))


def _hand_tls_sig(key, sdk_app_id, user_id, now, expire):
    """TLS.sig written out from NOTES.md, independent of the module under test."""
    text = 'TLS.identifier:%s\nTLS.sdkappid:%s\nTLS.time:%s\nTLS.expire:%s\n' % (user_id, sdk_app_id, now, expire)
    return base64.b64encode(hmac.new(key.encode('utf-8'), text.encode('utf-8'), hashlib.sha256).digest()).decode()


def _hand_encode(fields, level=6):
    """A UserSig of any fields, written out from NOTES.md (for tampered ones)."""
    data = base64.b64encode(zlib.compress(json.dumps(fields).encode('utf-8'), level)).decode('ascii')
    return data.replace('+', '*').replace('/', '-').replace('=', '_')


def _expected_fields(key, sdk_app_id, user_id, now, expire):
    """The fields NOTES.md says a UserSig of these inputs holds."""
    return {'TLS.ver': '2.0', 'TLS.identifier': user_id, 'TLS.sdkappid': sdk_app_id, 'TLS.expire': expire,
            'TLS.time': int(now), 'TLS.sig': _hand_tls_sig(key, sdk_app_id, user_id, int(now), expire)}


def _valid_at(fields, key, moment):
    """What a verifier does: the signature recomputes with key and the UserSig has not expired at moment."""
    return checks.signature_matches(fields, key) and moment < checks.expires_at(fields)


def _random_text(rng, alphabet, low, high):
    """Between low and high characters drawn from alphabet."""
    return ''.join(rng.choice(alphabet) for dummy in range(rng.randint(low, high)))


def _random_inputs(rng):
    """sdk_app_id, key, user_id, expire, now: like real ones half of the time, anything valid otherwise."""
    if rng.random() < 0.5:
        key = ''.join(rng.choice('0123456789abcdef') for dummy in range(64))
        user_id = _random_text(rng, string.ascii_letters + string.digits + '_-', 1, 32)
    else:
        key = _random_text(rng, KEY_ALPHABET, 1, 80)
        user_id = _random_text(rng, USER_ALPHABET, 1, 40)
    sdk_app_id = rng.choice([rng.randint(1400000000, 1600000000), rng.randint(1, 2 ** 32 - 1), 1])
    expire = rng.choice([rng.randint(1, 600), rng.randint(1, 180 * 86400), rng.randint(1, 10 ** 10)])
    now = rng.randint(0, 4102444800)
    return sdk_app_id, key, user_id, expire, now


def test_golden_vector_built_by_hand_from_the_notes():
    to_sign = 'TLS.identifier:xiaojun\nTLS.sdkappid:1400000000\nTLS.time:1700000000\nTLS.expire:86400\n'
    by_hand = base64.b64encode(hmac.new(KEY.encode(), to_sign.encode(), hashlib.sha256).digest()).decode()
    assert by_hand == GOLDEN_SIG
    assert usersig.content_to_sign(APP, USER, NOW, EXPIRE) == to_sign
    assert usersig.tls_sig(KEY, APP, USER, NOW, EXPIRE) == GOLDEN_SIG

    fields = usersig.decode_user_sig(usersig.make_user_sig(APP, KEY, USER, EXPIRE, NOW))
    assert fields == {'TLS.ver': '2.0', 'TLS.identifier': 'xiaojun', 'TLS.sdkappid': 1400000000,
                      'TLS.expire': 86400, 'TLS.time': 1700000000, 'TLS.sig': GOLDEN_SIG}
    assert [type(fields[name]) for name in ('TLS.sdkappid', 'TLS.expire', 'TLS.time')] == [int, int, int]
    assert checks.expires_at(fields) == 1700086400


def test_decodes_and_verifies_a_recorded_official_user_sig():
    fields = usersig.decode_user_sig(OFFICIAL_USER_SIG)
    assert fields == _expected_fields(KEY, APP, USER, NOW, EXPIRE)
    assert fields['TLS.sig'] == GOLDEN_SIG
    assert _valid_at(fields, KEY, NOW + EXPIRE - 1)
    assert not _valid_at(fields, KEY, NOW + EXPIRE)


def test_time_is_whole_seconds_rounded_down():
    fields = usersig.decode_user_sig(usersig.make_user_sig(APP, KEY, USER, EXPIRE, NOW + 0.999))
    assert fields['TLS.time'] == NOW
    assert fields['TLS.sig'] == GOLDEN_SIG


def test_base64_alphabet_substitution():
    # b'\xfb\xef\xbe' is '++++', b'\xff\xff\xff' is '////' and b'\xff' is '/w==' in standard base64.
    raw = b'\xfb\xef\xbe\xff\xff\xff\xff'
    assert base64.b64encode(raw) == b'++++/////w=='
    assert usersig.encode_user_sig_base64(raw) == '****-----w__'
    assert usersig.decode_user_sig_base64('****-----w__') == raw
    assert usersig.decode_user_sig_base64(_official().base64_encode_url(raw)) == raw


def test_user_sigs_use_only_the_substituted_alphabet():
    rng = random.Random(7)
    seen = set()
    for dummy in range(300):
        sdk_app_id, key, user_id, expire, now = _random_inputs(rng)
        ours = usersig.make_user_sig(sdk_app_id, key, user_id, expire, now)
        assert set(ours) <= set(string.ascii_letters + string.digits + '*-_')
        standard = ours.replace('*', '+').replace('-', '/').replace('_', '=')
        assert base64.b64encode(base64.b64decode(standard)).decode() == standard
        seen.update(set(ours) & set('*-_'))
    assert seen == set('*-_')


def test_ours_decodes_and_recomputes_with_the_official_code_on_random_inputs():
    rng = random.Random(20261124)
    for dummy in range(300):
        sdk_app_id, key, user_id, expire, now = _random_inputs(rng)
        ours = usersig.make_user_sig(sdk_app_id, key, user_id, expire, now)
        fields = _official_decode(ours)
        assert fields == _expected_fields(key, sdk_app_id, user_id, now, expire)
        assert fields['TLS.sig'] == _official_tls_sig(sdk_app_id, key, user_id, now, expire)
        assert usersig.decode_user_sig(ours) == fields
        assert _valid_at(fields, key, now)


def test_official_decodes_and_verifies_with_ours_on_random_inputs():
    rng = random.Random(1400188366)
    for dummy in range(300):
        sdk_app_id, key, user_id, expire, now = _random_inputs(rng)
        official = _official_user_sig(sdk_app_id, key, user_id, expire, now)
        fields = usersig.decode_user_sig(official)
        assert fields == _expected_fields(key, sdk_app_id, user_id, now, expire)
        assert checks.signature_matches(fields, key)
        assert _valid_at(fields, key, now + expire - 1)
        assert fields == usersig.decode_user_sig(usersig.make_user_sig(sdk_app_id, key, user_id, expire, now))


def test_official_user_sig_at_a_fractional_second_verifies():
    official = _official_user_sig(APP, KEY, USER, EXPIRE, NOW + 0.75)
    fields = usersig.decode_user_sig(official)
    assert fields['TLS.time'] == NOW
    assert checks.signature_matches(fields, KEY)


def _tampered(fields, rng):
    """Copies of fields, each with one signed field changed and the old TLS.sig kept."""
    changes = {
        'TLS.identifier': fields['TLS.identifier'] + rng.choice(['x', '0', ' ']),
        'TLS.sdkappid': fields['TLS.sdkappid'] + rng.randint(1, 1000),
        'TLS.time': fields['TLS.time'] + rng.randint(1, 1000),
        'TLS.expire': fields['TLS.expire'] + rng.randint(1, 1000),
    }
    for name, value in changes.items():
        copy = dict(fields)
        copy[name] = value
        yield name, copy


def test_tampering_fails_the_recomputation_or_the_expiry_check():
    rng = random.Random(99)
    for dummy in range(200):
        sdk_app_id, key, user_id, expire, now = _random_inputs(rng)
        for user_sig in (usersig.make_user_sig(sdk_app_id, key, user_id, expire, now),
                         _official_user_sig(sdk_app_id, key, user_id, expire, now)):
            fields = usersig.decode_user_sig(user_sig)
            assert _valid_at(fields, key, now)
            other_key = key + rng.choice(['0', 'a', '\u00e9'])
            assert not checks.signature_matches(fields, other_key)
            assert not checks.signature_matches(fields, key[:-1] or 'k')
            for name, changed in _tampered(fields, rng):
                assert not checks.signature_matches(usersig.decode_user_sig(_hand_encode(changed)), key), name
            other_user = usersig.make_user_sig(sdk_app_id, key, user_id + 'x', expire, now)
            assert usersig.decode_user_sig(other_user)['TLS.sig'] != fields['TLS.sig']
            assert not _valid_at(fields, key, now + expire)
            assert not _valid_at(fields, key, now + expire + rng.randint(1, 10 ** 6))


def test_any_zlib_level_and_json_spacing_decodes():
    fields = _expected_fields(KEY, APP, USER, NOW, EXPIRE)
    for level in (0, 1, 6, 9):
        assert usersig.decode_user_sig(_hand_encode(fields, level)) == fields
    indented = json.dumps(fields, indent=4)
    spaced = (' ' * (65000 - len(indented)) + indented).encode()  # JSON spacing of any size up to the bound
    assert usersig.decode_user_sig(usersig.encode_user_sig_base64(zlib.compress(spaced))) == fields
    compact = json.dumps(fields, separators=(',', ':')).encode()
    assert usersig.decode_user_sig(usersig.encode_user_sig_base64(zlib.compress(compact))) == fields


@pytest.mark.parametrize('fields', [
    {},
    {'TLS.identifier': USER, 'TLS.sdkappid': APP, 'TLS.time': NOW, 'TLS.expire': EXPIRE},
    dict(_expected_fields(KEY, APP, USER, NOW, EXPIRE), **{'TLS.sdkappid': str(APP)}),
    dict(_expected_fields(KEY, APP, USER, NOW, EXPIRE), **{'TLS.time': True}),
    dict(_expected_fields(KEY, APP, USER, NOW, EXPIRE), **{'TLS.sig': None}),
    dict(_expected_fields(KEY, APP, USER, NOW, EXPIRE), **{'TLS.sig': GOLDEN_SIG + '\u00e9'}),
    dict(_expected_fields(KEY, APP, USER, NOW, EXPIRE), **{'TLS.identifier': 7}),
    dict(_expected_fields(KEY, APP, USER, NOW, EXPIRE), **{'TLS.identifier': '\ud800'}),
])
def test_malformed_fields_never_match(fields):
    assert not checks.signature_matches(fields, KEY)


SECRET = 'do-not-show-this-key-0123456789abcdef'


@pytest.mark.parametrize('arguments, parameter', [
    ((0, SECRET, USER, EXPIRE, NOW), 'sdk_app_id'),
    ((-5, SECRET, USER, EXPIRE, NOW), 'sdk_app_id'),
    ((True, SECRET, USER, EXPIRE, NOW), 'sdk_app_id'),
    (('1400000000', SECRET, USER, EXPIRE, NOW), 'sdk_app_id'),
    ((1.5, SECRET, USER, EXPIRE, NOW), 'sdk_app_id'),
    ((None, SECRET, USER, EXPIRE, NOW), 'sdk_app_id'),
    ((APP, '', USER, EXPIRE, NOW), 'sdk_secret_key'),
    ((APP, None, USER, EXPIRE, NOW), 'sdk_secret_key'),
    ((APP, SECRET.encode(), USER, EXPIRE, NOW), 'sdk_secret_key'),
    ((APP, SECRET + '\udcff', USER, EXPIRE, NOW), 'sdk_secret_key'),
    ((APP, SECRET, '', EXPIRE, NOW), 'user_id'),
    ((APP, SECRET, None, EXPIRE, NOW), 'user_id'),
    ((APP, SECRET, 12345, EXPIRE, NOW), 'user_id'),
    ((APP, SECRET, b'relay', EXPIRE, NOW), 'user_id'),
    ((APP, SECRET, 'relay\ud800', EXPIRE, NOW), 'user_id'),
    ((APP, SECRET, USER, 0, NOW), 'expire'),
    ((APP, SECRET, USER, -1, NOW), 'expire'),
    ((APP, SECRET, USER, False, NOW), 'expire'),
    ((APP, SECRET, USER, '3600', NOW), 'expire'),
    ((APP, SECRET, USER, 3600.0, NOW), 'expire'),
    ((APP, SECRET, USER, EXPIRE, -1), 'now'),
    ((APP, SECRET, USER, EXPIRE, None), 'now'),
    ((APP, SECRET, USER, EXPIRE, '1700000000'), 'now'),
    ((APP, SECRET, USER, EXPIRE, True), 'now'),
    ((APP, SECRET, USER, EXPIRE, float('nan')), 'now'),
    ((APP, SECRET, USER, EXPIRE, float('inf')), 'now'),
])
def test_bad_inputs_name_the_parameter_and_never_show_the_key(arguments, parameter):
    with pytest.raises(ValueError) as caught:
        usersig.make_user_sig(*arguments)
    assert isinstance(caught.value, usersig.UserSigInputError)
    assert caught.value.parameter == parameter
    message = str(caught.value)
    assert message.startswith(parameter + ' must be ')
    assert SECRET not in message and 'do-not-show' not in message
    assert caught.value.__cause__ is None and caught.value.__context__ is None


def test_the_first_bad_parameter_is_named_in_signature_order():
    with pytest.raises(ValueError, match='^sdk_app_id '):
        usersig.make_user_sig(0, '', '', 0, -1)
    with pytest.raises(ValueError, match='^user_id '):
        usersig.make_user_sig(APP, SECRET, '', 0, -1)


def _zlib_url(data):
    """Any bytes, zlib-compressed and base64-encoded as a UserSig is."""
    return usersig.encode_user_sig_base64(zlib.compress(data))


@pytest.mark.parametrize('user_sig, problem', [
    ('', 'must be a non-empty string'),
    (None, 'must be a non-empty string'),
    (b'eJyr', 'must be a non-empty string'),
    ('secret!!not-base64', 'not base64'),
    ('abc', 'not base64'),
    ('\u00e9\u00e9\u00e9\u00e9', 'not base64'),
    (usersig.encode_user_sig_base64(b'secret plain text'), 'not zlib'),
    (usersig.encode_user_sig_base64(zlib.compress(b'{"TLS.sig": "secret-sig"}')[:-6]), 'not zlib'),
    (usersig.encode_user_sig_base64(zlib.compress(b'{"TLS.sig": "secret-sig"}') + b'secret'), 'not zlib'),
    (_zlib_url(b' ' * 65537 + b'{"TLS.sig": "secret-sig"}'), 'not zlib-compressed data of at most 65536 bytes'),
    (_zlib_url(b'{"TLS.sig": "secret-sig" '), 'not a JSON object'),
    (_zlib_url(b'\xff\xfe secret'), 'not a JSON object'),
    (_zlib_url(b'["secret-sig"]'), 'not a JSON object'),
])
def test_decode_refuses_what_is_no_user_sig_without_showing_it(user_sig, problem):
    with pytest.raises(ValueError) as caught:
        usersig.decode_user_sig(user_sig)
    message = str(caught.value)
    assert message.startswith('user_sig ') and problem in message
    assert 'secret' not in message
    if isinstance(user_sig, str) and user_sig:
        assert user_sig not in message
    assert caught.value.__cause__ is None and caught.value.__context__ is None
