# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The emulator's state and request log show stream URLs with their credentials masked (other local users read it)."""

from __future__ import annotations

import importlib.util
import os

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))


@pytest.fixture(scope='module')
def emulator():
    spec = importlib.util.spec_from_file_location('trtc_emulator', os.path.join(ROOT, 'emulator', 'trtc_emulator.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize('url, shown', [
    ('rtmp://u:pw@h/live/x?txSecret=abc&txTime=5F', 'rtmp://u:***@h/live/x?txSecret=***&txTime=5F'),
    ('https://token@h/a.flv', 'https://***@h/a.flv'),
    ('https://h/a.m3u8?auth_key=1-0-0-abc#part', 'https://h/a.m3u8?auth_key=***#part'),
    ('https://h/a.flv', 'https://h/a.flv'),
])
def test_stream_urls_are_shown_masked(emulator, url, shown):
    assert emulator.masked_stream_url(url) == shown
    assert emulator.redacted(dict(StreamUrl=url, UserSig='sig'))['StreamUrl'] == shown


def test_the_state_masks_what_the_tasks_hold(emulator):
    task = emulator.shown_task(1, 't', dict(stream_url='rtmp://u:pw@h/x?sign=s', volume=1, paused=False))
    assert task == dict(sdk_app_id=1, task_id='t', stream_url='rtmp://u:***@h/x?sign=***', volume=1, paused=False)
