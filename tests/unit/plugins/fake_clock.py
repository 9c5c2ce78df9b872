# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Time that passes only when a limiter sleeps or a test says so, and a service that counts arrivals."""

from __future__ import annotations

import heapq
import random

from ansible_collections.tencentcloud.trtc.plugins.module_utils._relay_list import MAX_WORKERS


class FakeClock:
    """A clock and its sleep; at each moment it reaches, the events due by then happen, in time order."""

    def __init__(self, start=100.0):
        self.now = start
        self.sleeps = []
        self.events = []
        self.sequence = 0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.advance_to(self.now + seconds)

    def at(self, moment, event):
        self.sequence += 1
        heapq.heappush(self.events, (moment, self.sequence, event))

    def advance_to(self, moment):
        while self.events and self.events[0][0] <= moment:
            due, dummy, event = heapq.heappop(self.events)
            self.now = max(self.now, due)
            event()
        self.now = max(self.now, moment)


class CountingService:
    """Where requests arrive: each arrives some time after it was let go, and is answered later still."""

    def __init__(self, clock, seed=7, longest_trip=0.4):
        self.clock = clock
        self.arrivals = []
        self.random = random.Random(seed)
        self.longest_trip = longest_trip

    def send(self, answered):
        """A request let go now: it arrives and is answered at random moments within longest_trip."""
        arrival = self.clock.now + self.random.uniform(0, self.longest_trip)
        self.clock.at(arrival, lambda: self.arrivals.append(self.clock.now))
        self.clock.at(arrival + self.random.uniform(0, self.longest_trip), answered)

    def most_in_any_second(self):
        """The most arrivals within any window (t - 1, t]."""
        arrivals = sorted(self.arrivals)
        most, first = 0, 0
        for last, moment in enumerate(arrivals):
            while arrivals[first] <= moment - 1.0:
                first += 1
            most = max(most, last - first + 1)
        return most


def uniform_way(low, high):
    """A way (out or back) taking low to high seconds, uniformly."""
    return lambda randomness, moment: randomness.uniform(low, high)


class DistantService:
    """A service some way off, as the real one counts: a request arrives after its way out, is throttled when
    `rate` requests of its action arrived in the second before (a throttled one is not counted), and its answer
    comes back after a few milliseconds' work and its way back. way_out and way_back give the seconds a way
    takes from a moment; a request arriving during a stall (start, end) is taken in when it ends."""

    def __init__(self, clock, seed=1, way_out=uniform_way(0.09, 0.17), way_back=uniform_way(0.09, 0.17), rate=20,
                 stalls=()):
        self.clock = clock
        self.random = random.Random(seed)
        self.way_out = way_out
        self.way_back = way_back
        self.rate = rate
        self.stalls = stalls
        self.arrivals = []
        self.throttled = []

    def send(self, answer):
        """A request let go now; answer(throttled) is called when its answer comes back."""
        arrival = self.clock.now + self.way_out(self.random, self.clock.now)
        for start, end in self.stalls:
            if start <= arrival < end:
                arrival = end
        self.clock.at(arrival, lambda: self._arrive(answer))

    def _arrive(self, answer):
        now = self.clock.now
        throttled = sum(1 for moment in self.arrivals[-self.rate:] if moment > now - 1.0) >= self.rate
        (self.throttled if throttled else self.arrivals).append(now)
        answered_at = now + self.random.uniform(0.001, 0.01) + self.way_back(self.random, now)
        self.clock.at(answered_at, lambda: answer(throttled))

    def figures(self):
        """(ratio of the arrivals' span to the floor, (requests - 1) / rate; throttled replies; most arrivals,
        throttled ones included, within any window (t - 1, t])."""
        arrivals = sorted(self.arrivals)
        ratio = (arrivals[-1] - arrivals[0]) / ((len(arrivals) - 1) / float(self.rate))
        everything = sorted(self.arrivals + self.throttled)
        most, first = 0, 0
        for last, moment in enumerate(everything):
            while everything[first] <= moment - 1.0:
                first += 1
            most = max(most, last - first + 1)
        return ratio, len(self.throttled), most

    def pace(self, since=None):
        """The mean seconds from each arrival taken in (at since or later, when given) to the rate-th after it: what
        rate requests take once under way, which the ratio to the floor flatters (the first rate go at once, and the
        last ones come together)."""
        arrivals = sorted(moment for moment in self.arrivals if since is None or moment >= since)
        spans = [later - earlier for earlier, later in zip(arrivals, arrivals[self.rate:])]
        return sum(spans) / len(spans)


def run_bulk(clock, service, limiters, count, workers=MAX_WORKERS, action='UpdateStreamIngest', seed=2, local_wait=None,
             attempts=None):
    """Each limiter a controller sending count requests of action through `workers` threads, as the list form
    does: a thread asks the limiter (again after the wait it is told, at most a span), sends (local_wait(random)
    seconds later, the time the record takes, when given), and on a throttled reply tells the limiter and retries
    after the client's backoff (full jitter, 0.5 s doubling; capped at 8 s), for ever or until `attempts` were
    throttled. The requests given up, throttled on each of their attempts."""
    randomness = random.Random(seed)
    given_up = []

    def controller(limiter):
        left = [count]

        def next_task():
            if left[0]:
                left[0] -= 1
                attempt(0)

        def attempt(retries):
            wait, answered = limiter.try_turn(action, '%x' % randomness.getrandbits(64))
            if answered is None:
                clock.at(clock.now + min(wait, 1.02), lambda: attempt(retries))
                return

            def answer(throttled):
                answered()
                if not throttled:
                    next_task()
                    return
                limiter.throttled(action)
                if attempts is not None and retries + 1 >= attempts:
                    given_up.append(clock.now)
                    next_task()
                    return
                clock.at(clock.now + randomness.uniform(0, min(8.0, 0.5 * 2 ** retries)), lambda: attempt(retries + 1))

            def leave():
                answered.sending()
                service.send(answer)

            if local_wait is None:
                service.send(answer)
            else:
                clock.at(clock.now + local_wait(randomness), leave)

        for dummy in range(workers):
            clock.at(clock.now, next_task)

    for limiter in limiters:
        controller(limiter)
    clock.advance_to(clock.now + 3600)
    return given_up
