# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.tencentcloud.trtc.tests.unit.plugins.module_runner import ModuleRunner


@pytest.fixture
def runner(capsys, tmp_path, monkeypatch):
    """Runs a module's main() with arguments and a scripted HTTP session, in a HOME of its own."""
    return ModuleRunner(capsys, tmp_path, monkeypatch)
