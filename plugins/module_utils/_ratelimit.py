# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A request rate limit shared by every process of the host, per API action and credential.

The service answers RequestLimitExceeded past 20 requests of an action within a second of their
arrival. A request arrives at some moment between the time it was let go and the time its answer
came back, so each request counts from the moment it is let go until one span after its answer
(while no answer has come, it counts on): at most `rate` requests count at any moment, so at most
`rate` can arrive within any second, however long each one spends on the way. Forks and threads
running at once keep these requests in a small file under a lock. A request whose answer never
comes (its process was killed) stops counting one span after its deadline, the longest a request
may last. When the directory cannot be used, the limit holds within the process only, with a
warning. With a shared store (option record_store), the same rule runs atomically in the store for
every controller that names it, and a store out of reach fails the request: there is no fallback.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import math
import os
import threading
import time

from ansible_collections.tencentcloud.trtc.plugins.module_utils._files import (
    make_private_dirs, open_own_file, require_safe_directory, unsafe_link_problem,
)

DEFAULT_RATE_LIMIT = 20
DEFAULT_DIRECTORY = '~/.ansible/tencentcloud_trtc/rate'
DEFAULT_LONGEST_REQUEST_SECONDS = 60.0
WINDOW_SECONDS = 1.0
# The service's clock and ours may tick a little apart, and it may count whole seconds.
CLOCK_MARGIN_SECONDS = 0.02
SPAN_SECONDS = WINDOW_SECONDS + CLOCK_MARGIN_SECONDS
# A file untouched this long belongs to an action or a key no longer in use.
STALE_FILE_SECONDS = 24 * 3600


def counts_until(request, now):
    """The moment from which request [sent, deadline, answered, token] no longer counts (<= now: it does not).

    A request not yet answered may be answered any moment: it counts until one span from now, the
    earliest its turn can end, or until one span after its deadline, when its process is gone. A
    request sent after now comes from a clock since stepped back, and is not counted.
    """
    sent, deadline, answered = request[:3]
    if sent > now:
        return now
    if answered is not None:
        return min(answered, now) + SPAN_SECONDS
    return min(now, deadline) + SPAN_SECONDS


def counting(requests, now):
    """The requests that still count at now."""
    return [request for request in requests if counts_until(request, now) > now]


def next_send_time(requests, now, rate):
    """The earliest time >= now, and at most one span after it, at which one more request keeps at most
    rate requests counting; at a later time the requests answered meanwhile are looked at again."""
    ends = sorted(counts_until(request, now) for request in counting(requests, now))
    if len(ends) < rate:
        return now
    return ends[len(ends) - rate]


def parse_requests(content):
    """The requests [sent, deadline, answered or None, token] in a file's content; damage is no request.

    A bare number is a send time written by an older version: a request sent and answered then."""
    try:
        stored = json.loads(content.decode('utf-8') or '[]')
    except (ValueError, UnicodeDecodeError, RecursionError):
        return []
    if not isinstance(stored, list):
        return []
    requests = []
    for item in stored:
        if is_time(item):
            requests.append([item, item, item, ''])
        elif (isinstance(item, list) and len(item) == 4 and is_time(item[0]) and is_time(item[1])
              and (item[2] is None or is_time(item[2])) and isinstance(item[3], str)):
            requests.append(item)
    return requests


def is_time(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def new_ticket():
    return os.urandom(8).hex()


class ProcessReservations:
    """The requests of one process, for when no file can be shared."""

    def __init__(self):
        self.guard = threading.Lock()
        self.requests = {}

    def reserve(self, name, clock, rate, longest, ticket):
        """(slot, now): at slot <= now the request goes and is counted; later, ask again then."""
        with self.guard:
            now = clock()
            requests = counting(self.requests.get(name, []), now)
            slot = take_turn(requests, now, rate, longest, ticket)
            self.requests[name] = requests
            return slot, now

    def answered(self, name, clock, ticket):
        with self.guard:
            mark_answered(self.requests.get(name, []), ticket, clock())


def take_turn(requests, now, rate, longest, ticket):
    """The send time of ticket's request; at one <= now it goes, and is added to requests."""
    slot = next_send_time(requests, now, rate)
    if slot <= now:
        requests.append([now, now + longest, None, ticket])
    return slot


def mark_answered(requests, ticket, now):
    for request in requests:
        if request[3] == ticket and request[2] is None:
            request[2] = now


PROCESS_RESERVATIONS = ProcessReservations()
# A child forked while a thread of its parent held the guard would wait for it for ever.
if hasattr(os, 'register_at_fork'):
    os.register_at_fork(after_in_child=lambda: setattr(PROCESS_RESERVATIONS, 'guard', threading.Lock()))


class HostRateLimiter:
    """Callable with an action name: returns, once a request of that action may be sent, a function to
    call (without arguments) when its answer came or it failed."""

    def __init__(self, secret_id, rate=DEFAULT_RATE_LIMIT, directory=DEFAULT_DIRECTORY, clock=None, sleep=None,
                 warn=None, store=None, longest_request=DEFAULT_LONGEST_REQUEST_SECONDS):
        self.secret_id = secret_id
        # A shared store (_redis_store.RedisStore) holds the requests of every controller naming it; it has
        # no fallback: a store out of reach fails the request (RecordError) instead of overrunning the limit.
        self.store = store
        self.rate = int(rate)
        self.longest_request = float(longest_request)
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
            return lambda: None
        ticket = new_ticket()
        while True:
            slot, now, where = self._reserve(action, ticket)
            if slot <= now:
                return lambda: self._answered(action, ticket, where)
            (self.sleep or time.sleep)(slot - now)

    def _now(self):
        return (self.clock or time.time)()

    def _reserve(self, action, ticket):
        """(slot, now, where the request is counted); now is read under the lock: a time read before
        waiting for it would be stale."""
        if self.store is not None:
            # The store's own clock unless one is given: one clock for every controller.
            slot, now = self.store.reserve(self.key_of(action), self.rate, SPAN_SECONDS, self.longest_request,
                                           ticket, None if self.clock is None else self._now())
            return slot, now, 'store'
        if self.shared:
            try:
                return self._reserve_in_file(self.path_of(action), ticket) + ('file',)
            except OSError as exc:
                self._fall_back(exc)
        return PROCESS_RESERVATIONS.reserve(self.name_of(action), self._now, self.rate, self.longest_request,
                                            ticket) + ('process',)

    def _answered(self, action, ticket, where):
        """The request of ticket was answered now; a failure here only leaves it counting until its deadline."""
        try:
            if where == 'store':
                self.store.answered(self.key_of(action), ticket, None if self.clock is None else self._now())
            elif where == 'file':
                self._change_file(self.path_of(action), lambda requests, now: mark_answered(requests, ticket, now))
            else:
                PROCESS_RESERVATIONS.answered(self.name_of(action), self._now, ticket)
        except Exception:  # pylint: disable=broad-exception-caught
            pass

    def _fall_back(self, exc):
        with self.guard:
            if self.shared:
                self.shared = False
                self.warn('rate_limit: cannot use %s (%s); the limit of %d requests per second now holds within '
                          'this module run only, not across the forks of this host'
                          % (self.directory, exc.strerror or exc, self.rate))

    def _reserve_in_file(self, path, ticket):
        """Count the request of ticket in path when it may go now."""
        self._prepare_directory()
        decided = {}

        def reserve(requests, now):
            decided.update(slot=take_turn(requests, now, self.rate, self.longest_request, ticket), now=now)

        self._change_file(path, reserve)
        return decided['slot'], decided['now']

    def _prepare_directory(self):
        """Once, before any thread of this limiter opens a file: the directory made, stale files removed."""
        with self.guard:
            if not self.cleaned:
                problem = unsafe_link_problem(self.directory)
                if problem:
                    raise OSError(errno.EPERM, problem)
                make_private_dirs(self.directory)
                require_safe_directory(self.directory)
                remove_stale_files(self.directory)
                self.cleaned = True

    def _change_file(self, path, change):
        """change(requests, now) on the requests of path, in place; path is its own lock, written in one write."""
        fd = open_locked(path)
        try:
            content = os.pread(fd, 1 << 20, 0)
            now = self._now()
            # Changed before pruning, as in the store: an answer may come after its request's deadline.
            requests = parse_requests(content)
            change(requests, now)
            new_content = json.dumps(counting(requests, now)).encode('utf-8')
            if new_content != content.rstrip(b' '):
                # Padded to the old length: no truncation, so no moment where the file is cut short.
                os.pwrite(fd, new_content.ljust(len(content)), 0)
        finally:
            os.close(fd)


def open_locked(path):
    """A descriptor of path holding its flock, of the file that path names now (not one unlinked meanwhile)."""
    while True:
        fd = open_own_file(path, os.O_RDWR | os.O_CREAT)
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
            fd = open_own_file(path, os.O_RDWR)
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
