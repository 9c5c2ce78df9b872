# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The shared store (option record_store) against a real redis-server (fixture redis_server), never a fake."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import socket
import threading
import time

import pytest

from ansible_collections.tencentcloud.trtc.plugins.module_utils import _redis_store
from ansible_collections.tencentcloud.trtc.plugins.module_utils._checks import ConfigurationError
from ansible_collections.tencentcloud.trtc.plugins.module_utils import _ratelimit
from ansible_collections.tencentcloud.trtc.plugins.module_utils._ratelimit import (
    SPAN_SECONDS, WINDOW_SECONDS, HostRateLimiter,
)
from ansible_collections.tencentcloud.trtc.plugins.module_utils._record import (
    DOUBT_SECONDS, LastAppliedRecord, RecordError, record_key, relay_key,
)
from ansible_collections.tencentcloud.trtc.plugins.module_utils._redis_store import (
    IDENTITY_KEY, LOCK_PREFIX, RATE_PREFIX, RECORD_PREFIX, RedisStore, hashed, masked_url, validate_store_url,
)
from ansible_collections.tencentcloud.trtc.tests.unit.plugins.module_utils.test_ratelimit import sent_late, widened_waits
from ansible_collections.tencentcloud.trtc.tests.unit.plugins.fake_clock import (
    CountingService, DistantService, FakeClock, run_bulk, uniform_way,
)
from ansible_collections.tencentcloud.trtc.tests.unit.plugins.redis_server import PASSWORD

KEY = record_key('https://trtc.intl.tencentcloudapi.com/', 1400188366, 'CR6LqvF7+rTEL2p6/vnZV4v.')
RELAY_KEY = relay_key('https://trtc.intl.tencentcloudapi.com/', 1400188366, 1, '8888', 'relay-cam-1')


def store_of(url):
    store = RedisStore.of(url)
    store.check()
    return store


# The URL: masked wherever it is shown, refused before any request when it is no Redis URL.

@pytest.mark.parametrize('url, shown', [
    ('redis://:s3cret@host:6379/0', 'redis://:***@host:6379/0'),
    ('redis://user:s3cret@host:6379/2', 'redis://user:***@host:6379/2'),
    ('rediss://user:s3cret@host', 'rediss://user:***@host'),
    ('redis://host/0?password=s3cret&socket_timeout=3', 'redis://host/0?password=***&socket_timeout=3'),
    ('unix://:s3cret@/run/redis.sock?db=1', 'unix://:***@/run/redis.sock?db=1'),
    ('redis://:s3cret@[::1]:6379/0', 'redis://:***@[::1]:6379/0'),
    # Characters a URL parser takes for the end of the user part: all before the last @ is masked.
    ('redis://:top?s3cret@127.0.0.1:56909/0', 'redis://:***@127.0.0.1:56909/0'),
    ('redis://:p@ss:w/rd%#?x s3cret@127.0.0.1:45163/0', 'redis://:***@127.0.0.1:45163/0'),
    ('redis://:top#s3cret@host', 'redis://:***@host'),
    ('redis://user:12/s3cret@host', 'redis://user:***@host'),
    # A user part with no colon may be a misplaced password.
    ('redis://s3cret@host:6379/0', 'redis://***@host:6379/0'),
    # No password: shown, but not as given (Ansible would hide every copy of the no_log value).
    ('redis://host:6379', 'host:6379 (redis://, no password)'),
    ('unix:///tmp/a@b.sock', '/tmp/a@b.sock (unix://, no password)'),
])
def test_the_password_is_masked_wherever_the_url_is_shown(url, shown):
    assert masked_url(url) == shown


@pytest.mark.parametrize('url', [
    'redis://:pw@host/0/', 'unix:///tmp/a@b.sock', 'unix://:pw@/run/redis.sock?db=2', 'redis://u:pa:ss@[::1]:6379/0',
    'REDIS://host', 'rediss://:pw@host:6380/15?ssl_cert_reqs=none',
])
def test_urls_redis_py_takes_are_taken(url):
    validate_store_url(url)


@pytest.mark.parametrize('url, says', [
    ('http://:s3cret@host:6379', 'must be a redis://'),
    ('host:6379', 'must be a redis://'),
    ('redis://:s3cret@', 'names no host'),
    ('redis://h:99999', 'not a valid URL'),
    ('redis://:top?s3cret@127.0.0.1:56909/0', 'percent-encoded'),
    ('redis://:top#s3cret@127.0.0.1/0', 'percent-encoded'),
    ('redis://:top/s3cret@redis.example.com:6379/0', 'percent-encoded'),
    ('redis://:top\u2100s3cret@host/0', 'not a valid URL'),
    ('redis://user:top:s3cret@host:65536/0', 'not a valid URL'),
    ('redis://host/0?client_name=top@b', 'percent-encoded'),
    ('redis://:s3cret@host/abc', 'database must be a number'),
    ('redis://:s3cret@host?db=abc', 'database must be a number'),
    ('rediss://:s3cret@host/0?ssl_ca_certs=/nonexistent/ca.pem', 'ssl_ca_certs=/nonexistent/ca.pem'),
    ('', 'is empty'),
])
def test_a_url_that_is_no_redis_store_is_refused_naming_the_option(url, says):
    """Refused before any request, the option named, no piece of the password shown."""
    with pytest.raises(ConfigurationError) as caught:
        validate_store_url(url)
    assert str(caught.value).startswith('record_store: ') and says in str(caught.value)
    assert 's3cret' not in str(caught.value) and 'top' not in str(caught.value).replace('stop', '')


# Fail closed: nothing is sent when the store cannot be used, and the message says which store and why.

def test_a_store_that_is_down_fails_the_check_naming_it_with_the_password_masked(redis_url, refused_port):
    url = 'redis://:s3cret-down@127.0.0.1:%d/0' % refused_port
    with pytest.raises(RecordError) as caught:
        RedisStore.of(url).check()
    message = str(caught.value)
    assert 'redis://:***@127.0.0.1' in message and 's3cret-down' not in message
    assert 'connect' in message.lower() and 'refused' in message.lower()


def test_a_wrong_password_fails_the_check_naming_the_store_and_the_cause(redis_server, redis_url):
    url = 'redis://:wrong-pass-42@127.0.0.1:%d/0' % redis_server.port
    with pytest.raises(RecordError) as caught:
        RedisStore.of(url).check()
    message = str(caught.value)
    assert 'redis://:***@127.0.0.1:%d/0' % redis_server.port in message and 'wrong-pass-42' not in message
    assert 'AuthenticationError' in message or 'WRONGPASS' in message
    no_password = 'redis://127.0.0.1:%d/0' % redis_server.port
    with pytest.raises(RecordError) as caught:
        RedisStore.of(no_password).check()
    assert 'NOAUTH' in str(caught.value) or 'Authentication' in str(caught.value)


# The ACL user the guide (guide_shared_store.rst) recommends can do all a run does.

GUIDE_ACL = '~tencentcloud_trtc:* +@read +@write +@scripting +ping +time -@dangerous +info'


def acl_store(redis_server, user, rules):
    redis_server.client().execute_command('ACL', 'SETUSER', user, 'reset', 'on', '>%s-pass' % user, *rules.split())
    return RedisStore('redis://%s:%s-pass@127.0.0.1:%d/0' % (user, user, redis_server.port))


def test_the_acl_user_of_the_guide_can_check_record_lock_and_limit(redis_server, redis_url):
    with open(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'docs', 'docsite', 'rst',
                           'guide_shared_store.rst')) as handle:
        assert GUIDE_ACL in handle.read()
    store = acl_store(redis_server, 'trtc', GUIDE_ACL)
    store.check()
    record = LastAppliedRecord(backend=store)
    record.settle(KEY, {'volume': 5})
    assert record.get(KEY)['volume'] == 5
    HostRateLimiter('id', rate=5, store=store)('UpdateStreamIngest')()
    record.require_room_for_start()


def test_an_acl_user_that_cannot_read_the_stores_memory_cannot_start_and_is_told_why(redis_server, redis_url):
    store = acl_store(redis_server, 'trtc-no-info', GUIDE_ACL.replace(' +info', ''))
    store.check()
    with pytest.raises(RecordError) as caught:
        LastAppliedRecord(backend=store).require_room_for_start()
    assert 'trtc-no-info:***@' in str(caught.value) and '+info' in str(caught.value)
    assert str(caught.value).endswith('nothing was sent')


def test_an_acl_user_without_a_command_a_run_needs_fails_naming_what_it_needs(redis_server, redis_url):
    store = acl_store(redis_server, 'trtc-no-time', GUIDE_ACL.replace(' +time', ''))
    store.check()
    with pytest.raises(RecordError) as caught:
        HostRateLimiter('id', rate=5, store=store)('UpdateStreamIngest')
    assert 'trtc-no-time:***@' in str(caught.value) and '+time' in str(caught.value)


# rediss://: TLS, its certificate checked unless validate_certs is false.

def test_a_tls_store_is_used_when_its_certificate_is_trusted(tls_redis_server):
    url = '%s?ssl_ca_certs=%s' % (tls_redis_server.url, tls_redis_server.ca_file)
    store = RedisStore(url)
    store.check()
    LastAppliedRecord(backend=store).settle(KEY, {'volume': 9})
    assert LastAppliedRecord(backend=RedisStore(url)).get(KEY)['volume'] == 9


def test_a_tls_store_whose_certificate_is_not_trusted_fails_closed_unless_validate_certs_is_false(
        tls_redis_server):
    with pytest.raises(RecordError) as caught:
        RedisStore(tls_redis_server.url).check()
    message = str(caught.value)
    assert 'certificate verify failed' in message and tls_redis_server.password not in message
    assert 'ssl_ca_certs' in message and 'validate_certs' in message
    assert masked_url(tls_redis_server.url) in message
    RedisStore(tls_redis_server.url, validate_certs=False).check()


def test_plain_redis_to_a_tls_port_fails_closed(tls_redis_server):
    url = tls_redis_server.url.replace('rediss://', 'redis://')
    with pytest.raises(RecordError) as caught:
        RedisStore(url).check()
    assert masked_url(url) in str(caught.value) and tls_redis_server.password not in str(caught.value)
    assert 'rediss://' in str(caught.value)


def test_the_rate_limit_over_a_store_that_went_down_fails_instead_of_falling_back(redis_url, refused_port):
    url = 'redis://:s3cret@127.0.0.1:%d/0' % refused_port
    limiter = HostRateLimiter('id', rate=20, store=RedisStore.of(url), sleep=lambda seconds: 1 / 0)
    with pytest.raises(RecordError) as caught:
        limiter('UpdateStreamIngest')
    assert 's3cret' not in str(caught.value) and 'reserving a send time' in str(caught.value)
    assert str(caught.value).endswith('; nothing was sent')


def test_a_store_lost_after_a_request_does_not_claim_nothing_was_sent(redis_url, refused_port):
    """Writing an answer to a store that went down: the request was sent, and the message must not deny it."""
    record = LastAppliedRecord(backend=RedisStore.of('redis://:s3cret@127.0.0.1:%d/0' % refused_port))
    with pytest.raises(RecordError) as caught:
        record.settle(KEY, {'volume': 3})
    assert 'cannot be used' in str(caught.value) and 'nothing was sent' not in str(caught.value)


# The rate limit: the file limiter's rule, atomically in the store.

@pytest.mark.parametrize('longest_request', [60.0, 0.3])
def test_the_store_limiter_does_what_the_file_limiter_does(redis_url, tmp_path, longest_request):
    """Requests slow to arrive and to be answered, some (with a short deadline) answered after it: the same send
    times; with a deadline no request outlives, never more than the rate in any second."""
    sent = {}
    for kind in ('file', 'store'):
        clock = FakeClock(0.0)
        service = CountingService(clock, seed=3)
        limiter = HostRateLimiter('id', rate=7, directory=str(tmp_path / kind), clock=clock, sleep=clock.sleep,
                                  store=store_of(redis_url) if kind == 'store' else None,
                                  longest_request=longest_request)
        times = []
        for step in range(150):
            clock.advance_to(clock.now + service.random.choice([0.0, 0.01, 0.2]))
            service.send(limiter('UpdateStreamIngest'))
            times.append(clock.now)
        clock.advance_to(clock.now + 10)
        sent[kind] = (times, clock.sleeps)
    assert sent['store'][0] == pytest.approx(sent['file'][0], abs=1e-5)
    assert max(sent['store'][1]) <= SPAN_SECONDS + 1e-5


@pytest.mark.parametrize('ways', [
    dict(way_out=uniform_way(0.09, 0.17), way_back=uniform_way(0.09, 0.17), stalls=[(1003.0, 1005.0)]),
    dict(way_out=uniform_way(0.0, 0.3), way_back=uniform_way(0.2, 0.22)),
], ids=['130 ms away, a stall', 'lopsided ways'])
def test_the_store_learns_as_the_file_does(redis_url, tmp_path, ways, monkeypatch):
    """Three controllers 130 ms away through a service that stalls, and throttled replies (a margin that widens):
    the same arrivals and throttled replies through the store as through the file."""
    monkeypatch.setattr(_ratelimit, 'CLOCK_MARGIN_SECONDS', -0.05)  # too thin: replies are throttled
    seen = {}
    for kind in ('file', 'store'):
        clock = FakeClock(1000.0)
        service = DistantService(clock, seed=4, **ways)
        limiters = [HostRateLimiter('id', rate=20, directory=str(tmp_path / kind), clock=clock, sleep=clock.sleep,
                                    store=store_of(redis_url) if kind == 'store' else None) for dummy in range(3)]
        run_bulk(clock, service, limiters, 60, seed=4)
        seen[kind] = (service.arrivals, service.throttled)
    assert seen['store'][0] == pytest.approx(seen['file'][0], abs=1e-5) and len(seen['store'][0]) == 180
    assert seen['store'][1] == pytest.approx(seen['file'][1], abs=1e-5) and seen['store'][1]


def through_file_and_store(redis_url, tmp_path, rate, start, measure):
    """(file's, store's) measure(limiter, clock) of a limiter on a file and one on the store, each on a clock from
    start."""
    seen = {}
    for kind in ('file', 'store'):
        clock = FakeClock(start)
        limiter = HostRateLimiter('id', rate=rate, directory=str(tmp_path / kind), clock=clock, sleep=clock.sleep,
                                  store=store_of(redis_url) if kind == 'store' else None)
        seen[kind] = measure(limiter, clock)
    return seen['file'], seen['store']


def test_the_store_widens_the_margin_once_a_second_as_the_file_does(redis_url, tmp_path):
    waits, through_store = through_file_and_store(redis_url, tmp_path, 1, 100.0, widened_waits)
    assert through_store == pytest.approx(waits, abs=1e-5)
    assert waits == pytest.approx([SPAN_SECONDS + 0.05, SPAN_SECONDS + 0.1], abs=0.005)


def test_the_store_measures_round_trips_from_the_sending_as_the_file_does(redis_url, tmp_path):
    waited, through_store = through_file_and_store(redis_url, tmp_path, 20, 0.0, sent_late)
    assert through_store == pytest.approx(waited, abs=1e-5)
    assert waited == pytest.approx(0.25 + SPAN_SECONDS - 0.2 - 1.0)


def must_not_wait(seconds):
    """The sleep of a limiter that must let every request go at once: a wait is a failure, whatever the machine's
    speed (a measured duration would depend on it)."""
    raise AssertionError('the limiter waited %.3f s' % seconds)


def test_the_store_limiter_ignores_requests_sent_after_now_and_keys_expire(redis_server, redis_url):
    store = store_of(redis_url)
    limiter = HostRateLimiter('AKIDsecretid', rate=5, store=store, longest_request=11.0, sleep=must_not_wait)
    client = redis_server.client()
    name = RATE_PREFIX + limiter.key_of('UpdateStreamIngest')
    # A key of another type (a string) is no request; it is replaced by a hash.
    client.set(name, '1.0,2.0')
    limiter('UpdateStreamIngest')()
    kind = client.type(name)
    assert kind == b'hash'
    # Requests an hour ahead: a controller whose clock was stepped back; or a damaged value.
    ahead = repr(time.time() + 3600)
    client.hset(name, mapping=dict([('ahead-%d' % number, '%s,%s,' % (ahead, ahead)) for number in range(5)],
                                   junk='junk'))
    limiter('UpdateStreamIngest')()  # would fail in must_not_wait if they counted
    keys = [key.decode() for key in client.keys(RATE_PREFIX + '*')]
    assert keys == [name] and 'AKIDsecretid' not in name
    assert 11000 < client.pttl(name) <= (11.0 + SPAN_SECONDS) * 1000 + 1000
    assert len([field for field in client.hkeys(name) if field not in (b'least', b'widened')]) == 2


def test_a_request_not_answered_counts_in_the_store_until_its_deadline(redis_url):
    clock = FakeClock(100.0)
    limiter = HostRateLimiter('id', rate=1, store=store_of(redis_url), clock=clock, sleep=clock.sleep,
                              longest_request=5.0)
    limiter('StartStreamIngest')
    limiter('StartStreamIngest')()
    assert clock.now == pytest.approx(105.0 + SPAN_SECONDS)


def _reserve_many(url, count, results):
    store = RedisStore.of(url)
    limiter = HostRateLimiter('shared-id', rate=10, store=store)
    waits = []
    limiter.sleep = lambda seconds: (waits.append(seconds), time.sleep(seconds))
    sent = []
    for dummy in range(count):
        answered = limiter('UpdateStreamIngest')
        sent.append(time.time())
        answered()
    results.put((sent, waits))


def test_processes_and_threads_through_one_store_never_exceed_the_rate_in_any_window(redis_url):
    """3 processes x 2 threads, 10 requests each, rate 10: 60 requests, never 11 within one second."""
    context = multiprocessing.get_context('fork')
    results = context.Queue()

    def process_body(url, results):
        threads = [threading.Thread(target=_reserve_many, args=(url, 10, results)) for dummy in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)

    processes = [context.Process(target=process_body, args=(redis_url, results)) for dummy in range(3)]
    started = time.time()
    for process in processes:
        process.start()
    gathered = [results.get(timeout=60) for dummy in range(6)]
    for process in processes:
        process.join(30)
        assert process.exitcode == 0
    sent = sorted(moment for times, dummy in gathered for moment in times)
    waits = [wait for dummy, waits in gathered for wait in waits]
    assert len(sent) == 60
    assert min(later - earlier for earlier, later in zip(sent, sent[10:])) >= WINDOW_SECONDS
    assert max(waits) <= SPAN_SECONDS + 1e-3
    # 60 at 10 per span: the sixth burst leaves five spans after the first; no more than that, give or take.
    assert time.time() - started < 5 * SPAN_SECONDS + 3


# The record's entries and locks in the store.

def test_entries_live_under_the_prefix_hold_no_secret_and_vanish_when_settled_gone(redis_server, redis_url):
    store = store_of(redis_url)
    record = LastAppliedRecord(backend=store)
    record.settle(KEY, {'volume': 5, 'secret_key': 'must-not-be-stored', 'paused': True})
    client = redis_server.client()
    names = [name.decode() for name in client.keys('*') if not name.startswith(b'tencentcloud_trtc:check')]
    assert sorted(names) == sorted([RECORD_PREFIX + hashed(KEY), IDENTITY_KEY])
    assert redis_server.password.encode() not in client.get(IDENTITY_KEY)
    value = client.get(RECORD_PREFIX + hashed(KEY))
    assert b'must-not-be-stored' not in value and redis_server.password.encode() not in value
    assert json.loads(value)['key'] == KEY and json.loads(value)['entry']['volume'] == 5
    assert store.entries() == {KEY: record.entry(KEY)}
    record.settle(KEY, None)
    assert client.keys(RECORD_PREFIX + '*') == [] and client.keys(LOCK_PREFIX + '*') == []


def test_a_value_that_is_no_entry_fails_and_is_left_untouched(redis_server, redis_url):
    client = redis_server.client()
    client.set(RECORD_PREFIX + hashed(KEY), b'{"half')
    record = LastAppliedRecord(backend=store_of(redis_url))
    with pytest.raises(RecordError) as caught:
        record.get(KEY)
    assert 'left untouched' in str(caught.value) and redis_server.password not in str(caught.value)
    with pytest.raises(RecordError):
        record.settle(KEY, {'volume': 1})
    assert client.get(RECORD_PREFIX + hashed(KEY)) == b'{"half'


def _hold_then_settle(url, started, releasing, volume, seconds):
    record = LastAppliedRecord(backend=RedisStore.of(url))
    with record.hold(KEY):
        started.set()
        time.sleep(seconds)
        record.settle(KEY, {'volume': volume})
        releasing.value = time.monotonic()  # the clock of the whole host: the other process compares it to its own


def after_another_process_held_the_key(url, volume, seconds):
    """(seconds from when a forked process let go of KEY's lock to when this one got it, what it then read) while
    the forked one held it for seconds and settled volume. Below 0: this process got the lock while the other
    still held it."""
    context = multiprocessing.get_context('fork')
    started, releasing = context.Event(), context.Value('d', float('inf'))
    holder = context.Process(target=_hold_then_settle, args=(url, started, releasing, volume, seconds))
    holder.start()
    assert started.wait(10)
    record = LastAppliedRecord(backend=RedisStore.of(url))
    with record.hold(KEY):
        got, seen = time.monotonic(), record.get(KEY)
    holder.join(10)
    return got - releasing.value, seen


def test_two_processes_on_one_key_take_turns_and_the_second_reads_what_the_first_settled(redis_url):
    after_release, seen = after_another_process_held_the_key(redis_url, 10, 0.5)
    assert seen == {'volume': 10} and after_release >= 0


def test_threads_and_processes_writing_many_keys_lose_no_entry(redis_url):
    def writer(worker):
        record = LastAppliedRecord(backend=RedisStore.of(redis_url))
        for number in range(20):
            record.settle(record_key('e', worker, 'task-%d' % number), {'volume': number})

    context = multiprocessing.get_context('fork')
    processes = [context.Process(target=writer, args=(worker,)) for worker in range(4)]
    threads = [threading.Thread(target=writer, args=(worker,)) for worker in range(4, 8)]
    for runner in processes + threads:
        runner.start()
    for process in processes:
        process.join(60)
        assert process.exitcode == 0
    for thread in threads:
        thread.join(60)
    assert len(RedisStore.of(redis_url).entries()) == 8 * 20


def _hold_forever(url, started):
    with RedisStore.of(url).task_lock(KEY):
        started.set()
        time.sleep(3600)


def test_a_lock_left_by_a_killed_holder_expires_and_a_live_holder_keeps_it(redis_url, monkeypatch):
    monkeypatch.setattr(_redis_store, 'LOCK_TTL_MS', 1500)
    monkeypatch.setattr(_redis_store, 'RENEW_SECONDS', 0.3)
    # A live holder keeps its lock past the expiry: it renews it.
    after_release, seen = after_another_process_held_the_key(redis_url, 7, 3.5)
    assert after_release >= 0 and seen == {'volume': 7}
    context = multiprocessing.get_context('fork')
    # A killed holder: its lock is gone after the expiry, not held for ever.
    started = context.Event()
    holder = context.Process(target=_hold_forever, args=(redis_url, started))
    holder.start()
    assert started.wait(10)
    os.kill(holder.pid, signal.SIGKILL)
    holder.join(10)
    record = LastAppliedRecord(backend=RedisStore.of(redis_url))
    began = time.monotonic()
    with record.hold(KEY):
        waited = time.monotonic() - began
    assert waited < 1.5 + 1.0


def test_a_lock_a_hung_holder_keeps_renewing_is_waited_for_only_so_long_and_named(redis_url, monkeypatch):
    """A run alive but hung while it holds a lock renews it for ever: the others give up after LOCK_WAIT_SECONDS,
    naming the store, the relay and the process (and host) that holds the lock, instead of waiting without bound."""
    monkeypatch.setattr(_redis_store, 'LOCK_WAIT_SECONDS', 0.5)
    monkeypatch.setattr(_redis_store, 'RENEW_SECONDS', 0.1)
    context = multiprocessing.get_context('fork')
    started = context.Event()
    holder = context.Process(target=_hold_forever, args=(redis_url, started))
    holder.start()
    try:
        assert started.wait(10)
        record = LastAppliedRecord(backend=RedisStore.of(redis_url))
        with pytest.raises(RecordError) as caught:
            with record.hold(KEY):
                pass
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.join(10)
    message = str(caught.value)
    assert masked_url(redis_url) in message and 'waited 0.5 s' in message, message
    assert 'process %d on host %s' % (holder.pid, socket.gethostname()) in message, message
    assert 'nothing was sent for it' in message and PASSWORD not in message, message


def test_a_write_under_a_lock_that_expired_and_was_taken_is_refused(redis_server, redis_url):
    store = store_of(redis_url)
    record = LastAppliedRecord(backend=store)
    record.settle(KEY, {'volume': 1})
    client = redis_server.client()
    with record.hold(KEY):
        # The store lost the lock (an expiry while out of reach) and another controller took it.
        client.set(LOCK_PREFIX + hashed(KEY), 'other-controller')
        with pytest.raises(RecordError) as caught:
            record.settle(KEY, {'volume': 2})
        assert 'no longer' in str(caught.value)
    assert record.get(KEY) == {'volume': 1}
    assert client.get(LOCK_PREFIX + hashed(KEY)) == b'other-controller'


# The record's rules, the same over the file and over the store.

@pytest.fixture(params=['file', 'store'])
def records(request, tmp_path):
    """A function giving a record object as one run would open it: each call a new 'controller'."""
    if request.param == 'file':
        path = str(tmp_path / 'record.json')
        return lambda: LastAppliedRecord(path)
    url = request.getfixturevalue('redis_url')
    return lambda: LastAppliedRecord(backend=RedisStore.of(url))


def test_a_pending_setting_is_unknown_to_the_next_run_until_settled(records):
    record = records()
    record.check()
    record.settle(KEY, {'stream_url': 'https://a.b/x.flv', 'volume': 10})
    with record.hold(KEY):
        record.mark_pending(KEY, ['volume'])
    assert records().get(KEY) == {'stream_url': 'https://a.b/x.flv'}
    assert records().entry(KEY)['pending'] == ['volume']
    record.settle(KEY, {'stream_url': 'https://a.b/x.flv', 'volume': 20})
    assert records().get(KEY) == {'stream_url': 'https://a.b/x.flv', 'volume': 20}
    assert 'pending' not in records().entry(KEY)


def test_a_request_left_pending_by_an_ended_run_keeps_its_setting_in_doubt(records):
    record = records()
    record.mark_pending(KEY, ['volume'])          # a run that ended before its answer
    later = records()
    later.mark_pending(KEY, ['volume'])           # the next run, with the task's lock
    later.settle(KEY, {'volume': 30, 'paused': True})
    assert later.get(KEY) == {'paused': True}     # the lost request may still land: volume unknown
    assert later.entry(KEY)['doubt_until']['volume'] > time.time() + DOUBT_SECONDS - 5
    in_doubt = records()
    in_doubt.settle(KEY, {'volume': 40}, in_doubt=())
    assert in_doubt.get(KEY) == {}


def test_a_relay_starting_and_started_is_seen_by_the_next_run(records):
    start = {'room_id_type': 1, 'repeat_num': -1}
    record = records()
    with record.hold(RELAY_KEY):
        record.mark_starting(RELAY_KEY, start)
        assert records().entry(RELAY_KEY)['start'] == start and 'task_id' not in records().entry(RELAY_KEY)
        record.started(RELAY_KEY, 'task-1', {'stream_url': 'https://a.b/x.flv'}, start)
    entry = records().entry(RELAY_KEY)
    assert entry['task_id'] == 'task-1' and entry['stream_url'] == 'https://a.b/x.flv'
    record.settle(RELAY_KEY, {'volume': 50})
    assert records().entry(RELAY_KEY)['task_id'] == 'task-1' and records().get(RELAY_KEY) == {'volume': 50}
    record.settle(RELAY_KEY, None)
    assert records().entry(RELAY_KEY) == {}


# A store that forgets: detected, said, and refused until the controller's note of it is removed.

def test_a_store_that_lost_its_data_is_detected_and_refused_before_any_request(redis_server, redis_url):
    store_of(redis_url)
    record = LastAppliedRecord(backend=RedisStore.of(redis_url))
    record.settle(KEY, dict(volume=5))
    redis_server.client().flushall()  # what a restart without persistence leaves
    RedisStore.forget_all()
    with pytest.raises(RecordError) as raised:
        store_of(redis_url)
    message = str(raised.value)
    assert 'has lost its data since this controller last used it' in message and 'nothing was sent' in message
    assert 'appendonly yes' in message and 'noeviction' in message
    assert 'stores.json' in message and PASSWORD not in message
    # Told it, the user checks the console and removes the note: the store is used as it is now.
    os.unlink(os.path.expanduser('~/.ansible/tencentcloud_trtc/stores.json'))
    RedisStore.forget_all()
    store_of(redis_url)


def test_a_controller_new_to_a_store_takes_it_as_it_is(redis_server, redis_url, tmp_path, monkeypatch):
    store_of(redis_url)
    redis_server.client().flushall()
    RedisStore.forget_all()
    monkeypatch.setenv('HOME', str(tmp_path / 'another-controller'))
    store_of(redis_url)  # it never saw the data that was lost: nothing to compare
    identity = redis_server.client().get(IDENTITY_KEY)
    assert identity is not None and b'"id"' in identity
