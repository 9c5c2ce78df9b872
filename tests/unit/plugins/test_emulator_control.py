# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The emulator's control API (its state holds stream URLs and SecretIds; it injects faults and resets) answers only
who sends the token the emulator wrote to a file that only its owner can read."""

from __future__ import annotations

import json
import os
import stat
import threading
import urllib.error
import urllib.request

import pytest

TOKEN = 'control-token-of-this-test'
APP = 1400188366


@pytest.fixture
def served(emulator_service, emulator_server):
    service = emulator_service.Emulator({}, sdk_secret_keys={})
    service.put_tasks([dict(sdk_app_id=APP, task_id='kept', stream_url='rtmp://u:pw@example.com/live/a')])
    server = emulator_server.EmulatorServer(('127.0.0.1', 0), service, control_token=TOKEN)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield 'http://127.0.0.1:%d' % server.server_address[1], service
    server.shutdown()
    server.server_close()


def control(url, what, document=None, token=None):
    """(HTTP status, JSON answer) of one control request."""
    data = None if document is None else json.dumps(document).encode('utf-8')
    headers = {'Content-Type': 'application/json'}
    if token is not None:
        headers['X-Emulator-Token'] = token
    request = urllib.request.Request('%s/_emulator/%s' % (url, what), data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


CONTROLS = [
    ('state', None),
    ('reset', {'tasks': []}),
    ('tasks', {'tasks': [dict(sdk_app_id=APP, task_id='planted')]}),
    ('faults', dict(action='DescribeStreamIngest', kind='drop')),
    ('end', dict(sdk_app_id=APP, task_id='kept')),
    ('unknown', {}),
]


@pytest.mark.parametrize('what, document', CONTROLS)
@pytest.mark.parametrize('token', [None, '', 'wrong', TOKEN + 'x', TOKEN[:-1]])
def test_without_the_token_a_control_request_is_refused_and_changes_nothing(served, what, document, token):
    url, service = served
    before = service.snapshot()
    status, answer = control(url, what, document, token)
    assert status == 401
    assert 'X-Emulator-Token' in answer['error'] and 'emulator.token' in answer['error']
    assert TOKEN not in json.dumps(answer)
    assert service.snapshot() == before


@pytest.mark.parametrize('what, document', CONTROLS)
def test_with_the_token_a_control_request_is_served(served, what, document):
    url, service = served
    status, answer = control(url, what, document, TOKEN)
    assert status == (404 if what == 'unknown' else 200)
    if what == 'state':
        assert [task['task_id'] for task in answer['tasks']] == ['kept']


def test_the_signed_api_needs_no_control_token(served):
    url, dummy = served
    request = urllib.request.Request(url + '/', data=b'{}', headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=10) as reply:
        assert json.loads(reply.read())['Response']['Error']['Code'] == 'InvalidAction'


class Listening:
    """Stands for the HTTP server in main(): notes the token it was given and what the token file held meanwhile."""
    seen = {}

    def __init__(self, address, emulator, control_token, **options):
        self.server_address = ('127.0.0.1', 1)
        Listening.seen['token'] = control_token

    def serve_forever(self):
        path = Listening.seen['path']
        with open(path) as handle:
            Listening.seen.update(content=handle.read(), mode=stat.S_IMODE(os.lstat(path).st_mode))
        raise KeyboardInterrupt

    def server_close(self):
        pass


def test_the_emulator_writes_its_token_where_only_its_owner_reads_it_and_removes_it_on_exit(
        emulator, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(emulator, 'EmulatorServer', Listening)
    token_file = tmp_path / 'emulator.token'
    monkeypatch.setattr(Listening, 'seen', {'path': str(token_file)}, raising=False)
    planted = tmp_path / 'elsewhere'
    planted.write_text('not the emulator\'s')
    token_file.symlink_to(planted)  # a link planted at the token's path is replaced, never followed

    assert emulator.main(['--state-dir', str(tmp_path), '--port', '0']) == 0

    seen = Listening.seen
    assert len(seen['token']) >= 32 and seen['content'].strip() == seen['token']
    assert seen['mode'] == 0o600
    assert planted.read_text() == 'not the emulator\'s'
    assert not token_file.exists() and not token_file.is_symlink()
    out = capsys.readouterr().out
    assert str(token_file) in out and seen['token'] not in out


def test_each_start_has_a_token_of_its_own(emulator, tmp_path, monkeypatch):
    monkeypatch.setattr(emulator, 'EmulatorServer', Listening)
    tokens = []
    for dummy in range(2):
        monkeypatch.setattr(Listening, 'seen', {'path': str(tmp_path / 'emulator.token')}, raising=False)
        emulator.main(['--state-dir', str(tmp_path), '--port', '0'])
        tokens.append(Listening.seen['token'])
    assert tokens[0] != tokens[1]
