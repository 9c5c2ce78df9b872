# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Malformed, oversized and slow requests against a running emulator, over raw sockets.

Run: python robustness.py EMULATOR_URL EMULATOR_LOG [--idle-timeout SECONDS]
The emulator must have been started with --verbose and that --idle-timeout (default 1); EMULATOR_TOKEN holds the
token of its control API.

Every case must end in an API error or an HTTP 4xx (never a dropped connection), the emulator must
still answer a normal request after it, and its log must hold no traceback and no BrokenPipe.
"""

import argparse
import base64
import datetime
import hashlib
import hmac
import http.client
import json
import os
import socket
import struct
import sys
import time
import zlib
from urllib.parse import urlsplit

APP = 1400188366
SECRET_ID = os.environ.get('TEST_SECRET_ID', 'AKIDEMULATORDEMOKEY0000000000000000')
SECRET_KEY = os.environ.get('TEST_SECRET_KEY', 'emulator-demo-secret-key-not-real')
MAX_FAULT_COUNT = 10000
MAX_BODY_BYTES = 1024 * 1024
CONTROL_TOKEN = os.environ.get('EMULATOR_TOKEN', '')


class Emulator:
    """Raw HTTP exchanges with the emulator."""

    def __init__(self, url, log_path, idle_timeout):
        parts = urlsplit(url)
        self.log_path = log_path
        self.address = (parts.hostname, parts.port)
        self.host = parts.netloc
        self.idle_timeout = idle_timeout

    def connect(self, timeout=None):
        return socket.create_connection(self.address, timeout=timeout or self.idle_timeout + 4)

    def exchange(self, raw, method='POST', timeout=None):
        """(status, body as JSON or text) of the answer to raw bytes sent on a new connection."""
        with self.connect(timeout) as sock:
            sock.sendall(raw)
            return read_answer(sock, method)

    def request(self, method, path, body=b'', headers=None):
        if isinstance(body, str):
            body = body.encode('utf-8')
        lines = ['%s %s HTTP/1.1' % (method, path), 'Host: %s' % self.host, 'Connection: close']
        headers = dict({'Content-Length': str(len(body))}, **(headers or {}))
        lines += ['%s: %s' % item for item in headers.items() if item[1] is not None]
        return self.exchange(('\r\n'.join(lines) + '\r\n\r\n').encode('latin-1') + body, method)

    def control(self, what, document):
        body = document if isinstance(document, (str, bytes)) else json.dumps(document)
        headers = {'Content-Type': 'application/json', 'X-Emulator-Token': CONTROL_TOKEN}
        return self.request('POST', '/_emulator/' + what, body, headers)

    def state(self):
        headers = {'Content-Length': None, 'X-Emulator-Token': CONTROL_TOKEN}
        status, document = self.request('GET', '/_emulator/state', headers=headers)
        check(status == 200 and isinstance(document, dict), 'GET /_emulator/state answers: %s %r' % (status, document))
        return document

    def api(self, action, body):
        """The Response of a correctly signed API request whose body is exactly `body`."""
        if not isinstance(body, bytes):
            body = json.dumps(body).encode('utf-8')
        status, document = self.request('POST', '/', body, signed_headers(self.host, action, body))
        check(status == 200 and isinstance(document, dict) and 'Response' in document,
              '%s answers with an API response: %s %r' % (action, status, document))
        return document['Response']

    def paced_api(self, action, body):
        """api(), waiting out RequestLimitExceeded (these cases are not about the rate limit)."""
        for dummy in range(20):
            response = self.api(action, body)
            if (response.get('Error') or {}).get('Code') != 'RequestLimitExceeded':
                return response
            time.sleep(0.3)
        raise AssertionError('%s stayed over its rate limit' % action)


def signed_headers(host, action, body, timestamp=None):
    """TC3-HMAC-SHA256 headers, signed the documented way (content-type and host)."""
    timestamp = int(timestamp or time.time())
    date = datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).strftime('%Y-%m-%d')
    content_type = 'application/json'
    canonical = 'POST\n/\n\ncontent-type:%s\nhost:%s\n\ncontent-type;host\n%s' % (
        content_type, host, hashlib.sha256(body).hexdigest())
    to_sign = 'TC3-HMAC-SHA256\n%d\n%s/trtc/tc3_request\n%s' % (
        timestamp, date, hashlib.sha256(canonical.encode('utf-8')).hexdigest())
    key = ('TC3' + SECRET_KEY).encode('utf-8')
    for part in (date, 'trtc', 'tc3_request'):
        key = hmac.new(key, part.encode('utf-8'), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode('utf-8'), hashlib.sha256).hexdigest()
    return {'Content-Type': content_type, 'X-TC-Action': action, 'X-TC-Version': '2019-07-22',
            'X-TC-Timestamp': str(timestamp), 'X-TC-Region': 'ap-singapore',
            'Authorization': 'TC3-HMAC-SHA256 Credential=%s/%s/trtc/tc3_request, SignedHeaders=content-type;host, '
                             'Signature=%s' % (SECRET_ID, date, signature)}


def read_answer(sock, method='POST'):
    response = http.client.HTTPResponse(sock, method=method)
    try:
        response.begin()
    except (http.client.RemoteDisconnected, ConnectionError) as exc:
        raise AssertionError('the connection was dropped without an answer (%s)' % exc)
    except socket.timeout:
        raise AssertionError('no answer within %s s' % sock.gettimeout())
    except http.client.HTTPException as exc:
        raise AssertionError('the answer is not HTTP/1.x (%r)' % exc)
    payload = response.read()
    try:
        return response.status, json.loads(payload)
    except ValueError:
        return response.status, payload.decode('utf-8', 'replace')


def closed_by_server(sock, within):
    """True once the server closes the connection; False if it is still open after `within` seconds."""
    sock.settimeout(0.2)
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if sock.recv(65536) == b'':
                return True
        except socket.timeout:
            continue
        except ConnectionError:
            return True
    return False


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def check_refused(answer, statuses, what):
    status, document = answer
    check(status in statuses, '%s: expected HTTP %s, got %s %r' % (what, '/'.join(map(str, statuses)), status,
                                                                   document))
    check(isinstance(document, dict) and isinstance(document.get('error'), str) and document['error'],
          '%s: the answer must be a JSON error message, got %r' % (what, document))
    return document['error']


def check_api_error(response, codes, what):
    error = response.get('Error') or {}
    check(error.get('Code') in codes, '%s: expected the API error %s, got %r' % (what, ' or '.join(codes), response))
    check(response.get('RequestId'), '%s: the API error has a RequestId: %r' % (what, response))


# ---- the cases -------------------------------------------------------------------------------
def case_control_bodies(emulator):
    """Control endpoints: non-JSON, JSON of the wrong type, missing fields, wrong field types -> 400."""
    emulator.control('reset', {'tasks': [{'sdk_app_id': APP, 'task_id': 'task-keep'}]})
    bad = [
        ('faults', b'not json'), ('faults', b'\xff\xfe'), ('faults', []), ('faults', '"a string"'), ('faults', {}),
        ('faults', {'action': 'UpdateStreamIngest'}), ('faults', {'kind': 'drop'}),
        ('faults', {'action': 'UpdateStreamIngest', 'kind': 'nap'}),
        ('faults', {'action': 'UpdateStreamIngest', 'kind': 'http', 'status': 'abc'}),
        ('faults', {'action': 'UpdateStreamIngest', 'kind': 'http', 'status': 42}),
        ('faults', {'action': 'UpdateStreamIngest', 'kind': 'delay', 'seconds': 'soon'}),
        ('faults', {'action': 'UpdateStreamIngest', 'kind': 'delay', 'seconds': -1}),
        ('faults', {'action': 'UpdateStreamIngest', 'kind': 'error', 'code': 5}),
        ('faults', {'action': 'UpdateStreamIngest', 'kind': 'error', 'message': ['x']}),
        ('faults', {'action': 'UpdateStreamIngest', 'kind': 'drop', 'count': 'abc'}),
        ('faults', {'action': 'UpdateStreamIngest', 'kind': 'drop', 'count': -1}),
        ('faults', {'action': 'UpdateStreamIngest', 'kind': 'drop', 'count': 1.5}),
        ('faults', {'action': 'UpdateStreamIngest', 'kind': 'drop', 'count': True}),
        ('faults', {'action': 'UpdateStreamIngest', 'kind': 'drop', 'cuont': 2}),
        ('tasks', b'{'), ('tasks', [1, 2]), ('tasks', {}), ('tasks', {'tasks': 'abc'}), ('tasks', {'tasks': [1]}),
        ('tasks', {'tasks': [{'task_id': 'x'}]}), ('tasks', {'tasks': [{'sdk_app_id': APP}]}),
        ('tasks', {'tasks': [{'sdk_app_id': 'abc', 'task_id': 'x'}]}),
        ('tasks', {'tasks': [{'sdk_app_id': [APP], 'task_id': 'x'}]}),
        ('tasks', {'tasks': [{'sdk_app_id': APP, 'task_id': ['x']}]}),
        ('tasks', {'tasks': [{'sdk_app_id': APP, 'task_id': 'x', 'volume': 'loud'}]}),
        ('tasks', {'tasks': [{'sdk_app_id': APP, 'task_id': 'x', 'paused': 'yes'}]}),
        ('tasks', {'tasks': [{'sdk_app_id': APP, 'task_id': 'x', 'stream_url': 7}]}),
        ('tasks', {'tasks': [{'sdk_app_id': APP, 'task_id': 'x', 'room_id': '1'}]}),
        ('tasks', {'tasks': [{'sdk_app_id': APP, 'task_id': 'x', 'user_id': 'cam'}]}),
        ('tasks', {'tasks': [{'sdk_app_id': APP, 'task_id': 'x', 'room_id_type': 0}]}),
        ('tasks', {'tasks': [{'sdk_app_id': APP, 'task_id': 'x', 'room_id': 1, 'user_id': 'cam'}]}),
        ('tasks', {'tasks': [{'sdk_app_id': APP, 'task_id': 'x', 'room_id': '1', 'user_id': ''}]}),
        ('tasks', {'tasks': [{'sdk_app_id': APP, 'task_id': 'x', 'room_id': '1', 'user_id': 'c', 'room_id_type': 2}]}),
        ('tasks', {'tasks': [{'sdk_app_id': APP, 'task_id': 'x', 'room_id': '1', 'user_id': 'c',
                              'room_id_type': True}]}),
        ('reset', b'nope'), ('reset', []), ('reset', 7), ('reset', {'tasks': 5}), ('reset', {'tasks': [None]}),
        ('reset', {'tasks': [{'sdk_app_id': APP, 'task_id': 'y'}, {'sdk_app_id': 'abc', 'task_id': 'z'}]}),
        ('end', b'not json'), ('end', b''), ('end', []), ('end', '"task-keep"'), ('end', {}),
        ('end', {'sdk_app_id': APP}), ('end', {'task_id': 'task-keep'}), ('end', {'sdk_app_id': 'abc', 'task_id': 'x'}),
        ('end', {'sdk_app_id': -1, 'task_id': 'task-keep'}), ('end', {'sdk_app_id': APP, 'task_id': ['task-keep']}),
        ('end', {'sdk_app_id': APP, 'task_id': 'task-keep', 'after_seconds': 5}),
    ]
    failures = []
    for what, document in bad:
        try:
            check_refused(emulator.control(what, document), (400,), 'POST /_emulator/%s %r' % (what, document))
        except AssertionError as exc:
            failures.append(str(exc))
    check(not failures, '%d of %d malformed control bodies were not refused with 400:\n  %s'
          % (len(failures), len(bad), '\n  '.join(failures)))
    state = emulator.state()
    check([task['task_id'] for task in state['tasks']] == ['task-keep'],
          'a refused control request changes nothing: %r' % state['tasks'])
    check(state['faults'] == {}, 'no refused fault is pending: %r' % state['faults'])


def case_control_still_works(emulator):
    """The documented control requests keep working (an empty reset body included)."""
    check(emulator.control('reset', b'') == (200, {'ok': True}), 'an empty reset body is accepted')
    check(emulator.control('tasks', {'tasks': [{'sdk_app_id': APP, 'task_id': 'task-a', 'volume': 30,
                                                'paused': True, 'stream_url': 'rtmp://example.com/a'}]})
          == (200, {'ok': True}), 'tasks are added')
    check(emulator.control('end', {'sdk_app_id': APP, 'task_id': 'task-a'}) == (200, {'ok': True}), 'a task ends')
    check_refused(emulator.control('end', {'sdk_app_id': APP, 'task_id': 'task-a'}), (404,), 'ending it again')
    check('task-a' not in [task['task_id'] for task in emulator.state()['tasks']], 'the ended task is gone')
    check(emulator.control('faults', {'action': 'DescribeStreamIngest', 'kind': 'error', 'code': 'InternalError',
                                      'count': 2}) == (200, {'ok': True}), 'a fault is accepted')
    check(emulator.state()['faults'] == {'DescribeStreamIngest': 2}, 'two faults are pending')
    check(emulator.control('unknown', {})[0] == 404, 'an unknown control endpoint is 404')
    check(emulator.control('reset', {}) == (200, {'ok': True}), 'reset')


def case_control_needs_the_token(emulator):
    """Without the token (none, empty, wrong, another's with a byte more), the control API answers 401 and changes
    nothing."""
    before = emulator.state()
    for token in (None, '', 'wrong', CONTROL_TOKEN + 'x', CONTROL_TOKEN[:-1]):
        headers = {'Content-Length': None} if token is None else {'Content-Length': None, 'X-Emulator-Token': token}
        check_refused(emulator.request('GET', '/_emulator/state', headers=headers), (401,), 'state with %r' % token)
        for what, document in (('reset', {}), ('tasks', {'tasks': [{'sdk_app_id': APP, 'task_id': 'planted'}]}),
                               ('faults', {'action': 'StopStreamIngest', 'kind': 'drop'}),
                               ('end', {'sdk_app_id': APP, 'task_id': 'task-keep'})):
            body = json.dumps(document)
            headers = {'Content-Type': 'application/json'}
            if token is not None:
                headers['X-Emulator-Token'] = token
            check_refused(emulator.request('POST', '/_emulator/' + what, body, headers), (401,),
                          '%s with %r' % (what, token))
    after = emulator.state()
    check((after['tasks'], after['faults']) == (before['tasks'], before['faults']), 'refused requests changed nothing')


def case_content_length(emulator):
    """Content-Length abc, negative, missing, conflicting; chunked bodies -> 400 or 411."""
    failures = []
    for path in ('/_emulator/reset', '/'):
        for headers, statuses in (({'Content-Length': 'abc'}, (400,)), ({'Content-Length': '-5'}, (400,)),
                                  ({'Content-Length': '1e3'}, (400,)), ({'Content-Length': None}, (400, 411)),
                                  ({'Content-Length': None, 'Transfer-Encoding': 'chunked'}, (400, 411, 501))):
            raw = ['POST %s HTTP/1.1' % path, 'Host: %s' % emulator.host]
            raw += ['%s: %s' % item for item in headers.items() if item[1] is not None]
            try:
                check_refused(emulator.exchange(('\r\n'.join(raw) + '\r\n\r\n').encode('latin-1') + b'{}'),
                              statuses, 'POST %s with %r' % (path, headers))
            except AssertionError as exc:
                failures.append(str(exc))
        raw = 'POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 7\r\n\r\n{}' % path
        try:
            check_refused(emulator.exchange(raw.encode()), (400,), 'POST %s with two Content-Lengths' % path)
        except AssertionError as exc:
            failures.append(str(exc))
    check(not failures, '\n  '.join(failures))


def case_body_too_large(emulator):
    """A Content-Length over 1 MiB -> 413 at once, before any of the body is sent."""
    for path in ('/', '/_emulator/tasks'):
        started = time.monotonic()
        raw = 'POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n' % (
            path, MAX_BODY_BYTES + 1)
        message = check_refused(emulator.exchange(raw.encode(), timeout=emulator.idle_timeout + 2), (413,),
                                'POST %s announcing %d bytes' % (path, MAX_BODY_BYTES + 1))
        elapsed = time.monotonic() - started
        check(elapsed < emulator.idle_timeout, 'the 413 comes before the body, not after a timeout (%.2f s)' % elapsed)
        check(str(MAX_BODY_BYTES) in message, 'the 413 names the bound: %r' % message)
    raw = b'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ' + b'9' * 40 + b'\r\n\r\n'
    check_refused(emulator.exchange(raw), (413,), 'a 40-digit Content-Length')


def case_nested_json(emulator):
    """JSON nested 100000 deep -> an API error (not RecursionError); 400 on a control endpoint."""
    deep = b'[' * 100000 + b']' * 100000
    check_api_error(emulator.api('DescribeStreamIngest', deep), ('InvalidParameter.BodyParamsError',),
                    'an API body nested 100000 deep')
    nested = b'{"SdkAppId": %d, "TaskId": "t", "X": %s}' % (APP, b'{"a": ' * 100000 + b'1' + b'}' * 100000)
    check_api_error(emulator.api('DescribeStreamIngest', nested), ('InvalidParameter.BodyParamsError',),
                    'an API object nested 100000 deep')
    check_refused(emulator.control('faults', deep), (400,), 'a control body nested 100000 deep')
    # Deep enough to be parsed by Python's json, maybe too deep to be written back in /_emulator/state.
    for depth in range(900, 1001, 10):
        params = b'{"SdkAppId": %d, "TaskId": "t", "X": %s}' % (APP, b'{"a": ' * depth + b'1' + b'}' * depth)
        response = emulator.api('DescribeStreamIngest', params)
        check('Error' in response, 'a body nested %d deep is refused: %r' % (depth, response))
        emulator.state()


def case_bad_stream_url(emulator):
    """A StreamUrl that urlsplit rejects (an unclosed IPv6 bracket) -> InvalidParameter.StreamUrl."""
    emulator.control('reset', {'tasks': [{'sdk_app_id': APP, 'task_id': 'task-url'}]})
    response = emulator.api('UpdateStreamIngest', {'SdkAppId': APP, 'TaskId': 'task-url',
                                                   'StreamUrl': 'http://[::1/x'})
    check_api_error(response, ('InvalidParameter.StreamUrl',), 'StreamUrl http://[::1/x')


def user_sig_of(document=None, raw=None, compressed=None):
    """A UserSig carrying `document` as JSON (or raw bytes, or compressed bytes), encoded as TLS sig v2 does."""
    if compressed is None:
        if raw is None:
            raw = json.dumps(document).encode('utf-8')
        compressed = zlib.compress(raw)
    return base64.b64encode(compressed).decode('ascii').replace('+', '*').replace('/', '-').replace('=', '_')


def case_start_bodies(emulator):
    """Malformed StartStreamIngest bodies and UserSigs -> an API error (no traceback, no task started)."""
    emulator.control('reset', {'tasks': [{'sdk_app_id': APP, 'task_id': 'task-start', 'room_id': '1',
                                          'user_id': 'cam'}]})
    now = int(time.time())
    fields = {'TLS.ver': '2.0', 'TLS.identifier': 'cam-r', 'TLS.sdkappid': APP, 'TLS.time': now, 'TLS.expire': 600,
              'TLS.sig': 'AAAA'}
    base = {'SdkAppId': APP, 'RoomId': '2', 'UserId': 'cam-r', 'UserSig': user_sig_of(fields),
            'StreamUrl': 'https://example.com/a.flv'}
    params = ('InvalidParameter.BodyParamsError',)
    value = ('InvalidParameterValue',)
    sig = ('InvalidParameter.UserSig',)
    bodies = [
        (b'[]', params), (b'null', params), (b'"StartStreamIngest"', params), (b'{"SdkAppId": ', params),
        (b'{}', ('MissingParameter.SdkAppId',)),
        (b'{"SdkAppId": 1' + b'9' * 5000 + b'}', params),
        (json.dumps(dict(base, SdkAppId=10 ** 40)).encode(), ('InvalidParameter.UserSig',)),
        (b'{"SdkAppId": 1e400, "RoomId": "2", "UserId": "u", "UserSig": "s", "StreamUrl": "https://e.com/a"}', value),
        (b'{"SdkAppId": NaN, "RoomId": "2", "UserId": "u", "UserSig": "s", "StreamUrl": "https://e.com/a"}', value),
        (b'{"SdkAppId": 1400188366, "SdkAppId": "x", "RoomId": "2", "UserId": "u", "UserSig": "s", '
         b'"StreamUrl": "https://e.com/a"}', value),
        (dict(base, RoomId='9' * 100000), ('InvalidParameterValue.RoomId',)),
        (dict(base, RoomId='\u0661\u0662'), ('InvalidParameterValue.RoomId',)),  # Arabic-Indic digits
        (dict(base, RoomId='12\n'), ('InvalidParameterValue.RoomId',)),
        (dict(base, RoomIdType=10 ** 30), value), (dict(base, RoomIdType=None), value),
        (dict(base, RoomId=None), value), (dict(base, UserSig=None), value), (dict(base, UserSig=['s']), value),
        (dict(base, Volume=10 ** 30), value), (dict(base, SeekSecond=-10 ** 30), value),
        (dict(base, RepeatNum=-1, MaxDuration=10 ** 30), value), (dict(base, AutoPush=None), value),
        (dict(base, SourceUrl=None), ('InvalidParameter',)), (dict(base, **{'': 1}), ('UnknownParameter',)),
        (dict(base, UserSig='A' * 900000), sig), (dict(base, UserSig='\u00e9\u00e9\u00e9\u00e9'), sig),
        (dict(base, UserSig='\ud800'), sig), (dict(base, UserSig='____'), sig), (dict(base, UserSig='*'), sig),
        (dict(base, UserSig=user_sig_of(raw=b' ' * 50000000)), sig),  # a zlib bomb: 50 MB of spaces
        (dict(base, UserSig=user_sig_of(raw=b'[' * 30000 + b']' * 30000)), sig),
        (dict(base, UserSig=user_sig_of(raw=b'{"a": ' * 30 + b'1' + b'}' * 30)), sig),
        (dict(base, UserSig=user_sig_of(raw=b'\xff\xfe{}')), sig), (dict(base, UserSig=user_sig_of(raw=b'')), sig),
        (dict(base, UserSig=user_sig_of([fields])), sig),
        (dict(base, UserSig=user_sig_of(compressed=zlib.compress(json.dumps(fields).encode()) + b'junk')), sig),
        (dict(base, UserSig=user_sig_of(compressed=zlib.compress(json.dumps(fields).encode())[:-6])), sig),
        (dict(base, UserSig=user_sig_of(compressed=b'')), sig),
    ]
    for name, bad in (('TLS.ver', 2), ('TLS.ver', None), ('TLS.identifier', 5), ('TLS.sdkappid', True),
                      ('TLS.sdkappid', str(APP)), ('TLS.time', 'abc'), ('TLS.time', 1.5), ('TLS.expire', 1e308),
                      ('TLS.expire', None), ('TLS.sig', 5), ('TLS.sig', '\ud800\u00e9'), ('TLS.userbuf', 5),
                      ('TLS.time', 10 ** 30), ('TLS.expire', -10 ** 30)):
        bodies.append((dict(base, UserSig=user_sig_of(dict(fields, **{name: bad}))), sig))
    for name in ('TLS.ver', 'TLS.identifier', 'TLS.sdkappid', 'TLS.time', 'TLS.expire', 'TLS.sig'):
        bodies.append((dict(base, UserSig=user_sig_of(dict((k, v) for k, v in fields.items() if k != name))), sig))
    lone = dict(fields, **{'TLS.identifier': '\ud800'})
    bodies.append((dict(base, UserId='\ud800', UserSig=user_sig_of(lone)), sig))
    bodies.append((dict(base, UserId='\u00e9', UserSig=user_sig_of(dict(fields, **{'TLS.identifier': '\u00e9'}))), sig))
    failures = []
    for body, codes in bodies:
        started = time.monotonic()
        raw = body if isinstance(body, bytes) else json.dumps(body).encode('utf-8')
        try:
            check_api_error(emulator.paced_api('StartStreamIngest', raw), codes, 'Start %r' % raw[:80])
            elapsed = time.monotonic() - started
            check(elapsed < 3, 'Start %r: answered in %.1f s' % (raw[:80], elapsed))
        except AssertionError as exc:
            failures.append(str(exc))
    check(not failures, '%d of %d malformed Start bodies were not refused as expected:\n  %s'
          % (len(failures), len(bodies), '\n  '.join(failures)))
    state = emulator.state()
    check([task['task_id'] for task in state['tasks']] == ['task-start'], 'no malformed Start started a task')
    check('\\ud800' in json.dumps(state['requests']), 'a lone surrogate is logged escaped')
    emulator.control('reset', {})


def case_fault_count_bound(emulator):
    """A fault count of 10**8 is refused at once, naming the bound; pending faults are bounded too."""
    emulator.control('reset', {})
    started = time.monotonic()
    message = check_refused(emulator.control('faults', {'action': 'UpdateStreamIngest', 'kind': 'drop',
                                                        'count': 10 ** 8}), (400,), 'a fault count of 10**8')
    check(str(MAX_FAULT_COUNT) in message, 'the refusal names the bound %d: %r' % (MAX_FAULT_COUNT, message))
    check(time.monotonic() - started < 1, 'refused without building the faults')
    check(emulator.control('faults', {'action': 'UpdateStreamIngest', 'kind': 'drop', 'count': MAX_FAULT_COUNT})
          == (200, {'ok': True}), 'the bound itself is accepted')
    message = check_refused(emulator.control('faults', {'action': 'UpdateStreamIngest', 'kind': 'drop'}), (400,),
                            'one fault more than the bound pending')
    check(str(MAX_FAULT_COUNT) in message, 'the refusal names the bound: %r' % message)
    check(emulator.state()['faults'] == {'UpdateStreamIngest': MAX_FAULT_COUNT}, 'the bound is pending')
    emulator.control('reset', {})


def case_idle_client(emulator):
    """A connection that sends nothing is closed after the idle timeout."""
    with emulator.connect() as sock:
        started = time.monotonic()
        check(closed_by_server(sock, emulator.idle_timeout + 3),
              'an idle connection is still open after %.1f s' % (time.monotonic() - started))
        elapsed = time.monotonic() - started
    check(elapsed >= emulator.idle_timeout * 0.8, 'the idle connection was closed too early (%.2f s)' % elapsed)


def case_slow_client(emulator):
    """A client trickling its headers (a byte every 0.2 s) is closed too, as is one stalling mid-body."""
    with emulator.connect() as sock:
        sock.sendall(b'POST / HTTP/1.1\r\nHost: x\r\n')
        started = time.monotonic()
        closed = False
        while time.monotonic() - started < emulator.idle_timeout + 3:
            try:
                sock.sendall(b'X')
            except ConnectionError:
                closed = True
                break
            if closed_by_server(sock, 0.2):
                closed = True
                break
        check(closed, 'a client trickling its headers still holds its connection after %.1f s'
              % (time.monotonic() - started))
    with emulator.connect() as sock:
        sock.sendall(b'POST /_emulator/tasks HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"tasks"')
        check(closed_by_server(sock, emulator.idle_timeout + 3), 'a client stalling mid-body is never closed')


def case_client_goes_away(emulator):
    """Clients that time out and leave (closed or reset) while a delayed answer is pending: no noise in the log."""
    logged = os.path.getsize(emulator.log_path)
    emulator.control('reset', {'tasks': [{'sdk_app_id': APP, 'task_id': 'task-gone'}]})
    emulator.control('faults', {'action': 'DescribeStreamIngest', 'kind': 'delay', 'seconds': 0.5, 'count': 2})
    body = json.dumps({'SdkAppId': APP, 'TaskId': 'task-gone'}).encode()
    headers = signed_headers(emulator.host, 'DescribeStreamIngest', body)
    raw = ('POST / HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n' % (emulator.host, len(body))
           + ''.join('%s: %s\r\n' % item for item in headers.items()) + '\r\n').encode() + body
    for reset in (False, True):
        sock = emulator.connect()
        sock.sendall(raw)
        time.sleep(0.1)
        if reset:  # an RST rather than a FIN
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
        sock.close()
    time.sleep(1.5)
    check(emulator.state()['faults'] == {}, 'both delayed requests were handled')
    check_quiet_log(emulator, logged)


def case_other_methods(emulator):
    """PUT, DELETE, PATCH, OPTIONS, HEAD and unknown methods -> 405."""
    failures = []
    for method, path in (('PUT', '/'), ('DELETE', '/_emulator/state'), ('PATCH', '/_emulator/tasks'),
                         ('OPTIONS', '/'), ('HEAD', '/_emulator/state'), ('FOO', '/'), ('BREW', '/_emulator/reset')):
        raw = ('%s %s HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}' % (method, path)).encode()
        try:
            status, document = emulator.exchange(raw, method=method)
            check(status == 405, '%s %s: expected HTTP 405, got %s %r' % (method, path, status, document))
        except AssertionError as exc:
            failures.append(str(exc))
    check(not failures, '\n  '.join(failures))


def case_garbage(emulator):
    """A request line of garbage, an HTTP/0.9-looking line and an over-long header -> 4xx, not a drop."""
    for raw in (b'\x00\x01\x02 garbage\r\n\r\n', b'HELLO\r\n\r\n', b'GET / HTTP/1.1\r\nX: ' + b'a' * 70000 + b'\r\n\r\n',
                b'GET / HTTP/x.y\r\n\r\n'):
        status = emulator.exchange(raw)[0]
        check(400 <= status < 500, '%r...: expected a 4xx, got %s' % (raw[:20], status))


def case_normal_request(emulator):
    """After all of it, a normal signed request succeeds."""
    emulator.control('reset', {'tasks': [{'sdk_app_id': APP, 'task_id': 'task-final'}]})
    response = emulator.api('DescribeStreamIngest', {'SdkAppId': APP, 'TaskId': 'task-final'})
    check(response.get('Status') == 'InProgress', 'a normal request still succeeds: %r' % response)


def check_quiet_log(emulator, start=0):
    with open(emulator.log_path, 'rb') as handle:
        handle.seek(start)
        log = handle.read().decode('utf-8', 'replace')
    for noise in ('Traceback', 'BrokenPipe', 'ConnectionReset', 'Exception occurred'):
        check(noise not in log, 'the emulator log contains %r:\n%s' % (noise, log[-3000:]))
    return log


def case_log(emulator):
    """The whole log: the normal request lines, no traceback, no BrokenPipe or ConnectionReset."""
    log = check_quiet_log(emulator)
    check('"GET /_emulator/state HTTP/1.1" 200' in log, 'the log keeps the request lines')


CASES = [case_control_bodies, case_control_still_works, case_control_needs_the_token, case_content_length,
         case_body_too_large, case_nested_json, case_bad_stream_url, case_start_bodies, case_fault_count_bound, case_idle_client, case_slow_client,
         case_client_goes_away, case_other_methods, case_garbage, case_normal_request, case_log]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('url')
    parser.add_argument('log')
    parser.add_argument('--idle-timeout', type=float, default=1.0)
    args = parser.parse_args()
    emulator = Emulator(args.url, args.log, args.idle_timeout)
    failed = []
    for case in CASES:
        name = case.__name__[len('case_'):]
        try:
            case(emulator)
            emulator.state()  # it still answers
        except Exception as exc:  # pylint: disable=broad-except
            failed.append(name)
            print('FAIL %s: %s' % (name, exc if isinstance(exc, AssertionError) else repr(exc)))
            continue
        print('ok   %s' % name)
    if failed:
        print('%d of %d robustness cases failed: %s' % (len(failed), len(CASES), ', '.join(failed)))
        return 1
    print('emulator robustness: all %d cases passed' % (len(CASES)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
