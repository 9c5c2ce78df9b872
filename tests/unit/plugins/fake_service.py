# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A scripted stand-in for requests.Session: each expected HTTP call is asserted and answered in order."""

from __future__ import annotations

import json
import threading

import requests


class FakeReply:
    def __init__(self, status_code=200, body=None, content=None, headers=None):
        self.status_code = status_code
        self.content = content if content is not None else json.dumps(body).encode('utf-8')
        self.headers = dict(headers or {})


def ok(request_id='req-1', **fields):
    return FakeReply(body={'Response': dict(fields, RequestId=request_id)})


def api_error(code, message='boom', request_id='req-err'):
    return FakeReply(body={'Response': {'Error': {'Code': code, 'Message': message}, 'RequestId': request_id}})


class FakeSession:
    """Answers post() with the scripted replies; an exception instance in the script is raised instead."""

    def __init__(self, *script):
        self.script = list(script)
        self.calls = []

    def expect(self, *script):
        self.script.extend(script)
        return self

    def post(self, url, data=None, headers=None, timeout=None, verify=None, allow_redirects=True):
        self.calls.append(dict(url=url, action=headers['X-TC-Action'], params=json.loads(data), headers=headers,
                               body=data, timeout=timeout, verify=verify, allow_redirects=allow_redirects))
        assert self.script, 'unexpected HTTP call: %s %s' % (headers['X-TC-Action'], data)
        reply = self.script.pop(0)
        if isinstance(reply, tuple):
            expected_action, reply = reply
            assert headers['X-TC-Action'] == expected_action, (headers['X-TC-Action'], expected_action)
        if isinstance(reply, BaseException):
            raise reply
        return reply

    @property
    def actions(self):
        return [call['action'] for call in self.calls]

    def assert_done(self):
        assert not self.script, 'expected HTTP calls that never came: %r' % (self.script,)


CONNECTION_ERROR = requests.exceptions.ConnectionError('Connection aborted.')
READ_TIMEOUT = requests.exceptions.ReadTimeout('read timed out')


def connection_refused():
    """A requests ConnectionError caused by a refused connection, chained as requests and urllib3 chain it."""
    error = requests.exceptions.ConnectionError('Max retries exceeded (Caused by NewConnectionError(...))')
    error.__cause__ = ConnectionRefusedError(111, 'Connection refused')
    return error


class RoutedSession(FakeSession):
    """For concurrent callers: answers each call with answer(action, params) instead of a script in order."""

    def __init__(self, answer):
        super().__init__()
        self.answer = answer
        self.lock = threading.Lock()

    def post(self, url, data=None, headers=None, timeout=None, verify=None, allow_redirects=True):
        params = json.loads(data)
        with self.lock:
            self.calls.append(dict(url=url, action=headers['X-TC-Action'], params=params, headers=headers,
                                   body=data, timeout=timeout, verify=verify, allow_redirects=allow_redirects))
        return self.answer(headers['X-TC-Action'], params)
