# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Time that passes only when a limiter sleeps or a test says so, and a service that counts arrivals."""

from __future__ import annotations

import heapq
import random


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
