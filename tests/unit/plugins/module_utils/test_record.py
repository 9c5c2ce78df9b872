# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json
import multiprocessing
import os
import stat
from unittest import mock

import pytest

from ansible_collections.tencentcloud.trtc.plugins.module_utils.record import LastAppliedRecord, record_key

KEY = record_key('https://trtc.intl.tencentcloudapi.com/', 1400188366, 'task-0001')


def test_nothing_known_without_a_file(tmp_path):
    assert LastAppliedRecord(str(tmp_path / 'none.json')).get(KEY) == {}


def test_put_get_and_drop(tmp_path):
    record = LastAppliedRecord(str(tmp_path / 'sub' / 'record.json'))
    record.update({KEY: {'stream_url': 'https://a.b/x.flv', 'volume': 80}})
    assert record.get(KEY) == {'stream_url': 'https://a.b/x.flv', 'volume': 80}
    record.update({KEY: None})
    assert record.get(KEY) == {}


def test_file_is_private_and_holds_only_settings(tmp_path):
    path = tmp_path / 'record.json'
    record = LastAppliedRecord(str(path))
    record.update({KEY: {'volume': 5, 'secret_key': 'must-not-be-written', 'paused': True}})
    assert 'must-not-be-written' not in path.read_text()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert json.loads(path.read_text())['tasks'][KEY]['volume'] == 5


@pytest.mark.parametrize('content', ['{"tasks": {', 'not json at all', '[1, 2]', '{"tasks": 3}'])
def test_unreadable_record_warns_and_counts_as_empty(tmp_path, content):
    path = tmp_path / 'record.json'
    path.write_text(content)
    warnings = []
    record = LastAppliedRecord(str(path), warn=warnings.append)
    assert record.get(KEY) == {}
    assert len(warnings) == 1 and str(path) in warnings[0]
    record.update({KEY: {'volume': 1}})
    assert record.get(KEY) == {'volume': 1}


def test_a_crash_while_writing_leaves_the_old_file_whole(tmp_path):
    path = tmp_path / 'record.json'
    record = LastAppliedRecord(str(path))
    record.update({KEY: {'volume': 10}})
    before = path.read_bytes()

    def dies_halfway(document, handle, **kwargs):
        handle.write('{"tasks": {"half')
        raise KeyboardInterrupt

    with mock.patch('ansible_collections.tencentcloud.trtc.plugins.module_utils.record.json.dump', dies_halfway):
        with pytest.raises(KeyboardInterrupt):
            record.update({KEY: {'volume': 20}})
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ['record.json', 'record.json.lock']


def _writer(path, worker, count):
    record = LastAppliedRecord(path)
    for number in range(count):
        record.update({record_key('e', worker, 'task-%d' % number): {'volume': number % 101}})


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


def test_many_tasks_read_the_file_once_and_warn_once(tmp_path):
    path = tmp_path / 'record.json'
    path.write_text('not json at all')
    warnings = []
    record = LastAppliedRecord(str(path), warn=warnings.append)
    with mock.patch('ansible_collections.tencentcloud.trtc.plugins.module_utils.record.open', create=True,
                    side_effect=open) as opened:
        assert [record.get(record_key('e', 1, 'task-%d' % number)) for number in range(200)] == [{}] * 200
    assert opened.call_count == 1
    assert len(warnings) == 1
