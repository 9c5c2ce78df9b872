# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A request rate limit shared by every process of the host, per API action and credential.

The service answers RequestLimitExceeded past 20 requests of an action per second. Forks and
threads running at once each reserve a send time in a small file under a lock: the newest
`rate` reservations always span more than one second (plus a margin for the jitter between
sending and arrival), so the service never sees more than `rate` requests within a second.
When the directory cannot be used, the limit holds within the process only, with a warning.
With a shared store (option record_store), the same rule runs atomically in the store for every
controller that names it, and a store out of reach fails the request: there is no fallback.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import fcntl
import hashlib
import json
import math
import os
import threading
import time

from ansible_collections.tencentcloud.trtc.plugins.module_utils._files import make_private_dirs

DEFAULT_RATE_LIMIT = 20
DEFAULT_DIRECTORY = '~/.ansible/tencentcloud_trtc/rate'
WINDOW_SECONDS = 1.0
# Requests sent a window apart can arrive closer together; this keeps them a window apart on arrival.
ARRIVAL_MARGIN_SECONDS = 0.1
SPAN_SECONDS = WINDOW_SECONDS + ARRIVAL_MARGIN_SECONDS
# A file untouched this long belongs to an action or a key no longer in use.
STALE_FILE_SECONDS = 24 * 3600


def next_send_time(reserved, now, rate):
    """The earliest time >= now, and at most one span after it, at which one more request keeps every
    window within rate.

    Only requests about to be sent reserve a time, so no reservation lies after now; one that
    does comes from a clock that has since been stepped back, and is ignored.
    """
    reserved = [slot for slot in reserved if slot <= now]
    if len(reserved) < rate:
        return now
    return max(now, reserved[-rate] + SPAN_SECONDS)


def parse_reservations(content):
    """The reserved send times in a file's content; damage only means no reservation is known."""
    try:
        reserved = json.loads(content.decode('utf-8') or '[]')
    except ValueError:
        return []
    if not isinstance(reserved, list):
        return []
    return sorted(value for value in reserved
                  if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value))


class ProcessReservations:
    """The reservations of one process, for when no file can be shared."""

    def __init__(self):
        self.guard = threading.Lock()
        self.reserved = {}

    def reserve(self, name, clock, rate):
        """(slot, now): at slot <= now the request goes and now is reserved; later, ask again then."""
        with self.guard:
            now = clock()
            reserved = self.reserved.setdefault(name, [])
            slot = next_send_time(reserved, now, rate)
            if slot <= now:
                reserved[:] = ([value for value in reserved if value <= now] + [now])[-rate:]
            return slot, now


PROCESS_RESERVATIONS = ProcessReservations()


class HostRateLimiter:
    """Callable with an action name; returns once a request of that action may be sent."""

    def __init__(self, secret_id, rate=DEFAULT_RATE_LIMIT, directory=DEFAULT_DIRECTORY, clock=None, sleep=None,
                 warn=None, store=None):
        self.secret_id = secret_id
        # A shared store (_redis_store.RedisStore) holds the reservations of every controller naming it; it has
        # no fallback: a store out of reach fails the request (RecordError) instead of overrunning the limit.
        self.store = store
        self.rate = int(rate)
        self.directory = os.path.abspath(os.path.expanduser(directory))
        self.clock = clock
        self.sleep = sleep
        self.warn = warn or (lambda message: None)
        self.shared = True
        self.guard = threading.Lock()
        self.cleaned = False

    def name_of(self, action):
        return '%s.json' % self.key_of(action)

    def key_of(self, action):
        # The SecretId is hashed: the file name (or store key) need not tell which key is in use.
        digest = hashlib.sha256(('%s|%s' % (action, self.secret_id)).encode('utf-8')).hexdigest()[:24]
        return '%s-%s' % (action, digest)

    def path_of(self, action):
        return os.path.join(self.directory, self.name_of(action))

    def __call__(self, action):
        """Returns when a request of action may be sent; each wait lasts at most one span."""
        if self.rate <= 0:
            return
        clock = self.clock or time.time
        while True:
            slot, now = self._reserve(action, clock)
            if slot <= now:
                return
            (self.sleep or time.sleep)(slot - now)

    def _reserve(self, action, clock):
        """(slot, now), now read under the lock: a time read before waiting for it would be stale."""
        if self.store is not None:
            # The store's own clock unless one is given: one clock for every controller.
            return self.store.reserve(self.key_of(action), self.rate, SPAN_SECONDS,
                                      None if self.clock is None else self.clock())
        if self.shared:
            try:
                return self._reserve_in_file(self.path_of(action), clock)
            except OSError as exc:
                self._fall_back(exc)
        return PROCESS_RESERVATIONS.reserve(self.name_of(action), clock, self.rate)

    def _fall_back(self, exc):
        with self.guard:
            if self.shared:
                self.shared = False
                self.warn('rate_limit: cannot use %s (%s); the limit of %d requests per second now holds within '
                          'this module run only, not across the forks of this host'
                          % (self.directory, exc.strerror or exc, self.rate))

    def _reserve_in_file(self, path, clock):
        """Reserve now in path when a request may go now; path is its own lock, written in one write."""
        if not self.cleaned:
            self.cleaned = True
            make_private_dirs(self.directory)
            remove_stale_files(self.directory)
        fd = open_locked(path)
        try:
            content = os.pread(fd, 1 << 16, 0)
            now = clock()
            reserved = [value for value in parse_reservations(content) if value <= now]
            slot = next_send_time(reserved, now, self.rate)
            if slot <= now:
                new_content = json.dumps((reserved + [now])[-self.rate:]).encode('utf-8')
                # Padded to the old length: no truncation, so no moment where the file is cut short.
                os.pwrite(fd, new_content.ljust(len(content)), 0)
        finally:
            os.close(fd)
        return slot, now


def open_locked(path):
    """A descriptor of path holding its flock, of the file that path names now (not one unlinked meanwhile)."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if os.fstat(fd).st_ino == os.stat(path).st_ino:
                return fd
        except FileNotFoundError:
            pass
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)


def remove_stale_files(directory):
    """Remove rate files nobody has used for a day; one in use is left alone."""
    now = time.time()
    for name in os.listdir(directory):
        path = os.path.join(directory, name)
        try:
            if os.stat(path).st_mtime > now - STALE_FILE_SECONDS:
                continue
            fd = os.open(path, os.O_RDWR)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if os.fstat(fd).st_mtime <= now - STALE_FILE_SECONDS:
                os.unlink(path)
        except OSError:
            pass
        finally:
            os.close(fd)
