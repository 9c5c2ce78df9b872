# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Checks of option values that every module shares; each failure names its option."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ConfigurationError(Exception):
    """An option value that cannot work; the message names the option. Raised before any request."""


def require_integer(value, option):
    """AnsibleModule takes a boolean for an int option (bool is an int in Python); the API does not."""
    if isinstance(value, bool):
        raise ConfigurationError('%s: must be an integer, got a boolean (%s)' % (option, value))


def require_task_id(value, option='task_id'):
    if not value or not value.strip():
        raise ConfigurationError('%s: must be a non-empty string' % option)
