# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one fake of the service for unit tests: a stand-in for requests.Session to which each test states the calls
it expects, as community.hrobot's FetchUrlCall does: the action, the parameters it must carry, and the answer.

    FakeService(
        Call('DescribeStreamIngest', TaskId='t-1').answers('r-1', Status='InProgress'),
        Call('UpdateStreamIngest', TaskId='t-1', Volume=80).fails('RequestLimitExceeded'),
        Call('UpdateStreamIngest').raises(READ_TIMEOUT),
    )

The calls come in the order stated, or in any order (in_any_order=True, for the list form's concurrent lanes: each
request takes the first expected call whose action and parameters it matches). A request nobody expected fails the
test, and so does an expected call that never came (assert_done, which ModuleRunner calls).
"""

from __future__ import annotations

import copy
import json
import threading

import requests

ACTIONS = ('StartStreamIngest', 'UpdateStreamIngest', 'DescribeStreamIngest', 'StopStreamIngest')


class FakeReply:
    def __init__(self, status_code=200, body=None, content=None, headers=None):
        self.status_code = status_code
        self.content = content if content is not None else json.dumps(body).encode('utf-8')
        self.headers = dict(headers or {})


def ok(request_id='req-1', **fields):
    """A success: the Response holds fields and the RequestId."""
    return FakeReply(body={'Response': dict(fields, RequestId=request_id)})


def api_error(code, message='boom', request_id='req-err'):
    """An API error with its code, message and RequestId."""
    return FakeReply(body={'Response': {'Error': {'Code': code, 'Message': message}, 'RequestId': request_id}})


class Call:
    """One expected API call: its action, the parameters it must carry (those named, with these values; a request may
    carry more), and its answer (by default a success with nothing but a RequestId). Each answer method returns a new
    Call, so a Call kept in a constant can be stated in many tests."""

    def __init__(self, action, **params):
        assert action in ACTIONS, 'no such action: %s' % action
        self.action = action
        self.params = params
        self.answer = ok()

    def _answering(self, answer):
        call = copy.copy(self)
        call.answer = answer
        return call

    def answers(self, request_id='req-1', **fields):
        """A success: the Response holds fields and the RequestId."""
        return self._answering(ok(request_id, **fields))

    def fails(self, code, message='boom', request_id='req-err'):
        """An API error with its code, message and RequestId."""
        return self._answering(api_error(code, message, request_id))

    def replies(self, status_code=200, body=None, content=None, headers=None):
        """An HTTP answer as given (a page, a redirect, an HTTP 429 ...)."""
        return self._answering(FakeReply(status_code, body, content, headers))

    def raises(self, exception):
        """No answer: the transport raises exception (a lost connection, a timeout, the process killed)."""
        return self._answering(exception)

    def gives(self, answer):
        """A reply made beforehand (ok, api_error, FakeReply), or an exception the transport raises: for tests
        that run one situation with each of several answers."""
        return self._answering(answer)

    def matches(self, action, params):
        return action == self.action and all(params.get(name, Call) == value for name, value in self.params.items())

    def __repr__(self):
        return 'Call(%s%s)' % (self.action, ''.join(', %s=%r' % item for item in sorted(self.params.items())))


class FakeService:
    """requests.Session's post(), answering each request with the expected call it matches; the calls it received
    are kept in calls (action, params, headers, body, url, timeout, verify, allow_redirects)."""

    def __init__(self, *expected, in_any_order=False):
        self.expected = list(expected)
        self.in_any_order = in_any_order
        self.calls = []
        self.lock = threading.Lock()

    def expect(self, *expected):
        self.expected.extend(expected)
        return self

    def post(self, url, data=None, headers=None, timeout=None, verify=None, allow_redirects=True):
        action, params = headers['X-TC-Action'], json.loads(data)
        with self.lock:
            self.calls.append(dict(url=url, action=action, params=params, headers=headers, body=data, timeout=timeout,
                                   verify=verify, allow_redirects=allow_redirects))
            call = self._take(action, params)
        if isinstance(call.answer, BaseException):
            raise call.answer
        return call.answer

    def _take(self, action, params):
        candidates = self.expected if self.in_any_order else self.expected[:1]
        for index, call in enumerate(candidates):
            if call.matches(action, params):
                return self.expected.pop(index)
        raise AssertionError('unexpected call %s %s; expected %s' % (action, json.dumps(params, sort_keys=True),
                                                                     candidates or 'none'))

    @property
    def actions(self):
        return [call['action'] for call in self.calls]

    def assert_done(self):
        assert not self.expected, 'expected calls that never came: %r' % (self.expected,)


CONNECTION_ERROR = requests.exceptions.ConnectionError('Connection aborted.')
READ_TIMEOUT = requests.exceptions.ReadTimeout('read timed out')


def connection_refused():
    """A requests ConnectionError caused by a refused connection, chained as requests and urllib3 chain it."""
    error = requests.exceptions.ConnectionError('Max retries exceeded (Caused by NewConnectionError(...))')
    error.__cause__ = ConnectionRefusedError(111, 'Connection refused')
    return error
