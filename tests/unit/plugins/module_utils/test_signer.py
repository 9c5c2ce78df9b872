# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json
import random
import string
from unittest import mock

import pytest

from ansible_collections.tencentcloud.trtc.plugins.module_utils import _signer as signer

SECRET_ID = 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE'
SECRET_KEY = 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE'
TIMESTAMP = 1551113065
GOLDEN_BODY = (b'{"SdkAppId": 1400188366, "TaskId": "task-0001", "StreamUrl": "https://example.com/live/new.flv", '
               b'"Volume": 80, "IsPause": false}')
CVM_BODY = b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'


def test_golden_vector_of_update_stream_ingest():
    headers = signer.signed_headers((SECRET_ID, SECRET_KEY, None), 'trtc', 'trtc.intl.tencentcloudapi.com',
                                    'UpdateStreamIngest', '2019-07-22', 'ap-singapore', GOLDEN_BODY, TIMESTAMP)
    assert headers['Authorization'] == (
        'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/trtc/tc3_request, '
        'SignedHeaders=content-type;host, '
        'Signature=93a13d51aa066cffb36fd2ff2122c4649e103b20cd6b31f920ff93f4d1b7c806')
    assert headers['X-TC-Timestamp'] == '1551113065'
    assert headers['X-TC-Region'] == 'ap-singapore'
    assert 'X-TC-Token' not in headers


def test_tencent_published_cvm_example():
    content_type = 'application/json; charset=utf-8'
    assert signer.sha256_hex(CVM_BODY) == '35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064'
    canonical = signer.canonical_request(content_type, 'cvm.tencentcloudapi.com', CVM_BODY)
    assert signer.sha256_hex(canonical) == '5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031'
    to_sign = signer.string_to_sign(TIMESTAMP, 'cvm', canonical)
    assert signer.signature(SECRET_KEY, TIMESTAMP, 'cvm', to_sign) == \
        '72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168'


@pytest.mark.parametrize('timestamp, date', [
    (1551113065, '2019-02-25'),  # 2019-02-26 in UTC+8: the scope uses the UTC date
    (1551139199, '2019-02-25'),
    (1551139200, '2019-02-26'),
    (0, '1970-01-01'),
])
def test_scope_date_is_the_utc_date(timestamp, date):
    assert signer.scope_date(timestamp) == date


def test_token_header_only_when_given():
    headers = signer.signed_headers(('id', 'key', 'tok'), 'trtc', 'h', 'A', 'v', 'r', b'{}', 1)
    assert headers['X-TC-Token'] == 'tok'
    assert 'X-TC-Token' not in signer.signed_headers(('id', 'key', None), 'trtc', 'h', 'A', 'v', 'r', b'{}', 1)


def _random_text(rng, alphabet, low, high):
    return ''.join(rng.choice(alphabet) for dummy in range(rng.randint(low, high)))


def _sdk_headers(secret_id, secret_key, token, host, region, action, params, timestamp):
    """The headers the official SDK sends, captured before they leave."""
    from tencentcloud.common import credential
    from tencentcloud.common.common_client import CommonClient
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile

    profile = ClientProfile(httpProfile=HttpProfile(endpoint=host))
    client = CommonClient('trtc', '2019-07-22', credential.Credential(secret_id, secret_key, token), region,
                          profile=profile)
    sent = {}

    def capture(request):
        sent.update(headers=dict(request.header), data=request.data)
        raise RuntimeError('captured')

    with mock.patch('tencentcloud.common.abstract_client.time.time', return_value=timestamp), \
            mock.patch.object(client.request, 'send_request', side_effect=capture):
        with pytest.raises(Exception):
            client.call_json(action, params)
    return sent['headers'], sent['data']


def test_equal_to_the_official_sdk_on_random_inputs():
    rng = random.Random(20261124)
    printable = string.ascii_letters + string.digits + '-_./:?&=%~ "\\\u00e9\u4e2d\U0001f600'
    for dummy in range(300):
        secret_id = 'AKID' + _random_text(rng, string.ascii_letters + string.digits, 8, 36)
        secret_key = _random_text(rng, string.ascii_letters + string.digits + '+/=', 1, 40)
        token = rng.choice([None, _random_text(rng, string.ascii_letters + string.digits, 10, 60)])
        host = rng.choice(['trtc.intl.tencentcloudapi.com', 'trtc.tencentcloudapi.com', '127.0.0.1:%d' % rng.randint(1, 65535)])
        region = rng.choice(['ap-singapore', 'ap-tokyo', 'ap-guangzhou'])
        action = rng.choice(['UpdateStreamIngest', 'DescribeStreamIngest', 'StopStreamIngest'])
        timestamp = rng.randint(0, 4102444800)
        params = {'SdkAppId': rng.randint(1, 2 ** 31), 'TaskId': _random_text(rng, printable, 0, 40)}
        if rng.random() < 0.5:
            params['StreamUrl'] = _random_text(rng, printable, 0, 80)
            params['Volume'] = rng.randint(0, 100)
            params['IsPause'] = rng.random() < 0.5

        sdk_headers, sdk_body = _sdk_headers(secret_id, secret_key, token, host, region, action, params, timestamp)
        payload = sdk_body.encode('utf-8')
        ours = signer.signed_headers((secret_id, secret_key, token), 'trtc', host, action, '2019-07-22',
                                     region, payload, timestamp)
        assert json.loads(payload) == params
        for name, value in ours.items():
            assert sdk_headers[name] == value, (name, params)
