# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The emulator's state and request log show stream URLs with their credentials masked (other local users read it)."""

from __future__ import annotations

import os

import pytest


@pytest.mark.parametrize('url, shown', [
    ('rtmp://u:pw@h/live/x?txSecret=abc&txTime=5F', 'rtmp://u:***@h/live/x?txSecret=***&txTime=5F'),
    ('https://token@h/a.flv', 'https://***@h/a.flv'),
    ('https://h/a.m3u8?auth_key=1-0-0-abc#part', 'https://h/a.m3u8?auth_key=***#part'),
    ('https://h/a.flv', 'https://h/a.flv'),
])
def test_stream_urls_are_shown_masked(emulator_service, url, shown):
    assert emulator_service.masked_stream_url(url) == shown
    assert emulator_service.redacted(dict(StreamUrl=url, UserSig='sig'))['StreamUrl'] == shown


def test_the_state_masks_what_the_tasks_hold(emulator_service):
    task = emulator_service.shown_task(1, 't', dict(stream_url='rtmp://u:pw@h/x?sign=s', volume=1, paused=False))
    assert task == dict(sdk_app_id=1, task_id='t', stream_url='rtmp://u:***@h/x?sign=***', volume=1, paused=False)


def test_a_stale_pid_file_naming_another_process_is_no_running_emulator(emulator, tmp_path):
    """--stop must not kill whatever process a stale pid file names (here, this test's own)."""
    (tmp_path / 'emulator.pid').write_text(str(os.getpid()))
    assert emulator.running_pid(str(tmp_path)) is None
    assert emulator.stop_background(str(tmp_path)) == 0


def test_the_emulator_warns_when_it_listens_beyond_this_host(emulator, capsys, monkeypatch):
    def not_listening(*args, **kwargs):
        raise SystemExit(0)

    monkeypatch.setattr(emulator, 'EmulatorServer', not_listening)
    for host, warned in (('0.0.0.0', True), ('127.0.0.1', False)):
        with pytest.raises(SystemExit):
            emulator.main(['--host', host, '--port', '0'])
        assert ('answers anyone who reaches this address' in capsys.readouterr().err) is warned
