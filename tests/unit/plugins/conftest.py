# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.tencentcloud.trtc.tests.unit.plugins.emulated_service import emulator_module
from ansible_collections.tencentcloud.trtc.tests.unit.plugins.module_runner import ModuleRunner


@pytest.fixture(autouse=True)
def home_of_its_own(tmp_path_factory, monkeypatch):
    """Every test in a HOME of its own: what a controller keeps there (rate files, notes of the stores it used) is
    never another test's."""
    home = tmp_path_factory.mktemp('home')
    monkeypatch.setenv('HOME', str(home))
    # The rate files live in one directory per user of the host: each test has its own.
    monkeypatch.setenv('TENCENTCLOUD_TRTC_RATE_LIMIT_DIR', str(home / 'rate'))


@pytest.fixture(scope='session')
def emulator():
    """The emulator's command line (emulator/trtc_emulator.py)."""
    return emulator_module('trtc_emulator')


@pytest.fixture(scope='session')
def emulator_server():
    """The emulator's HTTP server (emulator/trtc_server.py)."""
    return emulator_module('trtc_server')


@pytest.fixture(scope='session')
def emulator_service():
    """The service the emulator plays, without HTTP (emulator/trtc_service.py)."""
    return emulator_module('trtc_service')


@pytest.fixture(scope='session')
def emulator_callbacks():
    """The relay callbacks the emulator sends, without HTTP (emulator/trtc_callbacks.py)."""
    return emulator_module('trtc_callbacks')


@pytest.fixture
def runner(capsys, tmp_path, monkeypatch):
    """Runs a module's main() with arguments and a scripted HTTP session, in a HOME of its own."""
    return ModuleRunner(capsys, tmp_path, monkeypatch)
