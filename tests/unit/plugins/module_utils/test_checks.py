# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The option checks every module shares: each refusal names its option and says what is wrong."""

from __future__ import annotations

import pytest

from ansible_collections.tencentcloud.trtc.plugins.module_utils._checks import (
    ConfigurationError, has_invisible_characters, require_integer, require_task_id, text_problem,
)


@pytest.mark.parametrize('value, problem', [
    ('', 'must be a non-empty string'),
    ('   ', 'must be a non-empty string'),
    (None, 'must be a non-empty string'),
    (' task', 'must not start or end with white space'),
    ('task\n', 'must not start or end with white space'),
    ('ta\x00sk', 'must not hold control or invisible characters'),
    ('ta\u200bsk', 'must not hold control or invisible characters'),
    ('ta\nsk', 'must not hold control or invisible characters'),
])
def test_text_that_cannot_be_an_id_says_why(value, problem):
    assert problem in text_problem(value)


@pytest.mark.parametrize('value', ['task-1', 'CR6Lq+rTEL2p6/vnZV4.', '\u623f\u95f4-1', 'a b'])
def test_ids_as_the_service_makes_them_pass(value):
    assert text_problem(value) is None
    require_task_id(value)


def test_invisible_characters_are_control_and_format_characters():
    assert has_invisible_characters('a\u2060b') and has_invisible_characters('\t')
    assert not has_invisible_characters('caf\u00e9 \u623f\u95f4')


def test_a_bad_task_id_is_refused_naming_the_option_it_came_from():
    with pytest.raises(ConfigurationError, match=r"^tasks\[2\]\.task_id: must not start or end with white space"):
        require_task_id(' t', 'tasks[2].task_id')
    with pytest.raises(ConfigurationError, match='^task_id: must be a non-empty string'):
        require_task_id('')


def test_a_boolean_is_no_integer_although_python_says_it_is():
    with pytest.raises(ConfigurationError, match=r'^volume: must be an integer, got a boolean \(True\)'):
        require_integer(True, 'volume')
    require_integer(0, 'volume')
