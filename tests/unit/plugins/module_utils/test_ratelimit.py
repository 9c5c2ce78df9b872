# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json
import multiprocessing
import os
import stat
import threading
import time

import pytest

from ansible_collections.tencentcloud.trtc.plugins.module_utils._ratelimit import (
    SPAN_SECONDS as SPAN, WINDOW_SECONDS, HostRateLimiter, next_send_time,
)
from ansible_collections.tencentcloud.trtc.tests.unit.plugins.fake_clock import CountingService, FakeClock


def limiter_at(clock, directory, rate, **options):
    return HostRateLimiter('id', rate=rate, directory=str(directory), clock=clock, sleep=clock.sleep, **options)


def test_a_burst_up_to_the_rate_goes_at_once_then_requests_wait_a_span_after_the_answers(tmp_path):
    clock = FakeClock()
    limiter = limiter_at(clock, tmp_path, 20)
    sent = []
    for dummy in range(25):
        limiter('UpdateStreamIngest')()
        sent.append(clock.now)
    assert sent[:20] == [100.0] * 20
    assert sent[20:] == [pytest.approx(100.0 + SPAN)] * 5


def test_a_request_counts_until_a_span_after_its_answer_not_after_its_sending(tmp_path):
    """Two requests answered half a second late may have arrived then: a third waits a span after that."""
    clock = FakeClock(0.0)
    limiter = limiter_at(clock, tmp_path, 2)
    answers = [limiter('UpdateStreamIngest') for dummy in range(2)]
    clock.at(0.5, answers[0])
    clock.at(0.5, answers[1])
    limiter('UpdateStreamIngest')()
    assert clock.now == pytest.approx(0.5 + SPAN)
    assert max(clock.sleeps) <= SPAN + 1e-9


@pytest.mark.parametrize('seed', range(5))
def test_requests_slow_to_arrive_never_put_more_than_the_rate_in_any_second_at_the_service(tmp_path, seed):
    clock = FakeClock(0.0)
    service = CountingService(clock, seed=seed)
    limiter = limiter_at(clock, tmp_path, 7)
    for step in range(300):
        clock.advance_to(clock.now + service.random.choice([0.0, 0.01, 0.2]))
        service.send(limiter('UpdateStreamIngest'))
    clock.advance_to(clock.now + 10)
    assert len(service.arrivals) == 300
    assert service.most_in_any_second() == 7
    assert max(clock.sleeps) <= SPAN + 1e-9


def test_a_request_never_answered_stops_counting_a_span_after_its_deadline(tmp_path):
    """Its process was killed: the next request waits, a span at a time, until the deadline passes."""
    clock = FakeClock(100.0)
    limiter = limiter_at(clock, tmp_path, 1, longest_request=5.0)
    limiter('StartStreamIngest')
    limiter('StartStreamIngest')()
    assert clock.now == pytest.approx(105.0 + SPAN)
    assert max(clock.sleeps) <= SPAN + 1e-9


def test_next_send_time_ignores_requests_sent_after_now():
    """A clock stepped back leaves requests sent after now: they are not counted."""
    assert next_send_time([[1.0, 61.0, None, 'a']] * 4 + [[500.0, 560.0, None, 'b']] * 5, 10.0, 5) == 10.0
    assert next_send_time([[9.5, 69.5, 9.7, 'a']] * 5, 10.0, 5) == pytest.approx(9.7 + SPAN)


def test_limiter_sleeps_until_its_slot_and_keys_files_by_action_and_credential(tmp_path):
    clock = FakeClock(50.0)
    limiter = HostRateLimiter('AKIDsecretid', rate=2, directory=str(tmp_path), clock=clock, sleep=clock.sleep)
    for dummy in range(3):
        limiter('UpdateStreamIngest')()
    limiter('DescribeStreamIngest')()
    assert clock.sleeps == [pytest.approx(SPAN)]
    names = sorted(os.listdir(tmp_path))
    assert [name.split('-')[0] for name in names] == ['DescribeStreamIngest', 'UpdateStreamIngest']
    assert all('AKIDsecretid' not in name for name in names)


def test_zero_turns_the_limit_off(tmp_path):
    limiter = HostRateLimiter('id', rate=0, directory=str(tmp_path), sleep=lambda seconds: 1 / 0)
    limiter('UpdateStreamIngest')()
    assert os.listdir(tmp_path) == []


def test_a_damaged_state_file_is_no_request(tmp_path):
    limiter = HostRateLimiter('id', rate=1, directory=str(tmp_path), clock=lambda: 10.0, sleep=lambda s: 1 / 0)
    path = limiter.path_of('StopStreamIngest')
    with open(path, 'w') as handle:
        handle.write('[1, 2')
    limiter('StopStreamIngest')
    with open(path) as handle:
        assert [request[:3] for request in json.load(handle)] == [[10.0, 70.0, None]]


def test_send_times_written_by_an_older_version_count_as_requests_answered_then(tmp_path):
    clock = FakeClock(10.0)
    limiter = limiter_at(clock, tmp_path, 5)
    with open(limiter.path_of('UpdateStreamIngest'), 'w') as handle:
        json.dump([9.5] * 5, handle)
    limiter('UpdateStreamIngest')()
    assert clock.now == pytest.approx(9.5 + SPAN)


def test_reservations_in_the_future_never_make_a_request_wait_more_than_one_span(tmp_path):
    """A clock stepped back leaves reservations far ahead of now."""
    clock = FakeClock(1000.0)
    limiter = HostRateLimiter('id', rate=2, directory=str(tmp_path), clock=clock, sleep=clock.sleep)
    with open(limiter.path_of('UpdateStreamIngest'), 'w') as handle:
        json.dump([5000.0, 5000.5, 5001.0], handle)
    for dummy in range(4):
        limiter('UpdateStreamIngest')()
    assert clock.sleeps and max(clock.sleeps) <= SPAN + 1e-9


def test_an_unusable_directory_limits_within_the_process_and_warns_once(tmp_path):
    blocker = tmp_path / 'not-a-directory'
    blocker.write_text('')
    warnings, clock = [], FakeClock(70.0)
    limiter = HostRateLimiter('id', rate=2, directory=str(blocker / 'rate'), clock=clock, sleep=clock.sleep,
                              warn=warnings.append)
    for dummy in range(3):
        limiter('DescribeStreamIngest')()
    assert clock.sleeps == [pytest.approx(SPAN)]
    assert len(warnings) == 1 and 'rate_limit' in warnings[0] and str(blocker) in warnings[0]


def test_threads_starting_at_once_in_a_new_home_all_share_the_file(tmp_path):
    """A fresh CI runner or AWX job: no thread may find the directory missing and fall back to the process."""
    for trial in range(40):
        warnings = []
        limiter = HostRateLimiter('id', rate=8, directory=str(tmp_path / str(trial) / 'rate'), warn=warnings.append)
        barrier = threading.Barrier(8)

        def send():
            barrier.wait()
            limiter('UpdateStreamIngest')()

        threads = [threading.Thread(target=send) for dummy in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert warnings == [] and limiter.shared, 'trial %d fell back: %s' % (trial, warnings)


def test_files_unused_for_a_day_are_removed_and_directories_are_private(tmp_path):
    directory = tmp_path / 'tencentcloud_trtc' / 'rate'
    directory.mkdir(parents=True)
    stale, fresh = directory / 'UpdateStreamIngest-old.json', directory / 'UpdateStreamIngest-new.json'
    for path in (stale, fresh):
        path.write_text('[1.0]')
    two_days_ago = time.time() - 2 * 86400
    os.utime(str(stale), (two_days_ago, two_days_ago))
    HostRateLimiter('id', rate=5, directory=str(tmp_path / 'rate2'))('StopStreamIngest')()
    assert stat.S_IMODE(os.stat(tmp_path / 'rate2').st_mode) == 0o700
    HostRateLimiter('id', rate=5, directory=str(directory))('StopStreamIngest')()
    assert not stale.exists() and fresh.exists()


def _send(directory, count, results):
    limiter = HostRateLimiter('shared-id', rate=10, directory=directory)
    for dummy in range(count):
        answered = limiter('UpdateStreamIngest')
        results.put(time.time())
        answered()


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


def test_a_link_planted_as_a_rate_file_is_not_followed(tmp_path):
    """The limit falls back to this run, with a warning; the file the link names is left alone."""
    victim = tmp_path / 'victim.conf'
    victim.write_text('precious\n')
    directory = tmp_path / 'rate'
    directory.mkdir(mode=0o700)
    warnings = []
    limiter = HostRateLimiter('id', rate=5, directory=str(directory), warn=warnings.append)
    os.symlink(str(victim), limiter.path_of('UpdateStreamIngest'))
    limiter('UpdateStreamIngest')()
    assert victim.read_text() == 'precious\n'
    assert len(warnings) == 1 and 'is a symbolic link, which is not followed' in warnings[0]


def test_a_rate_directory_every_user_may_write_is_not_used(tmp_path):
    directory = tmp_path / 'rate'
    directory.mkdir()
    directory.chmod(0o1777)
    warnings = []
    HostRateLimiter('id', rate=5, directory=str(directory), warn=warnings.append)('UpdateStreamIngest')()
    assert len(warnings) == 1 and 'writable by every user' in warnings[0]
    assert os.listdir(str(directory)) == []


def test_a_rate_directory_reached_through_a_link_another_user_planted_is_not_used(tmp_path):
    """Another user's directory holding a link named like the rate directory: its target's files are left alone."""
    victim = tmp_path / 'victim'
    victim.mkdir(mode=0o700)
    precious = victim / 'precious.txt'
    precious.write_text('precious\n')
    os.utime(str(precious), (time.time() - 3 * 86400,) * 2)
    shared = tmp_path / 'shared-home'
    shared.mkdir()
    shared.chmod(0o1777)
    (shared / 'rate').symlink_to(victim)
    warnings = []
    HostRateLimiter('id', rate=5, directory=str(shared / 'rate'), warn=warnings.append)('UpdateStreamIngest')()
    assert precious.read_text() == 'precious\n' and sorted(os.listdir(str(victim))) == ['precious.txt']
    assert len(warnings) == 1 and 'is a symbolic link in a directory that is not safe' in warnings[0]
