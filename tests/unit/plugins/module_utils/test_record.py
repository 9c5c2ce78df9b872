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
from unittest import mock

import pytest

from ansible_collections.tencentcloud.trtc.plugins.module_utils._files import RangeLocks
from ansible_collections.tencentcloud.trtc.plugins.module_utils._record import (
    FILE_LOCK_OFFSET, LastAppliedRecord, RecordError, record_key,
)

KEY = record_key('https://trtc.intl.tencentcloudapi.com/', 1400188366, 'CR6LqvF7+rTEL2p6/vnZV4v.')
FILEUTIL = 'ansible_collections.tencentcloud.trtc.plugins.module_utils._files'
RECORD = 'ansible_collections.tencentcloud.trtc.plugins.module_utils._record'


def run_with_deadline(function, seconds=10):
    """function() in a thread; fails the test instead of hanging it when function blocks."""
    outcome = {}

    def target():
        try:
            outcome['value'] = function()
        except BaseException as exc:  # pylint: disable=broad-exception-caught
            outcome['error'] = exc
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), 'blocked for more than %s seconds' % seconds
    if 'error' in outcome:
        raise outcome['error']
    return outcome.get('value')


def test_nothing_known_without_a_file(tmp_path):
    record = LastAppliedRecord(str(tmp_path / 'none.json'))
    record.check()
    assert record.get(KEY) == {}


def test_settle_get_and_drop(tmp_path):
    record = LastAppliedRecord(str(tmp_path / 'sub' / 'record.json'))
    record.settle(KEY, {'stream_url': 'https://a.b/x.flv', 'volume': 80})
    assert record.get(KEY) == {'stream_url': 'https://a.b/x.flv', 'volume': 80}
    record.settle(KEY, None)
    assert record.get(KEY) == {}


def test_a_pending_setting_is_unknown_until_settled(tmp_path):
    record = LastAppliedRecord(str(tmp_path / 'record.json'))
    record.settle(KEY, {'stream_url': 'https://a.b/x.flv', 'volume': 10})
    record.mark_pending(KEY, ['volume'])
    # What another process (the next run) reads from the file, not from this object.
    assert LastAppliedRecord(str(tmp_path / 'record.json')).get(KEY) == {'stream_url': 'https://a.b/x.flv'}
    assert record.entry(KEY)['pending'] == ['volume']
    record.settle(KEY, {'stream_url': 'https://a.b/x.flv', 'volume': 20})
    assert record.get(KEY) == {'stream_url': 'https://a.b/x.flv', 'volume': 20}
    assert 'pending' not in record.entry(KEY)


def test_file_and_directories_are_private_and_hold_only_settings(tmp_path):
    path = tmp_path / 'home' / '.ansible' / 'tencentcloud_trtc' / 'record.json'
    record = LastAppliedRecord(str(path))
    record.settle(KEY, {'volume': 5, 'secret_key': 'must-not-be-written', 'paused': True})
    assert 'must-not-be-written' not in path.read_text()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    for directory in (path.parent, path.parent.parent, path.parent.parent.parent):
        assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700, directory
    assert json.loads(path.read_text())['tasks'][KEY]['volume'] == 5


@pytest.mark.parametrize('content', ['{"tasks": {', 'not json at all', '[1, 2]', '{"tasks": 3}',
                                     '{"version": 99, "tasks": {}}', '[' * 100000])
def test_a_file_that_is_no_record_fails_and_is_never_overwritten(tmp_path, content):
    path = tmp_path / 'record.json'
    path.write_text(content)
    record = LastAppliedRecord(str(path))
    with pytest.raises(RecordError) as caught:
        record.check()
    assert str(path) in str(caught.value) and 'left untouched' in str(caught.value)
    with pytest.raises(RecordError):
        record.settle(KEY, {'volume': 1})
    assert path.read_text() == content


def test_an_unreadable_file_fails_and_is_never_overwritten(tmp_path):
    path = tmp_path / 'record.json'
    path.write_text('{"version": 1, "tasks": {"other": {"volume": 7}}}')
    real_open = os.open

    def denied(name, *args, **kwargs):
        if name == str(path):
            raise PermissionError(13, 'Permission denied')
        return real_open(name, *args, **kwargs)

    with mock.patch(FILEUTIL + '.os.open', side_effect=denied):
        record = LastAppliedRecord(str(path))
        with pytest.raises(RecordError) as caught:
            record.check()
        assert 'Permission denied' in str(caught.value)
        with pytest.raises(RecordError):
            record.settle(KEY, {'volume': 1})
    assert json.loads(path.read_text())['tasks'] == {'other': {'volume': 7}}


def test_a_fifo_fails_at_once_instead_of_hanging(tmp_path):
    path = tmp_path / 'record.json'
    os.mkfifo(str(path))
    with pytest.raises(RecordError) as caught:
        run_with_deadline(LastAppliedRecord(str(path)).check)
    assert 'not a regular file' in str(caught.value)


def test_an_empty_file_is_an_empty_record(tmp_path):
    path = tmp_path / 'record.json'
    path.write_text('')
    record = LastAppliedRecord(str(path))
    record.settle(KEY, {'volume': 3})
    assert record.get(KEY) == {'volume': 3}


def test_a_symlinked_record_is_written_through_to_its_target(tmp_path):
    target = tmp_path / 'persistent' / 'record.json'
    target.parent.mkdir()
    target.write_text('{"version": 1, "tasks": {"other": {"volume": 7}}}')
    link = tmp_path / 'link.json'
    link.symlink_to(target)
    LastAppliedRecord(str(link)).settle(KEY, {'volume': 9})
    assert link.is_symlink()
    assert json.loads(target.read_text())['tasks'][KEY]['volume'] == 9
    assert json.loads(target.read_text())['tasks']['other'] == {'volume': 7}


def test_an_empty_record_file_option_is_refused(tmp_path):
    with pytest.raises(RecordError) as caught:
        LastAppliedRecord('')
    assert 'record_file' in str(caught.value)


def test_a_crash_while_writing_leaves_the_old_file_whole_and_no_temporary_file(tmp_path):
    path = tmp_path / 'record.json'
    record = LastAppliedRecord(str(path))
    record.settle(KEY, {'volume': 10})
    before = path.read_bytes()
    real_write = os.write

    def dies_halfway(fd, data):
        real_write(fd, bytes(data[:10]))
        raise KeyboardInterrupt

    with mock.patch(FILEUTIL + '.os.write', dies_halfway):
        with pytest.raises(KeyboardInterrupt):
            record.settle(KEY, {'volume': 20})
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ['record.json', 'record.json.lock']


def test_temporary_files_of_killed_writers_do_not_pile_up(tmp_path):
    path = tmp_path / 'record.json'
    # A writer killed after creating its temporary file, and one left by an earlier version.
    (tmp_path / '.record.json.tmp').write_text('{"half')
    old = tmp_path / '.record.json.k2j4h5.tmp'
    old.write_text('{"half')
    os.utime(str(old), (time.time() - 7200, time.time() - 7200))
    record = LastAppliedRecord(str(path))
    for volume in range(5):
        record.settle(KEY, {'volume': volume})
    assert sorted(os.listdir(tmp_path)) == ['record.json', 'record.json.lock']


def _writer(path, worker, count):
    record = LastAppliedRecord(path)
    for number in range(count):
        record.settle(record_key('e', worker, 'task-%d' % number), {'volume': number % 101})


def test_concurrent_writers_in_several_processes_lose_no_entry(tmp_path):
    path = str(tmp_path / 'record.json')
    workers, count = 6, 40
    context = multiprocessing.get_context('fork')
    processes = [context.Process(target=_writer, args=(path, worker, count)) for worker in range(workers)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
        assert process.exitcode == 0
    with open(path) as handle:
        tasks = json.load(handle)['tasks']
    assert len(tasks) == workers * count
    assert tasks[record_key('e', 3, 'task-39')]['volume'] == 39


def test_threads_writing_at_once_lose_no_entry(tmp_path):
    record = LastAppliedRecord(str(tmp_path / 'record.json'))
    keys = [record_key('e', 1, 'task-%d' % number) for number in range(64)]
    threads = [threading.Thread(target=record.settle, args=(key, {'volume': 1})) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    fresh = LastAppliedRecord(str(tmp_path / 'record.json'))
    assert [fresh.get(key) for key in keys] == [{'volume': 1}] * 64


def _hold_then_settle(path, started, volume):
    record = LastAppliedRecord(path)
    with record.hold(KEY):
        started.set()
        time.sleep(0.5)
        record.settle(KEY, {'volume': volume})


def test_a_held_task_waits_for_the_other_process_and_then_reads_what_it_settled(tmp_path):
    path = str(tmp_path / 'record.json')
    context = multiprocessing.get_context('fork')
    started = context.Event()
    other = context.Process(target=_hold_then_settle, args=(path, started, 10))
    other.start()
    assert started.wait(10)
    record = LastAppliedRecord(path)
    with record.hold(KEY):
        seen = record.get(KEY)
    other.join(10)
    assert seen == {'volume': 10}


def _hold_until(path, lock, held, release):
    """Holds a lock of the record at path (lock(record) makes it) until release is set."""
    with lock(LastAppliedRecord(path)):
        held.set()
        release.wait(30)


def task_lock(record):
    return record.hold(KEY)


def write_lock(record):
    return RangeLocks.of(record.file.lock_path).hold(FILE_LOCK_OFFSET, 10)


@pytest.mark.parametrize('what, lock, work', [
    ('the lock of task', task_lock, lambda record: record.hold(KEY).__enter__()),
    ('the lock of its writes', write_lock, lambda record: record.settle(KEY, {'volume': 1})),
], ids=['task-lock', 'write-lock'])
def test_a_lock_held_by_a_stopped_process_is_waited_for_only_so_long_and_named(tmp_path, what, lock, work):
    """A run stopped (or hung) while it holds a lock: the others give up after LOCK_WAIT_SECONDS, naming the lock
    file and the process that holds it, instead of waiting silently for ever."""
    path = str(tmp_path / 'record.json')
    context = multiprocessing.get_context('fork')
    held, release = context.Event(), context.Event()
    holder = context.Process(target=_hold_until, args=(path, lock, held, release))
    holder.start()
    try:
        assert held.wait(10)
        with mock.patch(RECORD + '.LOCK_WAIT_SECONDS', 0.3), pytest.raises(RecordError) as caught:
            run_with_deadline(lambda: work(LastAppliedRecord(path)))
    finally:
        release.set()
        holder.join(10)
    message = str(caught.value)
    assert path + '.lock' in message and 'process %d' % holder.pid in message, message
    assert 'waited 0.3 s' in message and what in message, message
    record = LastAppliedRecord(path)
    run_with_deadline(lambda: record.settle(KEY, {'volume': 2}))
    assert record.get(KEY) == {'volume': 2}


def _cross_locker(path, first, second, ready, barrier_seconds):
    """Holds first in one thread while another thread of this process waits for second."""
    record = LastAppliedRecord(path)

    def hold_first():
        with record.hold(first):
            ready.set()
            time.sleep(barrier_seconds)

    holder = threading.Thread(target=hold_first)
    holder.start()
    ready.wait(10)
    time.sleep(0.1)
    with record.hold(second):
        pass
    holder.join(10)


def test_threads_of_two_processes_waiting_on_each_other_s_keys_do_not_fail(tmp_path):
    """The kernel sees two processes each waiting for the other (EDEADLK); no thread truly is."""
    path = str(tmp_path / 'record.json')
    context = multiprocessing.get_context('fork')
    key_a, key_b = record_key('e', 1, 'a'), record_key('e', 1, 'b')
    processes = [context.Process(target=_cross_locker, args=(path, key_a, key_b, context.Event(), 0.6)),
                 context.Process(target=_cross_locker, args=(path, key_b, key_a, context.Event(), 0.6))]
    for process in processes:
        process.start()
    for process in processes:
        process.join(30)
    assert [process.exitcode for process in processes] == [0, 0]


def test_many_reads_parse_the_file_once_while_it_does_not_change(tmp_path):
    path = tmp_path / 'record.json'
    record = LastAppliedRecord(str(path))
    record.settle(KEY, {'volume': 1})
    reader = LastAppliedRecord(str(path))
    with mock.patch('ansible_collections.tencentcloud.trtc.plugins.module_utils._record.read_regular_file',
                    side_effect=lambda name: open(name, 'rb').read()) as read:
        assert [reader.get(record_key('e', 1, 'task-%d' % number)) for number in range(200)] == [{}] * 200
        assert read.call_count <= 1
        record_path = str(path)
        os.utime(record_path, ns=(1, 1))
        reader.get(KEY)
        assert read.call_count <= 2


@pytest.mark.parametrize('make', ['loop', 'parent_is_a_file', 'lock_is_a_directory'])
def test_an_unusable_path_is_a_record_error_naming_it(tmp_path, make):
    path = tmp_path / 'record.json'
    if make == 'loop':
        path.symlink_to(tmp_path / 'other.json')
        (tmp_path / 'other.json').symlink_to(path)
    elif make == 'parent_is_a_file':
        (tmp_path / 'file').write_text('')
        path = tmp_path / 'file' / 'record.json'
    else:
        (tmp_path / 'record.json.lock').mkdir()
    with pytest.raises(RecordError) as caught:
        LastAppliedRecord(str(path)).check()
    assert 'record' in str(caught.value)


@pytest.fixture
def shared_directory(tmp_path):
    """A directory every user may write, as /tmp is (sticky, mode 1777)."""
    directory = tmp_path / 'shared'
    directory.mkdir()
    directory.chmod(0o1777)
    return directory


def test_a_record_in_a_directory_every_user_may_write_is_refused(shared_directory):
    record = LastAppliedRecord(str(shared_directory / 'record.json'))
    with pytest.raises(RecordError) as raised:
        record.check()
    assert 'writable by every user' in str(raised.value) and str(shared_directory) in str(raised.value)
    assert os.listdir(str(shared_directory)) == []


def test_a_record_another_user_could_replace_from_further_up_is_refused_before_anything_is_made(tmp_path):
    """open/records/record.json, open writable by every user without the sticky bit: another user could rename
    records away and put their own record there, and the run would act on what it claims."""
    open_directory = tmp_path / 'open'
    (open_directory / 'records').mkdir(parents=True, mode=0o700)
    open_directory.chmod(0o777)
    for path in (open_directory / 'records' / 'record.json', open_directory / 'records' / 'new' / 'record.json'):
        with pytest.raises(RecordError) as raised:
            LastAppliedRecord(str(path))
        assert str(raised.value) == (
            'record_file: cannot use the last-applied record %s: the directory %s is writable by every user without '
            'the sticky bit: another user could replace %s' % (path, open_directory, path.parent))
    assert os.listdir(str(open_directory / 'records')) == []


def test_a_link_planted_as_the_record_is_not_followed(shared_directory, tmp_path):
    victim = tmp_path / 'victim.conf'
    victim.write_text('root-owned content\n')
    (shared_directory / 'record.json').symlink_to(victim)
    with pytest.raises(RecordError) as raised:
        LastAppliedRecord(str(shared_directory / 'record.json'))
    assert 'record_file: ' in str(raised.value) and 'is a symbolic link in a directory that is not safe' in str(
        raised.value)
    assert victim.read_text() == 'root-owned content\n'


def test_a_link_in_a_private_directory_is_followed(tmp_path):
    target = tmp_path / 'records' / 'real.json'
    target.parent.mkdir()
    (tmp_path / 'record.json').symlink_to(target)
    record = LastAppliedRecord(str(tmp_path / 'record.json'))
    record.settle(KEY, dict(volume=5))
    assert json.loads(target.read_text())['tasks'][KEY]['volume'] == 5


def test_a_link_planted_as_the_temporary_file_is_removed_never_written_through(tmp_path):
    victim = tmp_path / 'victim.conf'
    victim.write_text('precious\n')
    (tmp_path / '.record.json.tmp').symlink_to(victim)
    record = LastAppliedRecord(str(tmp_path / 'record.json'))
    record.settle(KEY, dict(volume=6))
    assert victim.read_text() == 'precious\n'
    assert json.loads((tmp_path / 'record.json').read_text())['tasks'][KEY]['volume'] == 6
    assert not os.path.lexists(str(tmp_path / '.record.json.tmp'))


def test_a_link_planted_as_the_lock_file_is_refused(tmp_path):
    victim = tmp_path / 'victim.conf'
    victim.write_text('precious\n')
    (tmp_path / 'record.json.lock').symlink_to(victim)
    with pytest.raises(RecordError) as raised:
        LastAppliedRecord(str(tmp_path / 'record.json')).check()
    assert 'is a symbolic link, which is not followed' in str(raised.value)
    assert victim.read_text() == 'precious\n'


@pytest.mark.skipif(os.geteuid() != 0, reason='only root can give a file to another user')
def test_a_record_of_another_user_is_refused_and_left_alone(tmp_path):
    path = tmp_path / 'record.json'
    path.write_text('{"version": 1, "tasks": {}}')
    os.chown(str(path), 4321, 4321)
    with pytest.raises(RecordError) as raised:
        LastAppliedRecord(str(path)).check()
    assert 'belongs to another user (uid 4321)' in str(raised.value)
    assert path.read_text() == '{"version": 1, "tasks": {}}'


def test_a_retried_update_keeps_its_settings_in_doubt_from_its_last_attempt(tmp_path):
    """A retry signs the request anew, later: a run killed after it leaves doubt counting from the retry."""
    from types import SimpleNamespace
    from ansible_collections.tencentcloud.trtc.plugins.module_utils._client import TrtcClient
    from ansible_collections.tencentcloud.trtc.plugins.module_utils._executor import Executor
    from ansible_collections.tencentcloud.trtc.plugins.module_utils._plan import Target
    from ansible_collections.tencentcloud.trtc.tests.unit.plugins.fake_service import READ_TIMEOUT, Call, FakeService

    class Killed(BaseException):
        pass

    clock = [1000000.0]
    fake_time = SimpleNamespace(time=lambda: clock[0], strftime=time.strftime, gmtime=time.gmtime)

    def wait(seconds):
        clock[0] += 200  # the retry goes 200 s after the first attempt (backoff and the rate limit's turn)

    update = Call('UpdateStreamIngest', TaskId='task-1', Volume=10)
    session = FakeService(update.raises(READ_TIMEOUT), update.raises(Killed()))
    client = TrtcClient(('AKIDunit', 'unit-secret', None), 'ap-singapore', 'http://127.0.0.1:9', session=session,
                        sleep=wait)
    record = LastAppliedRecord(str(tmp_path / 'record.json'))
    target = Target(client.url, 1400188366, task_id='task-1')
    with mock.patch('ansible_collections.tencentcloud.trtc.plugins.module_utils._record.time', fake_time):
        with pytest.raises(Killed):
            Executor(client, record).converge(target, 'present', dict(volume=10))
        assert record.entry(target.key)['pending_at'] == 1000200.0
        # A later run 700 s after the first attempt (500 s after the retry): volume is still in doubt.
        clock[0] = 1000700.0
        record.mark_pending(target.key, ['volume'])
        assert record.entry(target.key)['doubt_until']['volume'] >= 1000200.0 + 600
