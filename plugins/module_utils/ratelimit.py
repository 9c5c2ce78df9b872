# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A request rate limit shared by every process of the host, per API action and credential.

The service answers RequestLimitExceeded past 20 requests of an action per second. Forks and
threads running at once each reserve a send time in a small file under a lock: the newest
`rate` reservations always span more than one second (plus a margin for the jitter between
sending and arrival), so the service never sees more than `rate` requests within a second.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import os
import time

from ansible_collections.tencentcloud.trtc.plugins.module_utils.fileutil import FileLock, write_json_atomically

DEFAULT_RATE_LIMIT = 20
DEFAULT_DIRECTORY = '~/.ansible/tencentcloud_trtc/rate'
WINDOW_SECONDS = 1.0
# Requests sent a window apart can arrive closer together; this keeps them a window apart on arrival.
ARRIVAL_MARGIN_SECONDS = 0.1


def next_send_time(reserved, now, rate):
    """The earliest time >= now at which one more request keeps every window within rate."""
    slot = now
    if reserved:
        slot = max(slot, reserved[-1])
    if len(reserved) >= rate:
        slot = max(slot, reserved[-rate] + WINDOW_SECONDS + ARRIVAL_MARGIN_SECONDS)
    return slot


class HostRateLimiter:
    """Callable with an action name; returns once a request of that action may be sent."""

    def __init__(self, secret_id, rate=DEFAULT_RATE_LIMIT, directory=DEFAULT_DIRECTORY, clock=time.time,
                 sleep=time.sleep):
        self.secret_id = secret_id
        self.rate = int(rate)
        self.directory = os.path.abspath(os.path.expanduser(directory))
        self.clock = clock
        self.sleep = sleep
        self.waited = 0.0

    def path_of(self, action):
        # The SecretId is hashed: the file name need not tell which key is in use.
        digest = hashlib.sha256(('%s|%s' % (action, self.secret_id)).encode('utf-8')).hexdigest()[:24]
        return os.path.join(self.directory, '%s-%s.json' % (action, digest))

    def __call__(self, action):
        if self.rate <= 0:
            return
        path = self.path_of(action)
        with FileLock(path):
            reserved = self._load(path)
            now = self.clock()
            slot = next_send_time(reserved, now, self.rate)
            reserved.append(slot)
            write_json_atomically(path, reserved[-self.rate:], durable=False)
        if slot > now:
            self.waited += slot - now
            self.sleep(slot - now)

    @staticmethod
    def _load(path):
        """The reserved send times; a missing or damaged file only means no reservation is known."""
        try:
            with open(path) as handle:
                reserved = json.load(handle)
        except (IOError, OSError, ValueError):
            return []
        if not isinstance(reserved, list):
            return []
        return sorted(value for value in reserved if isinstance(value, (int, float)))
