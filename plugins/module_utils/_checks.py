# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Checks of option values that every module shares; each failure names its option."""

from __future__ import annotations

import unicodedata


class ConfigurationError(Exception):
    """An option value that cannot work; the message names the option. Raised before any request."""


def require_integer(value, option):
    """AnsibleModule takes a boolean for an int option (bool is an int in Python); the API does not."""
    if isinstance(value, bool):
        raise ConfigurationError('%s: must be an integer, got a boolean (%s)' % (option, value))


def text_problem(value):
    """Why value cannot be an ID sent to the API (empty, padded, or holding control characters), or None."""
    if not value or not value.strip():
        return 'must be a non-empty string'
    if value != value.strip():
        return 'must not start or end with white space, got %r' % value
    if has_invisible_characters(value):
        return 'must not hold control or invisible characters, got %r' % value
    return None


def has_invisible_characters(value):
    """Control characters (NUL, line breaks) and format characters (zero-width spaces) a user cannot see."""
    return any(unicodedata.category(char) in ('Cc', 'Cf') for char in value)


def require_task_id(value, option='task_id'):
    problem = text_problem(value)
    if problem:
        raise ConfigurationError('%s: %s' % (option, problem))
