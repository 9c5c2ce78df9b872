# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import itertools

import pytest

from ansible_collections.tencentcloud.trtc.plugins.module_utils.client import (
    TencentCloudError, TrtcClient, full_jitter_delay, parse_endpoint,
)
from ansible_collections.tencentcloud.trtc.tests.unit.plugins.fake_service import (
    CONNECTION_ERROR, READ_TIMEOUT, FakeReply, FakeSession, api_error, ok,
)

PARAMS = {'SdkAppId': 1400188366, 'TaskId': 'task-0001'}


def make_client(session, **kwargs):
    sleeps = []
    clock = itertools.count(1795564000)
    client = TrtcClient(('AKIDexample', 'secret-key-value', None), 'ap-singapore', 'http://127.0.0.1:9/',
                        session=session, clock=lambda: next(clock), sleep=sleeps.append,
                        uniform=lambda low, high: high, **kwargs)
    return client, sleeps


def test_success_returns_the_response_object():
    session = FakeSession(ok('r-1', Status='InProgress'))
    client, sleeps = make_client(session)
    assert client.call('DescribeStreamIngest', PARAMS) == {'Status': 'InProgress', 'RequestId': 'r-1'}
    call = session.calls[0]
    assert call['url'] == 'http://127.0.0.1:9/'
    assert call['headers']['Host'] == '127.0.0.1:9'
    assert call['headers']['X-TC-Action'] == 'DescribeStreamIngest'
    assert call['headers']['X-TC-Version'] == '2019-07-22'
    assert call['body'] == b'{"SdkAppId": 1400188366, "TaskId": "task-0001"}'
    assert sleeps == []


def test_error_is_read_whatever_the_content_type_says():
    session = FakeSession(api_error('InvalidParameter.StreamUrl', 'Invalid StreamUrl format', 'r-9'))
    client, dummy = make_client(session)
    with pytest.raises(TencentCloudError) as caught:
        client.call('UpdateStreamIngest', PARAMS)
    error = caught.value
    assert (error.code, error.message, error.request_id, error.action) == (
        'InvalidParameter.StreamUrl', 'Invalid StreamUrl format', 'r-9', 'UpdateStreamIngest')
    assert str(error) == ('UpdateStreamIngest failed: InvalidParameter.StreamUrl: Invalid StreamUrl format '
                          '(RequestId: r-9)')
    assert len(session.calls) == 1


@pytest.mark.parametrize('code', ['AuthFailure.SignatureFailure', 'AuthFailure.SecretIdNotFound',
                                  'FailedOperation.TaskNotExist', 'InvalidParameter.TaskId', 'UnsupportedRegion'])
def test_auth_parameter_and_operation_errors_are_not_retried(code):
    session = FakeSession(api_error(code))
    client, sleeps = make_client(session)
    with pytest.raises(TencentCloudError) as caught:
        client.call('UpdateStreamIngest', PARAMS)
    assert caught.value.code == code
    assert caught.value.attempts == 1
    assert len(session.calls) == 1 and sleeps == []


@pytest.mark.parametrize('fault', [
    api_error('RequestLimitExceeded'),
    api_error('RequestLimitExceeded.UinLimitExceeded'),
    api_error('InternalError.DBError'),
    FakeReply(503, content=b'<html>Service Unavailable</html>'),
    FakeReply(502, content=b''),
    CONNECTION_ERROR,
    READ_TIMEOUT,
])
def test_faults_are_retried_and_a_later_success_is_a_success(fault):
    session = FakeSession(fault, fault, ok('r-ok', Status='InProgress'))
    client, sleeps = make_client(session)
    assert client.call('UpdateStreamIngest', PARAMS)['RequestId'] == 'r-ok'
    assert len(session.calls) == 3
    assert sleeps == [0.5, 1.0]
    timestamps = [call['headers']['X-TC-Timestamp'] for call in session.calls]
    assert len(set(timestamps)) == 3, 'every attempt must be signed anew'
    assert len(set(call['headers']['Authorization'] for call in session.calls)) == 3


def test_retries_stop_after_max_attempts_with_capped_backoff():
    session = FakeSession(*[api_error('RequestLimitExceeded', request_id='r-%d' % n) for n in range(8)])
    client, sleeps = make_client(session, max_attempts=8, backoff_base=0.5, backoff_cap=4.0)
    with pytest.raises(TencentCloudError) as caught:
        client.call('UpdateStreamIngest', PARAMS)
    assert caught.value.attempts == 8
    assert caught.value.request_id == 'r-7'
    assert 'after 8 attempts' in str(caught.value)
    assert sleeps == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0, 4.0]


def test_full_jitter_draws_between_zero_and_the_capped_ceiling():
    draws = []
    full_jitter_delay(10, 0.5, 8.0, uniform=lambda low, high: draws.append((low, high)) or low)
    assert draws == [(0, 8.0)]


def test_timeout_and_dropped_connection_codes():
    for fault, code in ((READ_TIMEOUT, 'ClientError.Timeout'), (CONNECTION_ERROR, 'ClientError.NetworkError')):
        session = FakeSession(fault)
        client, dummy = make_client(session, max_attempts=1)
        with pytest.raises(TencentCloudError) as caught:
            client.call('DescribeStreamIngest', PARAMS)
        assert caught.value.code == code


def test_non_json_200_is_an_invalid_response_not_a_success():
    session = FakeSession(FakeReply(200, content=b'<html>captive portal</html>'))
    client, dummy = make_client(session)
    with pytest.raises(TencentCloudError) as caught:
        client.call('DescribeStreamIngest', PARAMS)
    assert caught.value.code == 'ClientError.InvalidResponse'
    assert len(session.calls) == 1


def test_secret_key_never_leaves_in_headers_or_errors():
    session = FakeSession(api_error('AuthFailure.SignatureFailure'))
    client, dummy = make_client(session)
    with pytest.raises(TencentCloudError) as caught:
        client.call('DescribeStreamIngest', PARAMS)
    assert 'secret-key-value' not in str(caught.value.to_dict())
    assert all('secret-key-value' not in value for value in session.calls[0]['headers'].values())


def test_throttle_is_asked_before_every_attempt():
    asked = []
    session = FakeSession(api_error('RequestLimitExceeded'), ok())
    client, dummy = make_client(session, throttle=asked.append)
    client.call('StopStreamIngest', PARAMS)
    assert asked == ['StopStreamIngest', 'StopStreamIngest']


@pytest.mark.parametrize('endpoint, url, host', [
    ('trtc.intl.tencentcloudapi.com', 'https://trtc.intl.tencentcloudapi.com/', 'trtc.intl.tencentcloudapi.com'),
    ('http://127.0.0.1:8080', 'http://127.0.0.1:8080/', '127.0.0.1:8080'),
    ('https://trtc.tencentcloudapi.com/', 'https://trtc.tencentcloudapi.com/', 'trtc.tencentcloudapi.com'),
])
def test_endpoints(endpoint, url, host):
    assert parse_endpoint(endpoint) == (url, host)


@pytest.mark.parametrize('endpoint', ['', 'ftp://host', 'http://', 'https://host/path', 'http://host:port'])
def test_bad_endpoints(endpoint):
    with pytest.raises(ValueError):
        parse_endpoint(endpoint)
