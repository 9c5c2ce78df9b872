# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The emulator's HTTP server: it hands signed API requests and control requests to the service model
(trtc_service.Emulator), acts out the faults that happen on the wire, and keeps malformed or slow clients from
hurting it (body limits, Content-Length, idle deadlines, 405). Standard library only.
"""

import hmac
import json
import random
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from trtc_service import ControlError, control_document

MAX_BODY_BYTES = 1024 * 1024
DEFAULT_IDLE_TIMEOUT = 10.0
CONTROL_PREFIX = '/_emulator/'
TOKEN_HEADER = 'X-Emulator-Token'


class Distance:
    """How far the service stands: each way (a request's to it, its answer's back) takes latency seconds, give or take
    up to jitter, uniformly. The emulator plays it by waiting that long before it takes a request in (so that its
    rate limit counts arrivals, as the service does) and again before it sends the answer."""

    def __init__(self, latency=0.0, jitter=0.0, sleep=time.sleep, randomness=None):
        self.latency = latency
        self.jitter = jitter
        self.sleep = sleep
        self.random = randomness or random.Random()

    def way(self):
        """Seconds one way takes."""
        return max(0.0, self.latency + self.random.uniform(-self.jitter, self.jitter))

    def travel(self):
        if self.latency or self.jitter:
            self.sleep(self.way())


class Deadlines:
    """Shuts down connections whose request has not arrived within `seconds`: slow clients never hold a thread."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.lock = threading.Lock()
        self.pending = {}  # connection -> time.monotonic() deadline
        self.cut = set()  # connections shut down, until disarmed
        threading.Thread(target=self._watch, name='deadlines', daemon=True).start()

    def arm(self, connection):
        with self.lock:
            self.pending[connection] = time.monotonic() + self.seconds

    def disarm(self, connection):
        with self.lock:
            self.pending.pop(connection, None)
            self.cut.discard(connection)

    def expired(self, connection):
        with self.lock:
            return connection in self.cut

    def _watch(self):
        while True:
            time.sleep(min(max(self.seconds / 4, 0.05), 1.0))
            now = time.monotonic()
            with self.lock:
                late = [connection for connection, deadline in self.pending.items() if deadline <= now]
                for connection in late:
                    del self.pending[connection]
                self.cut.update(late)
            for connection in late:
                try:
                    connection.shutdown(socket.SHUT_RDWR)  # the handler's blocked read returns, and it ends
                except OSError:
                    pass


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    # Headers and body go out in two writes; with Nagle's algorithm a kept-alive connection waits ~40 ms.
    disable_nagle_algorithm = True
    server_version = 'trtc-emulator'
    default_request_version = 'HTTP/1.0'  # a request line without a version still gets a status line

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if self.server.verbose:
            super().log_message(format, *args)

    @property
    def emulator(self):
        return self.server.emulator

    def setup(self):
        self.timeout = self.server.idle_timeout  # a read or write idle this long ends the connection
        super().setup()

    def handle(self):
        try:
            super().handle()
        except ConnectionError:  # the client went away (BrokenPipe, ConnectionReset): nothing to answer
            self.log_message('the client closed the connection before the answer')

    def handle_one_request(self):
        """One request; its request line, headers and body must arrive within the idle timeout."""
        self.server.deadlines.arm(self.connection)
        try:
            super().handle_one_request()
        finally:
            self._received()

    def parse_request(self):
        if not super().parse_request():
            return False
        if self.server.deadlines.expired(self.connection):  # its headers trickled in too slowly
            self.log_message('Request timed out: not received whole within %g s', self.server.idle_timeout)
            self.close_connection = True
            return False
        return True

    def _received(self):
        """The whole request has arrived: from here on, answering takes as long as it takes."""
        self.server.deadlines.disarm(self.connection)

    def __getattr__(self, name):
        if name.startswith('do_'):  # any method but GET and POST (PUT, HEAD, FOO, ...)
            return self._not_allowed
        raise AttributeError(name)

    def _read_body(self):
        """The body of a POST, or None once it is refused with a 4xx or the client went away."""
        if self.headers.get('Transfer-Encoding'):
            return self._refuse(411, 'Send the body with a Content-Length (Transfer-Encoding is not supported).')
        lengths = set(value.strip() for value in self.headers.get_all('Content-Length', []))
        if not lengths:
            return self._refuse(411, 'A POST needs a Content-Length.')
        text = lengths.pop()
        if lengths or not re.match(r'^[0-9]+$', text):
            return self._refuse(400, 'Content-Length must be one non-negative integer.')
        if len(text.lstrip('0')) > 9 or int(text) > MAX_BODY_BYTES:
            return self._refuse(413, 'The body is larger than %d bytes.' % MAX_BODY_BYTES)
        body = self.rfile.read(int(text))
        if len(body) < int(text):
            self.close_connection = True
            return None
        return body

    def _has_body(self):
        return self.headers.get('Transfer-Encoding') or self.headers.get('Content-Length', '0').strip() != '0'

    def _refuse(self, status, message):
        """Answer a 4xx and close the connection (a body it did not read must not pass for the next request)."""
        self._send_json({'error': message}, status, close=True)

    def _send_json(self, document, status=200, close=False):
        payload = json.dumps(document).encode('utf-8')
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(payload)))
        if status == 405:
            self.send_header('Allow', 'GET, POST')
        if close:
            self.send_header('Connection', 'close')
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(payload)

    def _not_allowed(self):
        self._refuse(405, 'The method %s is not allowed: use GET or POST.' % self.command)

    def do_GET(self):
        self._received()
        close = bool(self._has_body())  # a body on a GET is not read: it must not pass for the next request
        if self.path.startswith(CONTROL_PREFIX) and not self._may_control():
            return self._refuse_control(close)
        if self.path == CONTROL_PREFIX + 'state':
            return self._send_json(self.emulator.snapshot(), close=close)
        return self._send_json({'error': 'not found'}, 404, close=close)

    def do_POST(self):
        body = self._read_body()
        if body is None:
            return None
        self._received()
        if self.path.startswith(CONTROL_PREFIX):
            if not self._may_control():
                return self._refuse_control()
            return self._control(self.path[len(CONTROL_PREFIX):], body)
        return self._api(body)

    def _may_control(self):
        """Whether the request carries the control token (the control API shows stream URLs and SecretIds, and
        injects faults: other local users must not reach it)."""
        sent = self.headers.get(TOKEN_HEADER, '')
        return hmac.compare_digest(sent.encode('utf-8', 'surrogateescape'), self.server.control_token.encode('utf-8'))

    def _refuse_control(self, close=False):
        return self._send_json({'error': 'the control API needs the header %s with the token the emulator wrote to '
                                         'its token file (emulator.token in its state directory, or --token-file)'
                                         % TOKEN_HEADER}, 401, close=close)

    def _control(self, what, body):
        if what not in ('reset', 'tasks', 'faults', 'end', 'callbacks'):
            return self._send_json({'error': 'unknown control %s' % what}, 404)
        try:
            document = control_document(body)
            if what == 'reset':
                self.emulator.reset(document.get('tasks'))
            elif what == 'tasks':
                self.emulator.put_tasks(document.get('tasks'))
            elif what == 'callbacks':
                self.emulator.callbacks.configure(document)
            elif what == 'end':
                if not self.emulator.end(document):
                    return self._send_json({'error': 'no task %s of SdkAppId %s runs'
                                                     % (document['task_id'], document['sdk_app_id'])}, 404)
            else:
                self.emulator.add_fault(document)
        except ControlError as exc:
            return self._send_json({'error': str(exc)}, 400)
        return self._send_json({'ok': True})

    def _api(self, body):
        headers = dict((name.lower(), value) for name, value in self.headers.items())
        self.server.distance.travel()  # the request's way to the service: it arrives now
        entry = self.emulator.arrived(headers)
        fault = self.emulator.take_fault(entry['action'])
        if fault and self._fault(fault, entry):
            return
        response = self.emulator.answer(entry, headers, body)
        self.server.distance.travel()  # the answer's way back
        self._send_json({'Response': response})

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


class EmulatorServer(ThreadingHTTPServer):
    """A daemon thread per connection; a request must arrive whole within idle_timeout seconds; control requests
    need control_token."""
    daemon_threads = True
    # The service takes in bursts of new connections (three controllers starting open some 50 at once); past the
    # socketserver default of 5, the kernel drops handshakes and the clients try again a second later.
    request_queue_size = 1024

    def __init__(self, address, emulator, control_token, idle_timeout=DEFAULT_IDLE_TIMEOUT, verbose=False,
                 distance=None):
        super().__init__(address, Handler)
        self.emulator = emulator
        self.control_token = control_token
        self.distance = distance or Distance()
        self.idle_timeout = idle_timeout
        self.verbose = verbose
        self.deadlines = Deadlines(idle_timeout)
