# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A local emulator of the TRTC stream-ingest API (Start/Update/Describe/StopStreamIngest).

Run:  python tests/emulator/trtc_emulator.py --port 8080   (port 0 picks a free port and prints it)
Stop: Ctrl-C or SIGTERM.

It checks TC3-HMAC-SHA256 signatures the way the service does, with its own code (not the
collection's signer), holds relay tasks in memory, limits each action to 20 requests per
second, and injects faults on demand. Standard library only.

Control endpoints (not signed, for tests):
  GET  /_emulator/state             tasks, every API request received, and pending faults
  POST /_emulator/reset             {"tasks": [...]} (optional): clear the request log and faults, replace tasks
  POST /_emulator/tasks             {"tasks": [...]}: add or replace tasks
  POST /_emulator/faults            {"action": A, "kind": K, "count": N, ...}: fault the next N calls of A
      kind: "http" (with "status", default 503), "drop" (close the connection without an answer),
            "delay" (with "seconds": answer normally, but late), "error" (with "code" and optional "message")
"""

import argparse
import collections
import datetime
import hashlib
import hmac
import json
import os
import re
import signal
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

API_VERSION = '2019-07-22'
SERVICE = 'trtc'
REGIONS = ('ap-bangkok', 'ap-guangzhou', 'ap-jakarta', 'ap-mumbai', 'ap-singapore', 'ap-tokyo')
ACTIONS = ('StartStreamIngest', 'UpdateStreamIngest', 'DescribeStreamIngest', 'StopStreamIngest')
MAX_CLOCK_SKEW = 300
DEMO_SECRET_ID = 'AKIDEMULATORDEMOKEY0000000000000000'
DEMO_SECRET_KEY = 'emulator-demo-secret-key-not-real'
AUTH_PATTERN = re.compile(
    r'^TC3-HMAC-SHA256 Credential=(?P<secret_id>[^/\s]+)/(?P<date>\d{4}-\d{2}-\d{2})/(?P<service>[^/\s]+)/tc3_request, '
    r'SignedHeaders=(?P<signed>[a-z0-9;-]+), Signature=(?P<signature>[0-9a-f]{64})$')

PARAMETER_TYPES = {
    'StartStreamIngest': {'SdkAppId': int, 'RoomId': str, 'RoomIdType': int, 'UserId': str, 'UserSig': str,
                          'StreamUrl': str, 'PrivateMapKey': str, 'SeekSecond': int, 'AutoPush': bool,
                          'RepeatNum': int, 'MaxDuration': int, 'Volume': int, 'VideoEncodeParams': dict,
                          'AudioEncodeParams': dict, 'StreamUrls': list, 'EnableProgress': bool},
    'UpdateStreamIngest': {'SdkAppId': int, 'TaskId': str, 'StreamUrl': str, 'Volume': int, 'IsPause': bool},
    'DescribeStreamIngest': {'SdkAppId': int, 'TaskId': str},
    'StopStreamIngest': {'SdkAppId': int, 'TaskId': str},
}

REQUIRED_PARAMETERS = {
    'StartStreamIngest': ('SdkAppId', 'RoomId', 'UserId', 'UserSig', 'StreamUrl'),
    'UpdateStreamIngest': ('SdkAppId', 'TaskId'),
    'DescribeStreamIngest': ('SdkAppId', 'TaskId'),
    'StopStreamIngest': ('SdkAppId', 'TaskId'),
}


class ApiError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def expected_signature(secret_key, date, service, signed_names, headers, body, timestamp):
    """What the Authorization signature must be, computed independently of any client code."""
    canonical_headers = ''.join('%s:%s\n' % (name, headers.get(name, '').strip().lower()) for name in signed_names)
    canonical = 'POST\n/\n\n%s\n%s\n%s' % (canonical_headers, ';'.join(signed_names), hashlib.sha256(body).hexdigest())
    to_sign = 'TC3-HMAC-SHA256\n%s\n%s/%s/tc3_request\n%s' % (
        timestamp, date, service, hashlib.sha256(canonical.encode('utf-8')).hexdigest())
    key = ('TC3' + secret_key).encode('utf-8')
    for part in (date, service, 'tc3_request'):
        key = hmac.new(key, part.encode('utf-8'), hashlib.sha256).digest()
    return hmac.new(key, to_sign.encode('utf-8'), hashlib.sha256).hexdigest()


class Emulator:
    """The service's state: credentials, tasks, rate windows, pending faults and a log of requests."""

    def __init__(self, credentials, rate_limit=20, clock=time.time):
        self.credentials = credentials  # secret_id -> {"secret_key": ..., "token": ... or None}
        self.rate_limit = rate_limit
        self.clock = clock
        self.lock = threading.Lock()
        self.tasks = {}
        self.requests = []
        self.faults = collections.defaultdict(list)
        self.windows = collections.defaultdict(collections.deque)

    # ---- control ------------------------------------------------------------------------
    def put_tasks(self, tasks):
        with self.lock:
            for task in tasks:
                entry = dict(stream_url='https://example.com/live/seed.flv', volume=100, paused=False)
                entry.update(dict((k, v) for k, v in task.items() if k in ('stream_url', 'volume', 'paused')))
                self.tasks[(int(task['sdk_app_id']), str(task['task_id']))] = entry

    def reset(self, tasks=None):
        with self.lock:
            self.requests = []
            self.faults.clear()
            self.windows.clear()
            if tasks is not None:
                self.tasks = {}
        if tasks:
            self.put_tasks(tasks)

    def add_fault(self, fault):
        if fault.get('action') not in ACTIONS or fault.get('kind') not in ('http', 'drop', 'delay', 'error'):
            raise ValueError('a fault needs an action among %s and a kind among http, drop, delay, error' % (ACTIONS,))
        with self.lock:
            self.faults[fault['action']].extend([fault] * int(fault.get('count', 1)))

    def take_fault(self, action):
        with self.lock:
            pending = self.faults.get(action)
            return pending.pop(0) if pending else None

    def snapshot(self):
        with self.lock:
            return {
                'tasks': [dict(sdk_app_id=app, task_id=task_id, **entry)
                          for (app, task_id), entry in sorted(self.tasks.items())],
                'requests': [dict(entry) for entry in self.requests],
                'faults': dict((action, len(pending)) for action, pending in self.faults.items() if pending),
            }

    def log(self, entry):
        with self.lock:
            self.requests.append(entry)

    # ---- the signed API -----------------------------------------------------------------
    def authenticate(self, headers, body):
        """The secret_id of a correctly signed request, else ApiError as the service answers."""
        authorization = headers.get('authorization', '')
        match = AUTH_PATTERN.match(authorization)
        if not match:
            raise ApiError('AuthFailure.InvalidAuthorization', 'The Authorization header is malformed.')
        signed_names = match.group('signed').split(';')
        if 'content-type' not in signed_names or 'host' not in signed_names:
            raise ApiError('AuthFailure.InvalidAuthorization', 'SignedHeaders must include content-type and host.')
        try:
            timestamp = int(headers.get('x-tc-timestamp', ''))
        except ValueError:
            raise ApiError('AuthFailure.InvalidAuthorization', 'X-TC-Timestamp is missing or not an integer.')
        if abs(self.clock() - timestamp) > MAX_CLOCK_SKEW:
            raise ApiError('AuthFailure.SignatureExpire', 'The request timestamp is more than 5 minutes from the '
                           'server time (%d).' % int(self.clock()))
        date = datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).strftime('%Y-%m-%d')
        if match.group('date') != date or match.group('service') != SERVICE:
            raise ApiError('AuthFailure.SignatureFailure', 'The credential scope must be %s/%s/tc3_request.'
                           % (date, SERVICE))
        credential = self.credentials.get(match.group('secret_id'))
        if credential is None:
            raise ApiError('AuthFailure.SecretIdNotFound', 'The SecretId is not found.')
        expected = expected_signature(credential['secret_key'], date, SERVICE, signed_names, headers, body, timestamp)
        if not hmac.compare_digest(expected, match.group('signature')):
            raise ApiError('AuthFailure.SignatureFailure', 'The provided credentials could not be validated.')
        if credential.get('token') is not None and headers.get('x-tc-token') != credential['token']:
            raise ApiError('AuthFailure.TokenFailure', 'The token of the temporary credentials is missing or invalid.')
        return match.group('secret_id')

    def admit(self, action):
        """RequestLimitExceeded past rate_limit requests of one action within any second."""
        if not self.rate_limit:
            return
        now = self.clock()
        with self.lock:
            window = self.windows[action]
            while window and window[0] <= now - 1.0:
                window.popleft()
            if len(window) >= self.rate_limit:
                raise ApiError('RequestLimitExceeded', 'Your current request frequency exceeds the limit of %d '
                               'per second.' % self.rate_limit)
            window.append(now)

    def dispatch(self, action, params):
        check_parameters(action, params)
        key = (params['SdkAppId'], params.get('TaskId'))
        with self.lock:
            if action == 'StartStreamIngest':
                task_id = 'emu-' + uuid.uuid4().hex
                self.tasks[(params['SdkAppId'], task_id)] = dict(
                    stream_url=params['StreamUrl'], volume=params.get('Volume', 100), paused=False)
                return {'TaskId': task_id}
            if action == 'DescribeStreamIngest':
                return {'Status': 'InProgress' if key in self.tasks else 'NotExist'}
            if key not in self.tasks:
                if action == 'StopStreamIngest':
                    raise ApiError('FailedOperation.TaskFinished', 'The task has finished or does not exist.')
                raise ApiError('FailedOperation.TaskNotExist', 'The task does not exist.')
            if action == 'StopStreamIngest':
                del self.tasks[key]
                return {}
            task = self.tasks[key]
            for name, field in (('stream_url', 'StreamUrl'), ('volume', 'Volume'), ('paused', 'IsPause')):
                if field in params:
                    task[name] = params[field]
            return {'Status': 'InProgress'}


def check_parameters(action, params):
    types = PARAMETER_TYPES[action]
    for name in params:
        if name not in types:
            raise ApiError('UnknownParameter', 'The parameter `%s` is not recognized.' % name)
    for name in REQUIRED_PARAMETERS[action]:
        if name not in params:
            raise ApiError('MissingParameter.%s' % name if name in ('SdkAppId', 'TaskId') else 'MissingParameter',
                           'The parameter `%s` is missing.' % name)
    for name, value in params.items():
        wanted = types[name]
        if isinstance(value, bool) != (wanted is bool) or not isinstance(value, wanted):
            raise ApiError('InvalidParameterValue', 'The value of `%s` has the wrong type: %s expected.'
                           % (name, wanted.__name__))
    if params['SdkAppId'] <= 0:
        raise ApiError('InvalidParameter.SdkAppId', 'SdkAppId is invalid.')
    if 'TaskId' in params and not params['TaskId'].strip():
        raise ApiError('InvalidParameter.TaskId', 'TaskId parameter error.')
    if 'StreamUrl' in params:
        parts = urlsplit(params['StreamUrl'])
        if parts.scheme not in ('http', 'https', 'rtmp', 'rtmps') or not parts.hostname:
            raise ApiError('InvalidParameter.StreamUrl', 'Invalid StreamUrl format.')
    if 'Volume' in params and not 0 <= params['Volume'] <= 100:
        raise ApiError('InvalidParameterValue', 'Volume must be within [0, 100].')


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'trtc-emulator'

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if self.server.verbose:
            super().log_message(format, *args)

    @property
    def emulator(self):
        return self.server.emulator

    def _body(self):
        length = int(self.headers.get('Content-Length') or 0)
        return self.rfile.read(length) if length else b''

    def _send_json(self, document, status=200):
        payload = json.dumps(document).encode('utf-8')
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self):
        if self.path == '/_emulator/state':
            return self._send_json(self.emulator.snapshot())
        return self._send_json({'error': 'not found'}, 404)

    def do_POST(self):
        body = self._body()
        if self.path.startswith('/_emulator/'):
            return self._control(self.path[len('/_emulator/'):], body)
        return self._api(body)

    def _control(self, what, body):
        try:
            document = json.loads(body or b'{}')
            if what == 'reset':
                self.emulator.reset(document.get('tasks'))
            elif what == 'tasks':
                self.emulator.put_tasks(document['tasks'])
            elif what == 'faults':
                self.emulator.add_fault(document)
            else:
                return self._send_json({'error': 'unknown control %s' % what}, 404)
        except (ValueError, KeyError, TypeError) as exc:
            return self._send_json({'error': str(exc)}, 400)
        return self._send_json({'ok': True})

    def _api(self, body):
        request_id = str(uuid.uuid4())
        headers = dict((name.lower(), value) for name, value in self.headers.items())
        action = headers.get('x-tc-action', '')
        # Logged on arrival, completed below: the log keeps the order in which requests came.
        entry = {'request_id': request_id, 'action': action, 'time': time.time(), 'code': None,
                 'region': headers.get('x-tc-region'), 'token_sent': 'x-tc-token' in headers}
        self.emulator.log(entry)
        fault = self.emulator.take_fault(action)
        if fault and self._fault(fault, entry):
            return
        try:
            entry['secret_id'] = self._check_request(headers, action, body)
            entry['params'] = json.loads(body)
            response = self.emulator.dispatch(action, entry['params'])
        except ApiError as error:
            entry['code'] = error.code
            response = {'Error': {'Code': error.code, 'Message': error.message}}
        response['RequestId'] = request_id
        self._send_json({'Response': response})

    def _check_request(self, headers, action, body):
        if action not in ACTIONS:
            raise ApiError('InvalidAction', 'The action `%s` is not found.' % action)
        if headers.get('x-tc-version') != API_VERSION:
            raise ApiError('NoSuchVersion', 'The API version `%s` does not exist.' % headers.get('x-tc-version'))
        if headers.get('content-type', '').split(';')[0].strip().lower() != 'application/json':
            raise ApiError('InvalidParameter', 'Content-Type must be application/json.')
        secret_id = self.emulator.authenticate(headers, body)
        region = headers.get('x-tc-region')
        if not region:
            raise ApiError('MissingParameter', 'The parameter `Region` is missing.')
        if region not in REGIONS:
            raise ApiError('UnsupportedRegion', 'The region `%s` is not supported by this API.' % region)
        self.emulator.admit(action)
        try:
            params = json.loads(body)
        except ValueError:
            raise ApiError('InvalidParameter.BodyParamsError', 'The request body is not valid JSON.')
        if not isinstance(params, dict):
            raise ApiError('InvalidParameter.BodyParamsError', 'The request body must be a JSON object.')
        return secret_id

    def _fault(self, fault, entry):
        """Act out a fault; True when no normal answer must follow."""
        entry['fault'] = fault['kind']
        entry['code'] = {'drop': 'Fault.Dropped', 'http': 'Fault.HTTP%s' % fault.get('status', 503),
                         'error': fault.get('code', 'InternalError'), 'delay': None}[fault['kind']]
        if fault['kind'] == 'drop':
            self.close_connection = True
            return True
        if fault['kind'] == 'http':
            payload = b'<html><body>upstream error</body></html>'
            self.send_response(int(fault.get('status', 503)))
            self.send_header('Content-Type', 'text/html')
            self.send_header('Content-Length', str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return True
        if fault['kind'] == 'error':
            self._send_json({'Response': {'Error': {'Code': fault.get('code', 'InternalError'),
                                                    'Message': fault.get('message', 'Injected by the emulator.')},
                                          'RequestId': entry['request_id']}})
            return True
        time.sleep(float(fault.get('seconds', 5)))
        return False


def load_seed(path):
    with open(path) as handle:
        return json.load(handle)


def parse_credential(text):
    parts = text.split(':', 2)
    if len(parts) < 2:
        raise argparse.ArgumentTypeError('a credential is SECRET_ID:SECRET_KEY[:TOKEN]')
    return parts[0], {'secret_key': parts[1], 'token': parts[2] if len(parts) == 3 else None}


def parse_task(text):
    app, dummy, task_id = text.partition(':')
    if not app.isdigit() or not task_id:
        raise argparse.ArgumentTypeError('a task is SDK_APP_ID:TASK_ID')
    return {'sdk_app_id': int(app), 'task_id': task_id}


def build_parser():
    parser = argparse.ArgumentParser(description='A local emulator of the TRTC stream-ingest API.')
    parser.add_argument('--host', default='127.0.0.1', help='address to listen on (default 127.0.0.1)')
    parser.add_argument('--port', type=int, default=8080, help='port; 0 picks a free one (default 8080)')
    parser.add_argument('--seed', help='JSON file with "credentials" and "tasks" to start with')
    parser.add_argument('--credential', action='append', type=parse_credential, default=[],
                        help='SECRET_ID:SECRET_KEY[:TOKEN] accepted by the emulator; repeatable. '
                             'Without any, a demo key is accepted: %s:%s' % (DEMO_SECRET_ID, DEMO_SECRET_KEY))
    parser.add_argument('--task', action='append', type=parse_task, default=[],
                        help='SDK_APP_ID:TASK_ID of a running relay task; repeatable')
    parser.add_argument('--rate-limit', type=int, default=20, help='requests per second per action; 0 for none')
    parser.add_argument('--port-file', help='write the port to this file once listening; removed on exit')
    parser.add_argument('--verbose', action='store_true', help='log every HTTP request to stderr')
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    seed = load_seed(args.seed) if args.seed else {}
    credentials = dict((c['secret_id'], {'secret_key': c['secret_key'], 'token': c.get('token')})
                       for c in seed.get('credentials', []))
    credentials.update(dict(args.credential))
    if not credentials:
        credentials[DEMO_SECRET_ID] = {'secret_key': DEMO_SECRET_KEY, 'token': None}
    emulator = Emulator(credentials, rate_limit=args.rate_limit)
    emulator.put_tasks(seed.get('tasks', []) + args.task)

    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    server.emulator = emulator
    server.verbose = args.verbose
    port = server.server_address[1]

    def stop(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    try:
        if args.port_file:
            with open(args.port_file + '.tmp', 'w') as handle:
                handle.write('%d\n' % port)
            os.replace(args.port_file + '.tmp', args.port_file)
        print('TRTC emulator listening on http://%s:%d' % (args.host, port), flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        if args.port_file and os.path.exists(args.port_file):
            os.unlink(args.port_file)
    return 0


if __name__ == '__main__':
    sys.exit(main())
