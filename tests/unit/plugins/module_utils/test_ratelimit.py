# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json
import multiprocessing
import os
import time

import pytest

from ansible_collections.tencentcloud.trtc.plugins.module_utils.ratelimit import (
    ARRIVAL_MARGIN_SECONDS, WINDOW_SECONDS, HostRateLimiter, next_send_time,
)

SPAN = WINDOW_SECONDS + ARRIVAL_MARGIN_SECONDS


def test_a_burst_up_to_the_rate_goes_at_once_then_requests_wait_a_window():
    reserved = []
    for dummy in range(25):
        reserved.append(next_send_time(reserved, 100.0, 20))
    assert reserved[:20] == [100.0] * 20
    assert reserved[20:] == [100.0 + SPAN] * 5


def test_no_window_ever_holds_more_than_the_rate():
    reserved, now = [], 0.0
    for step in range(200):
        now += 0.01 if step % 3 else 0.2
        reserved.append(next_send_time(reserved, now, 7))
    assert reserved == sorted(reserved)
    assert min(later - earlier for earlier, later in zip(reserved, reserved[7:])) >= SPAN - 1e-9


def test_limiter_sleeps_until_its_slot_and_keys_files_by_action_and_credential(tmp_path):
    sleeps = []
    limiter = HostRateLimiter('AKIDsecretid', rate=2, directory=str(tmp_path), clock=lambda: 50.0,
                              sleep=sleeps.append)
    for dummy in range(3):
        limiter('UpdateStreamIngest')
    limiter('DescribeStreamIngest')
    assert sleeps == [pytest.approx(SPAN)]
    names = sorted(name for name in os.listdir(tmp_path) if name.endswith('.json'))
    assert [name.split('-')[0] for name in names] == ['DescribeStreamIngest', 'UpdateStreamIngest']
    assert all('AKIDsecretid' not in name for name in names)


def test_zero_turns_the_limit_off(tmp_path):
    limiter = HostRateLimiter('id', rate=0, directory=str(tmp_path), sleep=lambda seconds: 1 / 0)
    limiter('UpdateStreamIngest')
    assert os.listdir(tmp_path) == []


def test_a_damaged_state_file_is_no_reservation(tmp_path):
    limiter = HostRateLimiter('id', rate=1, directory=str(tmp_path), clock=lambda: 10.0, sleep=lambda s: 1 / 0)
    path = limiter.path_of('StopStreamIngest')
    with open(path, 'w') as handle:
        handle.write('[1, 2')
    limiter('StopStreamIngest')
    with open(path) as handle:
        assert json.load(handle) == [10.0]


def _send(directory, count, results):
    limiter = HostRateLimiter('shared-id', rate=10, directory=directory)
    for dummy in range(count):
        limiter('UpdateStreamIngest')
        results.put(time.time())


def test_processes_running_at_once_share_the_limit(tmp_path):
    context = multiprocessing.get_context('fork')
    results = context.Queue()
    processes = [context.Process(target=_send, args=(str(tmp_path), 8, results)) for dummy in range(4)]
    for process in processes:
        process.start()
    sent = sorted(results.get(timeout=30) for dummy in range(32))
    for process in processes:
        process.join(30)
    assert all(later - earlier >= WINDOW_SECONDS for earlier, later in zip(sent, sent[10:]))
