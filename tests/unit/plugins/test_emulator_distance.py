# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The emulator at a distance (--latency, --jitter): each API request waits its way there before the service takes it
in (and counts it against the rate limit), and its answer waits its way back; no wall clock is read here."""

from __future__ import annotations

import json
import random
import threading
import urllib.request

import pytest

TOKEN = 'control-token-of-this-test'


@pytest.fixture
def distant(emulator_service, emulator_server):
    """(URL, service, the ways taken: (seconds, requests the service had taken in by then, ...))."""
    service = emulator_service.Emulator({}, sdk_secret_keys={}, rate_limit=1)
    ways = []
    distance = emulator_server.Distance(0.13, 0.04, sleep=lambda seconds: ways.append(
        (seconds, len(service.snapshot()['requests']))), randomness=random.Random(3))
    server = emulator_server.EmulatorServer(('127.0.0.1', 0), service, control_token=TOKEN, distance=distance)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield 'http://127.0.0.1:%d' % server.server_address[1], ways
    server.shutdown()
    server.server_close()


def post(url):
    request = urllib.request.Request(url + '/', data=b'{}', headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=10) as reply:
        return json.loads(reply.read())


def test_a_request_waits_its_way_there_before_it_is_counted_and_its_answer_its_way_back(distant):
    url, ways = distant
    assert post(url)['Response']['Error']['Code'] == 'InvalidAction'
    assert [taken for dummy, taken in ways] == [0, 1]
    assert all(0.09 <= seconds <= 0.17 for seconds, dummy in ways)
    request = urllib.request.Request(url + '/_emulator/state', headers={'X-Emulator-Token': TOKEN})
    with urllib.request.urlopen(request, timeout=10) as reply:
        assert len(json.loads(reply.read())['requests']) == 1
    assert len(ways) == 2  # the control API is the harness, not the service: it stands near


def test_each_way_takes_the_latency_give_or_take_the_jitter(emulator_server):
    distance = emulator_server.Distance(0.13, 0.04, randomness=random.Random(5))
    ways = [distance.way() for dummy in range(2000)]
    assert 0.09 <= min(ways) < 0.095 and 0.165 < max(ways) <= 0.17
    assert emulator_server.Distance().way() == 0.0


@pytest.mark.parametrize('argv, latency, jitter', [
    (['--latency', '130ms', '--jitter', '40ms'], 0.13, 0.04),
    (['--latency', '0.3s'], 0.3, 0.0),
    (['--latency', '0.05', '--jitter', '0.05'], 0.05, 0.05),
    ([], 0.0, 0.0),
])
def test_latency_and_jitter_are_read_as_durations(emulator, argv, latency, jitter):
    args = emulator.build_parser().parse_args(argv)
    assert (args.latency, args.jitter) == (pytest.approx(latency), pytest.approx(jitter))


@pytest.mark.parametrize('argv, says', [
    (['--latency', 'far'], 'a duration such as 130ms'),
    (['--latency=-5ms'], 'a duration such as 130ms'),
    (['--latency', '10ms', '--jitter', '40ms'], '--jitter must not exceed --latency'),
])
def test_a_distance_that_cannot_be_is_refused(emulator, argv, says, capsys):
    with pytest.raises(SystemExit):
        emulator.main(argv)
    assert says in capsys.readouterr().err
