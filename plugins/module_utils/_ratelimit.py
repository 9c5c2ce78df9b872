# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A request rate limit shared by every process of the host, per API action and credential.

The service answers RequestLimitExceeded past 20 requests of an action within a second of their
arrival. A request arrives at some moment between the time it was let go and the time its answer
came back. Each request counts from the moment it is let go until one window (plus a margin) after
its answer (while no answer has come, it counts on), less the least round trip (least_trip): at most
`rate` requests count at any moment, so at most `rate` can arrive within any second.

The least round trip is the shortest of the requests answered in the last SAMPLE_SECONDS, or seen in
the last LEAST_MEMORY_SECONDS if shorter (0 with fewer than LEAST_SAMPLES of them). The rule assumes
that each way takes at least half of it: a request arrived at least that half before its answer came
back, and the next one arrives at least that half after it is let go; so a request that counts until
one window after its answer, less the whole least round trip, can never share a second of arrivals
with more than `rate` - 1 others. Where a way takes less (the two ways lopsided, a quicker route), a
request may arrive up to the difference early: the margin, CLOCK_MARGIN_SECONDS, covers a little of
it, and a throttled reply, the evidence that more was needed, widens the margin by WIDEN_SECONDS (once
in a window: the replies throttled within a second come from one bunch), which narrows back by as much a
minute.

Forks and threads running at once keep these requests in a small file under a lock; the directory
is one per user of the host (default_directory), whatever HOME each process has. A request whose
answer never comes (its process was killed) stops counting one window after its deadline, the
longest a request may last. When the directory cannot be used, the limit holds within the process
only, with a warning. With a shared store (option record_store), the same rule runs atomically in
the store for every controller that names it, and a store out of reach fails the request: there is
no fallback.
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
    make_private_dirs, open_own_file, require_safe_directory, require_unreplaceable, unsafe_link_problem,
)

DEFAULT_RATE_LIMIT = 20
DEFAULT_LONGEST_REQUEST_SECONDS = 60.0
WINDOW_SECONDS = 1.0
# The service's clock and ours may tick a little apart, and it may count whole seconds.
CLOCK_MARGIN_SECONDS = 0.02
SPAN_SECONDS = WINDOW_SECONDS + CLOCK_MARGIN_SECONDS
# The round trips of the requests sent this recently and answered tell the least round trip, once there
# are at least LEAST_SAMPLES of them; the shortest seen lasts LEAST_MEMORY_SECONDS (a service that stalled
# answers its backlog with round trips that say nothing of the ways). Never more than MOST_LEAST_SECONDS is
# assumed, so that a request under way always counts a while beyond now.
SAMPLE_SECONDS = 2.0
LEAST_SAMPLES = 8
LEAST_MEMORY_SECONDS = 10.0
MOST_LEAST_SECONDS = 0.8
# A throttled reply widens the margin by this much (once per window, however many were throttled in it), up to
# MOST_WIDENED_SECONDS; it narrows back by WIDEN_SECONDS a minute.
WIDEN_SECONDS = 0.05
NARROW_PER_SECOND = WIDEN_SECONDS / 60.0
MOST_WIDENED_SECONDS = 1.0
# A file untouched this long belongs to an action or a key no longer in use.
STALE_FILE_SECONDS = 24 * 3600


def sampled_trips(requests, now):
    """The round trips of the requests sent in the last SAMPLE_SECONDS and answered."""
    return [request[2] - request[0] for request in requests
            if request[2] is not None and now - SAMPLE_SECONDS <= request[0] <= request[2] <= now]


def fresh(remembered, now):
    return remembered is not None and remembered[1] >= now - LEAST_MEMORY_SECONDS


def remember_least(remembered, requests, now):
    """[trip, when]: the shortest round trip seen in the last LEAST_MEMORY_SECONDS, after looking at requests."""
    trips = sampled_trips(requests, now)
    if trips and (not fresh(remembered, now) or min(trips) <= remembered[0]):
        return [min(trips), now]
    return remembered


def least_trip(requests, remembered, now):
    """The least round trip the rule assumes: 0 with fewer than LEAST_SAMPLES round trips to go by."""
    trips = sampled_trips(requests, now)
    if len(trips) < LEAST_SAMPLES:
        return 0.0
    shortest = min(trips + [remembered[0]]) if fresh(remembered, now) else min(trips)
    return min(shortest, MOST_LEAST_SECONDS)


def counts_until(request, now, least=0.0, margin=CLOCK_MARGIN_SECONDS):
    """The moment from which request [sent, deadline, answered, token] no longer counts (<= now: it does not).

    A request not yet answered may be answered any moment: it counts until the end its answer now would
    give, or the one its deadline gives, when its process is gone. A request sent after now comes from a
    clock since stepped back, and is not counted.
    """
    sent, deadline, answered = request[:3]
    if sent > now:
        return now
    answer = min(now, deadline) if answered is None else min(answered, now)
    return answer + WINDOW_SECONDS + margin - least


def kept(requests, now, least, margin):
    """The requests that still count at now, or tell the round trip."""
    return [request for request in requests
            if counts_until(request, now, least, margin) > now or now - SAMPLE_SECONDS <= request[0] <= now]


def next_send_time(requests, now, rate, least=0.0, margin=CLOCK_MARGIN_SECONDS):
    """The earliest time >= now at which one more request keeps at most rate requests counting; at a later
    time the requests answered meanwhile are looked at again."""
    ends = sorted(end for end in (counts_until(request, now, least, margin) for request in requests) if end > now)
    if len(ends) < rate:
        return now
    return ends[len(ends) - rate]


def margin_at(widened, now):
    """The margin at now: the clock's, and what throttled replies [extra seconds, when] added, narrowed since."""
    if widened is None:
        return CLOCK_MARGIN_SECONDS
    extra, since = widened
    return CLOCK_MARGIN_SECONDS + max(0.0, extra - NARROW_PER_SECOND * max(0.0, now - since))


def widen(widened, now):
    """widened after a throttled reply at now: once per window, as the replies throttled within one second come
    from one bunch of arrivals, which a single widening already spaces out."""
    if widened is not None and now - widened[1] < WINDOW_SECONDS:
        return widened
    return [min(MOST_WIDENED_SECONDS, margin_at(widened, now) - CLOCK_MARGIN_SECONDS + WIDEN_SECONDS), now]


def parse_state(content):
    """(requests [sent, deadline, answered or None, token], widened [extra, since] or None, least [trip, when]
    or None) in a file's content; damage is no request.

    A bare number is a send time written by an older version: a request sent and answered then. The
    widening and the least round trip are an object {"widened": ..., "least": ...} among the requests,
    which older versions skip."""
    try:
        stored = json.loads(content.decode('utf-8') or '[]')
    except (ValueError, UnicodeDecodeError, RecursionError):
        return [], None, None
    if not isinstance(stored, list):
        return [], None, None
    requests, found = [], {}
    for item in stored:
        if is_time(item):
            requests.append([item, item, item, ''])
        elif (isinstance(item, list) and len(item) == 4 and is_time(item[0]) and is_time(item[1])
              and (item[2] is None or is_time(item[2])) and isinstance(item[3], str)):
            requests.append(item)
        elif isinstance(item, dict):
            found.update((name, value) for name, value in item.items()
                         if name in ('widened', 'least') and is_pair_of_times(value))
    return requests, found.get('widened'), found.get('least')


def is_pair_of_times(value):
    return isinstance(value, list) and len(value) == 2 and all(is_time(part) and part >= 0 for part in value)


def is_time(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def new_ticket():
    return os.urandom(8).hex()


def default_directory():
    """The directory of the rate files of this user of the host, whatever HOME it runs with.

    In /tmp, which every user may write: a directory of that name found belonging to another user, or a
    link planted in its place, is refused (_prepare_directory); once made, the sticky bit of /tmp lets
    nobody else rename or remove it."""
    return '/tmp/tencentcloud_trtc-%d' % os.geteuid()


class RateState:
    """The requests of one action and credential, the margin throttled replies widened and the least round trip
    remembered, as kept in a file or in the memory of one process."""

    def __init__(self, requests=None, widened=None, least=None):
        self.requests = requests if requests is not None else []
        self.widened = widened
        self.least = least

    def take_turn(self, now, rate, longest, ticket):
        """The send time of ticket's request; at one <= now it goes, and is counted."""
        self.least = remember_least(self.least, self.requests, now)
        slot = next_send_time(self.requests, now, rate, least_trip(self.requests, self.least, now),
                              margin_at(self.widened, now))
        if slot <= now:
            self.requests.append([now, now + longest, None, ticket])
        return slot

    def answered(self, ticket, now, delay=0.0):
        """ticket's request was answered at now; it left delay seconds after it was let go (its round trip, which
        tells the least, is the network's and the service's, not the wait for the record or a thread)."""
        for request in self.requests:
            if request[3] == ticket and request[2] is None:
                request[0] = min(request[0] + max(delay, 0.0), now)
                request[2] = now

    def throttled(self, now):
        self.widened = widen(self.widened, now)

    def prune(self, now):
        """Only what still counts or tells the round trip is kept, and the widening and least while they last."""
        self.requests = kept(self.requests, now, least_trip(self.requests, self.least, now),
                             margin_at(self.widened, now))
        if margin_at(self.widened, now) <= CLOCK_MARGIN_SECONDS:
            self.widened = None
        if not fresh(self.least, now):
            self.least = None

    def content(self):
        """The state as a file holds it."""
        remembered = dict((name, value) for name, value in (('widened', self.widened), ('least', self.least))
                          if value is not None)
        return json.dumps(self.requests + ([remembered] if remembered else [])).encode('utf-8')


class Turn:
    """A request's turn, given once it may go: sending() right before it leaves (optional), then a call without
    arguments once its answer came or it failed."""

    def __init__(self, answered, clock):
        self.answered = answered
        self.clock = clock
        self.granted = clock()
        self.delay = 0.0

    def sending(self):
        self.delay = self.clock() - self.granted

    def __call__(self):
        self.answered(self.delay)


class ProcessReservations:
    """The requests of one process, for when no file can be shared."""

    def __init__(self):
        self.guard = threading.Lock()
        self.states = {}

    def change(self, name, clock, change):
        """change(state, now) on the state of name, under the guard; its result."""
        with self.guard:
            now = clock()
            state = self.states.setdefault(name, RateState())
            result = change(state, now)
            state.prune(now)
            return result


PROCESS_RESERVATIONS = ProcessReservations()
# A child forked while a thread of its parent held the guard would wait for it for ever.
if hasattr(os, 'register_at_fork'):
    os.register_at_fork(after_in_child=lambda: setattr(PROCESS_RESERVATIONS, 'guard', threading.Lock()))


class HostRateLimiter:
    """Callable with an action name: returns, once a request of that action may be sent, its Turn, to call
    (without arguments) when its answer came or it failed; throttled(action) tells it of a throttled reply."""

    def __init__(self, secret_id, rate=DEFAULT_RATE_LIMIT, directory=None, clock=None, sleep=None,
                 warn=None, store=None, longest_request=DEFAULT_LONGEST_REQUEST_SECONDS):
        self.secret_id = secret_id
        # A shared store (_redis_store.RedisStore) holds the requests of every controller naming it; it has
        # no fallback: a store out of reach fails the request (RecordError) instead of overrunning the limit.
        self.store = store
        self.rate = int(rate)
        self.longest_request = float(longest_request)
        self.directory = os.path.abspath(os.path.expanduser(directory or default_directory()))
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
        """Returns when a request of action may be sent; each wait lasts at most one span (then it asks again)."""
        if self.rate <= 0:
            return lambda: None
        ticket = new_ticket()
        while True:
            wait, answered = self.try_turn(action, ticket)
            if answered is not None:
                return answered
            (self.sleep or time.sleep)(min(wait, SPAN_SECONDS))

    def try_turn(self, action, ticket):
        """(0, its Turn) when the request of ticket may go now, counted; else (seconds to wait before asking
        again, None)."""
        slot, now, where = self._reserve(action, ticket)
        if slot <= now:
            return 0.0, Turn(lambda delay: self._answered(action, ticket, where, delay),
                             self.clock or time.monotonic)
        return slot - now, None

    def throttled(self, action):
        """A request of action was throttled: the margin widens (a failure here changes nothing)."""
        if self.rate <= 0:
            return
        try:
            if self.store is not None:
                self.store.throttled(self.key_of(action), None if self.clock is None else self._now())
            elif self.shared:
                self._change_file(self.path_of(action), lambda state, now: state.throttled(now))
            else:
                PROCESS_RESERVATIONS.change(self.name_of(action), self._now, lambda state, now: state.throttled(now))
        except Exception:  # pylint: disable=broad-exception-caught
            pass

    def _now(self):
        return (self.clock or time.time)()

    def _reserve(self, action, ticket):
        """(slot, now, where the request is counted); now is read under the lock: a time read before
        waiting for it would be stale."""
        if self.store is not None:
            # The store's own clock unless one is given: one clock for every controller.
            slot, now = self.store.reserve(self.key_of(action), self.rate, self.longest_request, ticket,
                                           None if self.clock is None else self._now())
            return slot, now, 'store'
        if self.shared:
            try:
                return self._reserve_in_file(self.path_of(action), ticket) + ('file',)
            except OSError as exc:
                self._fall_back(exc)
        return PROCESS_RESERVATIONS.change(
            self.name_of(action), self._now,
            lambda state, now: (state.take_turn(now, self.rate, self.longest_request, ticket), now)) + ('process',)

    def _answered(self, action, ticket, where, delay):
        """The request of ticket, which left delay seconds after it was let go, was answered now; a failure here
        only leaves it counting until its deadline."""
        try:
            if where == 'store':
                self.store.answered(self.key_of(action), ticket, None if self.clock is None else self._now(), delay)
            elif where == 'file':
                self._change_file(self.path_of(action), lambda state, now: state.answered(ticket, now, delay))
            else:
                PROCESS_RESERVATIONS.change(self.name_of(action), self._now,
                                            lambda state, now: state.answered(ticket, now, delay))
        except Exception:  # pylint: disable=broad-exception-caught
            pass

    def _fall_back(self, exc):
        with self.guard:
            if self.shared:
                self.shared = False
                self.warn('rate_limit: cannot use %s (%s); the limit of %d requests per second now holds within '
                          'this module run only, not across the forks of this host; rate_limit_dir (or '
                          'TENCENTCLOUD_TRTC_RATE_LIMIT_DIR) names another directory'
                          % (self.directory, exc.strerror or exc, self.rate))

    def _reserve_in_file(self, path, ticket):
        """Count the request of ticket in path when it may go now."""
        self._prepare_directory()
        return self._change_file(
            path, lambda state, now: (state.take_turn(now, self.rate, self.longest_request, ticket), now))

    def _prepare_directory(self):
        """Once, before any thread of this limiter opens a file: the directory made, stale files removed.

        Its links are looked at before it is made and again after (one planted meanwhile is seen); once it is
        this user's and its parent lets no other user rename it, nobody else can put anything in its place."""
        with self.guard:
            if not self.cleaned:
                require_no_unsafe_link(self.directory)
                make_private_dirs(self.directory)
                require_no_unsafe_link(self.directory)
                require_safe_directory(self.directory)
                require_unreplaceable(self.directory)
                remove_stale_files(self.directory)
                self.cleaned = True

    def _change_file(self, path, change):
        """change(state, now) on the state kept in path; its result. path is its own lock, written in one write."""
        fd = open_locked(path)
        try:
            content = os.pread(fd, 1 << 20, 0)
            now = self._now()
            # Changed before pruning, as in the store: an answer may come after its request's deadline.
            state = RateState(*parse_state(content))
            result = change(state, now)
            state.prune(now)
            new_content = state.content()
            if new_content != content.rstrip(b' '):
                # Padded to the old length: no truncation, so no moment where the file is cut short.
                os.pwrite(fd, new_content.ljust(len(content)), 0)
            return result
        finally:
            os.close(fd)


def require_no_unsafe_link(directory):
    problem = unsafe_link_problem(directory)
    if problem:
        raise OSError(errno.EPERM, problem)


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
