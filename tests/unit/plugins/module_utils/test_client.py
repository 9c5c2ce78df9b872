# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import contextlib
import itertools
import json
import shutil
import socket
import ssl
import subprocess
import threading
import time
from unittest import mock

import pytest
import requests

from ansible_collections.tencentcloud.trtc.plugins.module_utils import _client as client_module
from ansible_collections.tencentcloud.trtc.plugins.module_utils._client import (
    TencentCloudError, TrtcClient, full_jitter_delay, parse_endpoint,
)
from ansible_collections.tencentcloud.trtc.tests.unit.plugins.fake_service import (
    CONNECTION_ERROR, READ_TIMEOUT, Call, FakeReply, FakeService, api_error, connection_refused, ok,
)

PARAMS = {'SdkAppId': 1400188366, 'TaskId': 'task-0001'}
CREDENTIALS = ('AKIDexample', 'secret-key-value', None)
OK_BODY = json.dumps({'Response': {'RequestId': 'r-real'}}).encode('ascii')


def service(action, *answers):
    """The service expecting action with PARAMS once per answer (a reply, or an exception the transport raises)."""
    return FakeService(*[Call(action, **PARAMS).gives(answer) for answer in answers])


def make_client(session, endpoint='http://127.0.0.1:9/', credentials=CREDENTIALS, **kwargs):
    sleeps = []
    clock = itertools.count(1795564000)
    client = TrtcClient(credentials, 'ap-singapore', endpoint,
                        session=session, clock=lambda: next(clock), sleep=sleeps.append,
                        uniform=lambda low, high: high, **kwargs)
    return client, sleeps


def failure_of(client, action='DescribeStreamIngest', **call_options):
    with pytest.raises(TencentCloudError) as caught:
        client.call(action, PARAMS, **call_options)
    return caught.value


# Real sockets on 127.0.0.1: each server runs handle(connection) in a thread per connection.

@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    for name in ('HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy'):
        monkeypatch.delenv(name, raising=False)


@contextlib.contextmanager
def tcp_server(handle, tls=None):
    """The port of a server that runs handle(connection, stopped) for every connection until the block ends."""
    listener = socket.create_server(('127.0.0.1', 0))
    listener.settimeout(0.1)
    stopped = threading.Event()

    def handle_one(connection):
        with connection:
            try:
                handle(tls.wrap_socket(connection, server_side=True) if tls else connection, stopped)
            except (OSError, ssl.SSLError):
                pass

    def accept_until_stopped():
        while not stopped.is_set():
            try:
                connection, dummy = listener.accept()
            except socket.timeout:
                continue
            connection.settimeout(None)
            threading.Thread(target=handle_one, args=(connection,), daemon=True).start()

    acceptor = threading.Thread(target=accept_until_stopped, daemon=True)
    acceptor.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stopped.set()
        acceptor.join()
        listener.close()


def read_request(connection):
    """The body of one HTTP request read off connection."""
    data = b''
    while b'\r\n\r\n' not in data:
        chunk = connection.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, body = data.split(b'\r\n\r\n', 1)
    length = [int(line.split(b':')[1]) for line in head.split(b'\r\n') if line.lower().startswith(b'content-length:')]
    while len(body) < (length[0] if length else 0):
        body += connection.recv(65536)
    return body


def answer(connection, status, body=b'', headers=()):
    head = ['HTTP/1.1 %s' % status, 'Content-Length: %d' % len(body), 'Connection: close'] + list(headers)
    connection.sendall(('\r\n'.join(head) + '\r\n\r\n').encode('ascii') + body)


def answer_ok(connection, stopped):
    read_request(connection)
    answer(connection, '200 OK', OK_BODY)


def closed_port():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


@pytest.fixture(scope='module')
def self_signed_tls(tmp_path_factory):
    """A server-side TLS context with a self-signed certificate for 127.0.0.1."""
    if not shutil.which('openssl'):
        pytest.skip('openssl is needed to make a self-signed certificate')
    directory = tmp_path_factory.mktemp('tls')
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
                    '-keyout', str(directory / 'key.pem'), '-out', str(directory / 'cert.pem')],
                   check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(directory / 'cert.pem'), str(directory / 'key.pem'))
    return context


def test_success_returns_the_response_object():
    session = service('DescribeStreamIngest', ok('r-1', Status='InProgress'))
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
    session = service('UpdateStreamIngest', api_error('InvalidParameter.StreamUrl', 'Invalid StreamUrl format', 'r-9'))
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
    session = service('UpdateStreamIngest', api_error(code))
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
    session = service('UpdateStreamIngest', fault, fault, ok('r-ok', Status='InProgress'))
    client, sleeps = make_client(session)
    assert client.call('UpdateStreamIngest', PARAMS)['RequestId'] == 'r-ok'
    assert len(session.calls) == 3
    assert sleeps == [0.5, 1.0]
    timestamps = [call['headers']['X-TC-Timestamp'] for call in session.calls]
    assert len(set(timestamps)) == 3, 'every attempt must be signed anew'
    assert len(set(call['headers']['Authorization'] for call in session.calls)) == 3


def test_retries_stop_after_max_attempts_with_capped_backoff():
    failing = [api_error('InternalError', request_id='r-%d' % n) for n in range(8)]
    session = service('UpdateStreamIngest', *failing)
    client, sleeps = make_client(session, max_attempts=8, backoff_base=0.5, backoff_cap=4.0)
    with pytest.raises(TencentCloudError) as caught:
        client.call('UpdateStreamIngest', PARAMS)
    assert caught.value.attempts == 8
    assert caught.value.request_id == 'r-7'
    assert 'after 8 attempts' in str(caught.value)
    assert sleeps == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0, 4.0]


@pytest.mark.parametrize('throttled', [api_error('RequestLimitExceeded.UinLimitExceeded'), FakeReply(429, content=b'')])
@pytest.mark.parametrize('retry', [True, 'refused_only'])
def test_throttled_replies_are_retried_9_times_and_other_faults_5(throttled, retry):
    """Another machine using the account may keep it at the ceiling for a while: a throttled request, which surely did
    nothing, gets 10 attempts (about 47 s of backoff at most) where other faults get 6."""
    client, sleeps = make_client(service('StartStreamIngest', *[throttled] * 9 + [ok(TaskId='task-late')]))
    assert client.call('StartStreamIngest', PARAMS, retry=retry)['TaskId'] == 'task-late'
    assert sleeps == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0, 8.0, 8.0]
    client, sleeps = make_client(service('StartStreamIngest', *[throttled] * 10))
    assert failure_of(client, 'StartStreamIngest', retry=retry).attempts == 10
    client, sleeps = make_client(service('UpdateStreamIngest', *[api_error('InternalError')] * 6))
    assert failure_of(client, 'UpdateStreamIngest').attempts == 6


def test_other_faults_after_throttled_attempts_end_the_call_at_6_attempts():
    replies = [api_error('RequestLimitExceeded')] * 6 + [api_error('InternalError'), ok('r-never')]
    client, sleeps = make_client(service('UpdateStreamIngest', *replies))
    error = failure_of(client, 'UpdateStreamIngest')
    assert error.code == 'InternalError' and error.attempts == 7


def test_full_jitter_draws_between_zero_and_the_capped_ceiling():
    draws = []
    full_jitter_delay(10, 0.5, 8.0, uniform=lambda low, high: draws.append((low, high)) or low)
    assert draws == [(0, 8.0)]


def test_timeout_and_dropped_connection_codes():
    for fault, code in ((READ_TIMEOUT, 'ClientError.Timeout'), (CONNECTION_ERROR, 'ClientError.NetworkError')):
        session = service('DescribeStreamIngest', fault)
        client, dummy = make_client(session, max_attempts=1)
        with pytest.raises(TencentCloudError) as caught:
            client.call('DescribeStreamIngest', PARAMS)
        assert caught.value.code == code


def test_non_json_200_is_not_the_api_not_a_success():
    session = service('DescribeStreamIngest', FakeReply(200, content=b'<html>captive portal</html>'))
    client, dummy = make_client(session)
    with pytest.raises(TencentCloudError) as caught:
        client.call('DescribeStreamIngest', PARAMS)
    assert caught.value.code == 'ClientError.NotTheApi' and caught.value.never_applied
    assert len(session.calls) == 1


def test_secret_key_never_leaves_in_headers_or_errors():
    session = service('DescribeStreamIngest', api_error('AuthFailure.SignatureFailure'))
    client, dummy = make_client(session)
    with pytest.raises(TencentCloudError) as caught:
        client.call('DescribeStreamIngest', PARAMS)
    assert 'secret-key-value' not in str(caught.value.to_dict())
    assert all('secret-key-value' not in value for value in session.calls[0]['headers'].values())


def test_throttle_is_asked_before_every_attempt():
    asked = []
    session = service('StopStreamIngest', api_error('RequestLimitExceeded'), ok())
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


# Issue 8, item 7: redirects

def test_a_redirect_is_an_error_naming_its_target_and_nothing_reaches_the_target():
    elsewhere = []

    def record_and_answer(connection, stopped):
        elsewhere.append(read_request(connection))
        answer(connection, '200 OK', OK_BODY)

    with tcp_server(record_and_answer) as other_port:
        target = 'http://127.0.0.1:%d/steal' % other_port

        def redirect(connection, stopped):
            read_request(connection)
            answer(connection, '307 Temporary Redirect', headers=['Location: %s' % target])

        with tcp_server(redirect) as port:
            client, sleeps = make_client(None, 'http://127.0.0.1:%d' % port,
                                         credentials=('AKIDexample', 'secret-key-value', 'sts-token'))
            error = failure_of(client, 'UpdateStreamIngest')
    assert error.code == 'ClientError.Redirect'
    assert target in error.message and '307' in error.message
    assert not error.retryable and error.attempts == 1 and sleeps == []
    assert elsewhere == [], 'the body and X-TC-Token went to the redirect target'


def test_redirects_are_never_followed_by_the_session():
    session = service('DescribeStreamIngest',
                      FakeReply(301, content=b'', headers={'Location': 'https://evil.example/'}))
    client, dummy = make_client(session)
    error = failure_of(client)
    assert error.code == 'ClientError.Redirect' and 'https://evil.example/' in str(error)
    assert session.calls[0]['allow_redirects'] is False


# Issue 8, item 8: what is retried, and every network failure named in words

def test_a_refused_connection_is_named_and_retried():
    port = closed_port()
    client, sleeps = make_client(None, 'http://127.0.0.1:%d' % port, max_attempts=3)
    error = failure_of(client)
    assert error.code == 'ClientError.ConnectionRefused'
    assert 'connection refused' in str(error) and '127.0.0.1:%d' % port in str(error)
    assert error.retryable and error.attempts == 3 and len(sleeps) == 2
    assert 'RequestId' not in str(error)


def test_an_unresolvable_name_is_named_and_not_retried():
    client, sleeps = make_client(None, 'https://nonexistent.invalid', max_attempts=6)
    error = failure_of(client)
    assert error.code == 'ClientError.NameNotResolved'
    assert 'name not resolved' in str(error) and 'nonexistent.invalid' in str(error)
    assert not error.retryable and error.attempts == 1 and sleeps == []
    assert 'RequestId' not in str(error)


def test_https_to_a_plain_http_port_says_to_write_http_and_is_not_retried():
    def plain_http(connection, stopped):
        connection.recv(65536)
        answer(connection, '400 Bad Request')

    with tcp_server(plain_http) as port:
        client, sleeps = make_client(None, 'https://127.0.0.1:%d' % port, max_attempts=6)
        error = failure_of(client)
    assert error.code == 'ClientError.NotTLS'
    assert 'http://127.0.0.1:%d' % port in error.message and 'wrong version number' in error.message
    assert not error.retryable and error.attempts == 1 and sleeps == []
    assert 'RequestId' not in str(error)


@pytest.mark.filterwarnings('ignore:Unverified HTTPS request')
def test_a_certificate_failure_is_named_and_not_retried(self_signed_tls):
    with tcp_server(answer_ok, tls=self_signed_tls) as port:
        client, sleeps = make_client(None, 'https://127.0.0.1:%d' % port, max_attempts=6)
        error = failure_of(client)
        trusting, dummy = make_client(None, 'https://127.0.0.1:%d' % port, validate_certs=False)
        assert trusting.call('DescribeStreamIngest', PARAMS)['RequestId'] == 'r-real'
    assert error.code == 'ClientError.CertificateError'
    assert 'certificate verify failed' in error.message and 'self-signed' in error.message
    assert not error.retryable and error.attempts == 1 and sleeps == []
    assert 'RequestId' not in str(error)


def test_an_invalid_header_fails_at_once_without_showing_its_value():
    client, sleeps = make_client(None, 'http://127.0.0.1:%d' % closed_port(),
                                 credentials=('AKIDexample', 'secret-key-value', 'sts-token\nX-Evil: 1'))
    error = failure_of(client)
    assert error.code == 'ClientError.InvalidHeader'
    assert not error.retryable and error.attempts == 1 and sleeps == []
    assert 'sts-token' not in str(error.to_dict()) and 'secret-key-value' not in str(error.to_dict())


@pytest.mark.parametrize('fault, code', [
    (requests.exceptions.ProxyError('Cannot connect to proxy.'), 'ClientError.ProxyError'),
    (requests.exceptions.InvalidURL('Failed to parse'), 'ClientError.InvalidURL'),
    (requests.exceptions.InvalidSchema('No connection adapters'), 'ClientError.InvalidURL'),
])
def test_proxy_and_url_errors_fail_at_once(fault, code):
    session = service('DescribeStreamIngest', fault, ok())
    client, sleeps = make_client(session)
    error = failure_of(client)
    assert error.code == code and error.attempts == 1 and sleeps == []


def test_no_request_id_means_no_request_id_in_the_message():
    client, dummy = make_client(service('DescribeStreamIngest', READ_TIMEOUT), max_attempts=1)
    error = failure_of(client)
    assert str(error) == 'DescribeStreamIngest failed: ClientError.Timeout: %s' % error.message
    assert str(TencentCloudError('X.Y', 'boom', 'r-1', 'A')) == 'A failed: X.Y: boom (RequestId: r-1)'


# Issue 8, item 9: timeout bounds a whole request

def test_timeout_bounds_the_whole_request_not_each_read():
    def trickle(connection, stopped):
        read_request(connection)
        connection.sendall(b'HTTP/1.1 200 OK\r\nX-Slow: ')
        for dummy in range(60):  # 30 s, one byte every half second: no single read waits for 1 s
            if stopped.wait(0.5):
                return
            connection.sendall(b'a')

    with tcp_server(trickle) as port:
        client, dummy = make_client(None, 'http://127.0.0.1:%d' % port, timeout=1, max_attempts=1)
        started = time.monotonic()
        error = failure_of(client)
        elapsed = time.monotonic() - started
    assert error.code == 'ClientError.Timeout' and error.retryable
    assert elapsed < 4, 'a call with timeout=1 took %.1f s' % elapsed


def test_an_endpoint_that_never_answers_says_how_long_it_was_tried_and_what_bounds_that():
    """Each attempt waits for timeout and a timeout is retried: the message says how long that took in all, and what
    bounds it, instead of a long silence explained as one timeout."""
    def never_answer(connection, stopped):
        read_request(connection)
        stopped.wait(30)

    with tcp_server(never_answer) as port:
        client, sleeps = make_client(None, 'http://127.0.0.1:%d' % port, timeout=0.2, max_attempts=3)
        error = failure_of(client)
    assert error.code == 'ClientError.Timeout' and error.attempts == 3 and len(sleeps) == 2
    message = str(error)
    assert message.startswith('DescribeStreamIngest failed after 3 attempts in '), message
    assert ('each attempt waits for its answer up to timeout=0.2 s, and a timeout is retried up to 2 times with '
            'backoff: at most 2.1 s in all; lower timeout to give up sooner') in message, message


class AnswerLog:
    """A throttle that logs each request it lets go and each answer it is told of, in order."""

    def __init__(self):
        self.events = []
        self.answered = threading.Event()

    def __call__(self, action):
        self.events.append('go %s' % action)

        def answered():
            self.events.append('answered %s' % action)
            self.answered.set()
        return answered


def test_the_rate_limit_hears_of_each_attempt_after_its_answer():
    log = AnswerLog()
    session = service('StopStreamIngest', api_error('RequestLimitExceeded'), ok())
    original_post = session.post
    session.post = lambda *args, **kwargs: (log.events.append('post'), original_post(*args, **kwargs))[1]
    client, dummy = make_client(session, throttle=log)
    client.call('StopStreamIngest', PARAMS)
    assert log.events == ['go StopStreamIngest', 'post', 'answered StopStreamIngest'] * 2


class ThrottleLog(AnswerLog):
    """An AnswerLog told of throttled replies too, as the host's rate limit is."""

    def throttled(self, action):
        self.events.append('throttled %s' % action)


def test_the_rate_limit_is_told_of_each_throttled_reply_after_its_answer_and_of_nothing_else():
    log = ThrottleLog()
    session = service('UpdateStreamIngest', api_error('RequestLimitExceeded.UinLimitExceeded'),
                      FakeReply(429, content=b''), api_error('InternalError'), ok())
    client, dummy = make_client(session, throttle=log)
    client.call('UpdateStreamIngest', PARAMS)
    assert log.events == ['go UpdateStreamIngest', 'answered UpdateStreamIngest', 'throttled UpdateStreamIngest'] * 2 + [
        'go UpdateStreamIngest', 'answered UpdateStreamIngest'] * 2


class TurnLog(AnswerLog):
    """An AnswerLog whose turns are told when their request leaves, as the host's rate limit's are."""

    def __call__(self, action):
        answered = AnswerLog.__call__(self, action)
        events = self.events

        class Turn:
            def sending(self):
                events.append('sending %s' % action)

            def __call__(self):
                answered()
        return Turn()


def test_the_rate_limit_is_told_when_the_request_leaves_after_the_record_is_marked_right_before_the_post():
    log = TurnLog()
    session = service('StartStreamIngest', ok())
    original_post = session.post
    session.post = lambda *args, **kwargs: (log.events.append('post'), original_post(*args, **kwargs))[1]
    client, dummy = make_client(session, throttle=log)
    client.call('StartStreamIngest', PARAMS, before_send=lambda: log.events.append('marked'))
    assert log.events == ['go StartStreamIngest', 'marked', 'sending StartStreamIngest', 'post',
                          'answered StartStreamIngest']


def test_before_send_runs_once_the_rate_limit_lets_an_attempt_go_and_its_failure_sends_nothing():
    log = AnswerLog()
    session = service('StartStreamIngest', ok())
    client, dummy = make_client(session, throttle=log)
    client.call('StartStreamIngest', PARAMS, before_send=lambda: log.events.append('marked'))
    assert log.events == ['go StartStreamIngest', 'marked', 'answered StartStreamIngest']

    def fails():
        raise OSError('the record cannot be written')
    log.events[:] = []
    with pytest.raises(OSError):
        client.call('StartStreamIngest', PARAMS, before_send=fails)
    assert log.events == ['go StartStreamIngest', 'answered StartStreamIngest'] and len(session.calls) == 1


def test_a_reply_in_time_is_kept_however_long_the_rate_limit_takes_to_hear_of_it():
    """The rate limit's file or store may be slow: a Start answered in time must not turn into a lost answer."""
    log = AnswerLog()

    def slow_limit(action):
        log(action)
        return lambda: time.sleep(1.5)

    session = service('StartStreamIngest', ok(TaskId='task-started'))
    client, dummy = make_client(session, timeout=1, max_attempts=1, throttle=slow_limit)
    assert client.call('StartStreamIngest', PARAMS, retry='refused_only')['TaskId'] == 'task-started'


def test_a_request_given_up_by_timeout_counts_until_it_really_ends():
    """It may still reach the service: the rate limit hears of its answer only when the exchange ends."""
    def trickle(connection, stopped):
        read_request(connection)
        connection.sendall(b'HTTP/1.1 200 OK\r\nX-Slow: ')
        while not stopped.wait(0.2):
            connection.sendall(b'a')

    log = AnswerLog()
    with tcp_server(trickle) as port:
        client, dummy = make_client(None, 'http://127.0.0.1:%d' % port, timeout=1, max_attempts=1, throttle=log)
        assert failure_of(client).code == 'ClientError.Timeout'
        assert log.events == ['go DescribeStreamIngest']
    assert log.answered.wait(10)


def test_requests_gets_the_timeout_too():
    session = service('DescribeStreamIngest', ok())
    client, dummy = make_client(session, timeout=7)
    client.call('DescribeStreamIngest', PARAMS)
    assert session.calls[0]['timeout'] == 7


# Issue 8, item 12: HTTP 429

def test_http_429_is_retried_like_throttling():
    session = service('UpdateStreamIngest', FakeReply(429, content=b'Too Many Requests'), ok('r-ok'))
    client, sleeps = make_client(session)
    assert client.call('UpdateStreamIngest', PARAMS)['RequestId'] == 'r-ok'
    assert len(sleeps) == 1
    client, dummy = make_client(service('DescribeStreamIngest', FakeReply(429, content=b'')), max_throttled_attempts=1)
    error = failure_of(client)
    assert error.code == 'HTTPError.429' and error.retryable and 'RequestId' not in str(error)


# Issue 8, item 5: one endpoint, one URL

@pytest.mark.parametrize('endpoint', ['http://127.0.0.1', 'http://127.0.0.1:80', 'HTTP://127.0.0.1/', 'http://127.0.0.1:/'])
def test_equivalent_endpoints_give_one_url(endpoint):
    assert parse_endpoint(endpoint) == ('http://127.0.0.1/', '127.0.0.1')


@pytest.mark.parametrize('endpoint, url, host', [
    ('HTTPS://TRTC.Intl.TencentCloudAPI.com:443/', 'https://trtc.intl.tencentcloudapi.com/', 'trtc.intl.tencentcloudapi.com'),
    ('https://trtc.tencentcloudapi.com:80', 'https://trtc.tencentcloudapi.com:80/', 'trtc.tencentcloudapi.com:80'),
    ('http://localhost:443', 'http://localhost:443/', 'localhost:443'),
    ('http://[::1]:8080', 'http://[::1]:8080/', '[::1]:8080'),
    ('https://[::1]:443/', 'https://[::1]/', '[::1]'),
    ('http://[FE80::1]', 'http://[fe80::1]/', '[fe80::1]'),
])
def test_endpoints_are_normalized(endpoint, url, host):
    assert parse_endpoint(endpoint) == (url, host)


@pytest.mark.parametrize('endpoint', ['http://user:password@host', 'http://user:password@host:x', 'http://host:0',
                                      'http://[::1'])
def test_more_bad_endpoints(endpoint):
    with pytest.raises(ValueError) as caught:
        parse_endpoint(endpoint)
    assert 'password' not in str(caught.value).replace('user name or password', '')


def test_the_host_header_carries_a_non_default_port_and_drops_a_default_one():
    for endpoint, host in (('HTTP://127.0.0.1:8080/', '127.0.0.1:8080'), ('https://Trtc.Example:443', 'trtc.example')):
        session = service('DescribeStreamIngest', ok())
        client, dummy = make_client(session, endpoint)
        client.call('DescribeStreamIngest', PARAMS)
        assert session.calls[0]['headers']['Host'] == host


# Issue 8, item 3: whether an earlier attempt may have been applied, and retry modes

@pytest.mark.parametrize('fault', [READ_TIMEOUT, CONNECTION_ERROR, FakeReply(502, content=b''),
                                   api_error('InternalError.DBError')])
def test_an_ambiguous_earlier_attempt_means_maybe_applied(fault):
    session = service('StopStreamIngest', fault, api_error('FailedOperation.TaskFinished'))
    client, dummy = make_client(session)
    error = failure_of(client, 'StopStreamIngest')
    assert error.code == 'FailedOperation.TaskFinished' and error.attempts == 2
    assert error.maybe_applied is True and error.to_dict()['maybe_applied'] is True


def test_surely_refused_earlier_attempts_mean_not_applied():
    session = service('StopStreamIngest', api_error('RequestLimitExceeded'), FakeReply(429, content=b''),
                      connection_refused(), api_error('FailedOperation.TaskFinished'))
    client, dummy = make_client(session)
    error = failure_of(client, 'StopStreamIngest')
    assert error.attempts == 4 and error.maybe_applied is False
    assert error.to_dict()['maybe_applied'] is False


def test_a_first_attempt_has_no_earlier_attempt():
    client, dummy = make_client(service('DescribeStreamIngest', READ_TIMEOUT), max_attempts=1)
    assert failure_of(client).maybe_applied is False
    assert TencentCloudError('X', 'y').maybe_applied is False


@pytest.mark.parametrize('fault', [READ_TIMEOUT, CONNECTION_ERROR, FakeReply(503, content=b''),
                                   api_error('InternalError')])
def test_refused_only_raises_at_once_on_ambiguous_faults(fault):
    session = service('StartStreamIngest', fault, ok())
    client, sleeps = make_client(session)
    error = failure_of(client, 'StartStreamIngest', retry='refused_only')
    assert error.attempts == 1 and sleeps == [] and error.maybe_applied is False
    assert len(session.calls) == 1


def test_refused_only_retries_what_the_service_surely_refused():
    session = service('StartStreamIngest', api_error('RequestLimitExceeded.UinLimitExceeded'),
                      FakeReply(429, content=b''), connection_refused(), ok('r-ok', TaskId='new-task'))
    client, sleeps = make_client(session)
    assert client.call('StartStreamIngest', PARAMS, retry='refused_only')['TaskId'] == 'new-task'
    assert len(sleeps) == 3


@pytest.mark.parametrize('retry', ['sometimes', False])
def test_a_retry_mode_of_no_action_is_refused_before_any_request(retry):
    session = FakeService()
    client, sleeps = make_client(session)
    with pytest.raises(ValueError):
        client.call('DescribeStreamIngest', PARAMS, retry=retry)
    assert session.calls == [] and sleeps == []


# Issue 8: test seams that really patch

def test_patching_the_module_time_and_random_reaches_a_default_client():
    session = service('DescribeStreamIngest', api_error('RequestLimitExceeded'), ok())
    with mock.patch.object(client_module.time, 'sleep') as sleep, \
            mock.patch.object(client_module.time, 'time', return_value=1551113065), \
            mock.patch.object(client_module.random, 'uniform', return_value=0.25):
        client = TrtcClient(CREDENTIALS, 'ap-singapore', 'http://127.0.0.1:9/', session=session)
        client.call('DescribeStreamIngest', PARAMS)
    assert sleep.call_args_list == [mock.call(0.25)]
    assert session.calls[0]['headers']['X-TC-Timestamp'] == '1551113065'
