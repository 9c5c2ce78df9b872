# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The relay callbacks the emulator sends, as the service sends them (TRTC's "Push Online Media Stream Callback"):
events 701 (start: Status 0 started, 1 start failed, 2 starting again) and 702 (stopped) of event group 7, POSTed
to the callback URL as UTF-8 JSON pretty-printed with tabs, with the headers Content-Type, SdkAppId and (with a
key) Sign = base64(HMAC-SHA256(key, body)). A callback not answered 200 within 5 seconds is sent again at once,
then every 10 seconds until it is a minute old. Callbacks go out one at a time, in the order of their events,
unless they are held and then released newest first (out of order, as the service may deliver them).
Standard library only; the key is never shown in the state.
"""

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.error
import urllib.request

from trtc_service import ControlError

RELAY_GROUP = 7
START_EVENT, STOP_EVENT = 701, 702
STARTED, START_FAILED, STARTING_AGAIN = 0, 1, 2
STOPPED = 0
ANSWER_SECONDS = 5.0
RETRY_INTERVAL_SECONDS = 10.0
GIVE_UP_AGE_SECONDS = 60.0
CONTROL_FIELDS = ('url', 'key', 'hold', 'reversed')
TICK_SECONDS = 0.5


def callback_body(event_type, task_id, status, event_ms, callback_ms):
    """A callback's body, byte for byte in the service's layout: tabs, and a tab after each colon."""
    document = {'EventGroupId': RELAY_GROUP, 'EventType': event_type, 'CallbackMsTs': callback_ms,
                'EventInfo': {'EventMsTs': event_ms, 'TaskId': task_id, 'Status': status}}
    return json.dumps(document, indent='\t', separators=(',', ':\t')).encode('utf-8')


def callback_sign(key, body):
    return base64.b64encode(hmac.new(key.encode('utf-8'), body, hashlib.sha256).digest()).decode('ascii')


def http_post(url, body, headers, timeout):
    """The HTTP status of a POST, or None when no answer came (refused, timed out, dropped)."""
    request = urllib.request.Request(url, data=body, headers=headers, method='POST')
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            answer.read()
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code
    except (OSError, ValueError):
        return None


class Delivery:
    """One callback: its event, when it happened, and each attempt to send it."""

    def __init__(self, sdk_app_id, task_id, event_type, status, now):
        self.sdk_app_id = sdk_app_id
        self.task_id = task_id
        self.event_type = event_type
        self.status = status
        self.event_ms = int(round(now * 1000))
        self.born = now
        self.next_at = now
        self.answers = []
        self.state = 'pending'

    def shown(self):
        return dict(sdk_app_id=self.sdk_app_id, task_id=self.task_id, event_type=self.event_type, status=self.status,
                    event_ms_ts=self.event_ms, answers=list(self.answers), state=self.state)


class Callbacks:
    """Where callbacks go (url, key), those waiting to be sent, and those delivered or given up."""

    def __init__(self, url=None, key=None, clock=time.time, send=http_post):
        self.url = url
        self.key = key
        self.clock = clock
        self.send = send
        self.held = False
        self.pending = []
        self.done = []
        self.condition = threading.Condition()

    def configure(self, document):
        """Apply a POST /_emulator/callbacks: url and key (null: none), hold, and reversed (release newest first)."""
        unknown = sorted(set(document) - set(CONTROL_FIELDS))
        if unknown:
            raise ControlError('unknown field(s) %s; a callbacks request has %s'
                               % (', '.join(unknown), ', '.join(CONTROL_FIELDS)))
        for name in ('url', 'key'):
            if name in document and document[name] is not None and not (
                    isinstance(document[name], str) and document[name]):
                raise ControlError('%s must be a non-empty string or null' % name)
        for name in ('hold', 'reversed'):
            if name in document and not isinstance(document[name], bool):
                raise ControlError('%s must be true or false' % name)
        with self.condition:
            self.url = document.get('url', self.url)
            self.key = document.get('key', self.key)
            if document.get('reversed'):
                self.pending.reverse()
            self.held = document.get('hold', self.held)
            self.condition.notify_all()

    def emit(self, sdk_app_id, task_id, event_type, status, after=0.0):
        """An event happens (after that many seconds): its callback is sent then, when a URL is set."""
        with self.condition:
            if self.url is None:
                return
            self.pending.append(Delivery(sdk_app_id, task_id, event_type, status, self.clock() + after))
            self.condition.notify_all()

    def clear(self):
        with self.condition:
            self.pending, self.done = [], []

    def snapshot(self):
        with self.condition:
            return dict(url=self.url, signed=self.key is not None, held=self.held,
                        sent=[delivery.shown() for delivery in self.done + self.pending])

    def next_due(self, now):
        """The first callback due at now (None: none, or held)."""
        with self.condition:
            if self.held:
                return None
            return next((delivery for delivery in self.pending if delivery.next_at <= now), None)

    def attempt(self, delivery):
        """Send a callback once; schedule it again, or give it up, as the service does."""
        with self.condition:
            url, key = self.url, self.key
        now = self.clock()
        body = callback_body(delivery.event_type, delivery.task_id, delivery.status, delivery.event_ms,
                             int(now * 1000))
        headers = {'Content-Type': 'application/json', 'SdkAppId': str(delivery.sdk_app_id)}
        if key is not None:
            headers['Sign'] = callback_sign(key, body)
        status = self.send(url, body, headers, ANSWER_SECONDS) if url else None
        with self.condition:
            delivery.answers.append(status)
            if status == 200:
                return self._finish(delivery, 'delivered')
            delivery.next_at = now if len(delivery.answers) == 1 else now + RETRY_INTERVAL_SECONDS
            if delivery.next_at - delivery.born >= GIVE_UP_AGE_SECONDS:
                self._finish(delivery, 'given up')
        return None

    def _finish(self, delivery, state):
        delivery.state = state
        self.pending.remove(delivery)
        self.done.append(delivery)

    def run_once(self):
        """Send every callback due now; the seconds until the next one may be (at most TICK_SECONDS)."""
        while True:
            delivery = self.next_due(self.clock())
            if delivery is None:
                break
            self.attempt(delivery)
        with self.condition:
            waits = [delivery.next_at - self.clock() for delivery in self.pending] if not self.held else []
        return max(0.0, min(waits + [TICK_SECONDS]))

    def run(self, service):
        """The sender's loop (a daemon thread): ends tasks whose MaxDuration passed, and sends what is due."""
        while True:
            service.expire()
            wait = self.run_once()
            with self.condition:
                self.condition.wait(wait)
