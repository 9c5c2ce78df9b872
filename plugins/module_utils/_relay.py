# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Relay tasks: the API's facts about them, and the checks of values against them.

What to do with a relay is decided in _plan.py and applied in _executor.py; the list form is in _relay_list.py.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from ansible_collections.tencentcloud.trtc.plugins.module_utils._checks import (
    ConfigurationError, has_invisible_characters, require_integer,
)
from ansible_collections.tencentcloud.trtc.plugins.module_utils._stream_urls import masked_url
from ansible_collections.tencentcloud.trtc.plugins.module_utils._facts import (
    BY_NAME, DEFAULT_SITE, OPTIONS, SITES, option_range,
)

STREAM_URL_SCHEMES = ('http', 'https', 'rtmp', 'rtmps')
SDK_APP_ID_MAX = 2 ** 32 - 1
# StartStreamIngest: RoomIdType 1 (the default) is a 32-bit integer room id, 0 a string of up to 64 characters.
ROOM_ID_TYPES = {'string': 0, 'integer': 1}
INTEGER_ROOM_ID_RANGE = (1, 4294967294)
STRING_ROOM_ID_MAX_LENGTH = 64
# TRTC user IDs: letters, digits, underscores and hyphens, at most 32 of them.
USER_ID_PATTERN = re.compile(r'[A-Za-z0-9_-]{1,32}')
# An integer room id as the service reads one: ASCII digits, no leading zero.
INTEGER_ROOM_ID_PATTERN = re.compile(r'[1-9][0-9]*')
# The longest UserSig lifetime the module makes: ten years (a Start needs a UserSig valid only at that moment).
MAX_USER_SIG_EXPIRE = 10 * 365 * 86400
DEFAULT_USER_SIG_EXPIRE = 86400
IN_PROGRESS = 'InProgress'
NOT_EXIST = 'NotExist'
# StopStreamIngest of a task that is no more. (After a retried Stop, the first attempt may have stopped it.)
TASK_GONE_CODES = ('FailedOperation.TaskFinished', 'FailedOperation.TaskNotExist')


def stream_url_problem(value):
    """Why value is not an absolute stream URL, or None when it is one (the URL is shown with credentials masked)."""
    shown = masked_url(value)
    if not value or value != value.strip() or any(char.isspace() for char in value):
        return 'must be a non-empty absolute URL without spaces, got %r' % shown
    if has_invisible_characters(value):
        return 'must not hold control or invisible characters, got %r' % shown
    try:
        parts = urlsplit(value)
        parts.port
    except ValueError:
        return 'must be a valid absolute URL (a host, and a port that is a number), got %r' % shown
    if parts.scheme.lower() not in STREAM_URL_SCHEMES or not parts.hostname:
        return 'must be an absolute URL with a host and one of the schemes %s, got %r' % (
            ', '.join(STREAM_URL_SCHEMES), shown)
    return None


def volume_problem(value, site=DEFAULT_SITE):
    high = SITES[site]['max_volume']
    if isinstance(value, bool):
        return 'must be an integer, got a boolean (%s)' % value
    if value is not None and not 0 <= value <= high:
        return 'must be between 0 and %d on the %s site, got %d' % (high, site, value)
    return None


def site_problems(site, values):
    """(option, problem) for each value the site refuses: options of other sites only, a volume above its maximum."""
    problems = [(option.name, 'is accepted only on the %s (site=%s); this is the %s site' % (
        ' or the '.join(SITES[only]['title'] for only in option.sites), '|'.join(option.sites), site))
        for option in OPTIONS if values.get(option.name) is not None and site not in option.sites]
    problems.append(('volume', volume_problem(values.get('volume'), site)))
    tempo = values.get('tempo')
    if tempo is not None and tempo not in BY_NAME['tempo'].choices:
        problems.append(('tempo', 'must be one of %s, got %s' % (
            ', '.join('%g' % choice for choice in BY_NAME['tempo'].choices), tempo)))
    idle_timeout = values.get('idle_timeout')
    low, high = option_range('idle_timeout')
    if idle_timeout is not None and not low <= idle_timeout <= high:
        problems.append(('idle_timeout', 'must be from %d to %d seconds, got %d' % (low, high, idle_timeout)))
    return [(name, problem) for name, problem in problems if problem]


def room_id_problem(room_id, room_id_type):
    """Why room_id cannot name a room of room_id_type, or None."""
    if room_id_type == 'integer':
        low, high = INTEGER_ROOM_ID_RANGE
        if not INTEGER_ROOM_ID_PATTERN.fullmatch(room_id) or not low <= int(room_id) <= high:
            return ('must be an integer from %d to %d (ASCII digits, no leading zero) with room_id_type=integer '
                    '(the default), got %r; set room_id_type=string for a string room id' % (low, high, room_id))
    elif not 0 < len(room_id.encode('utf-8')) <= STRING_ROOM_ID_MAX_LENGTH:
        return 'must be 1 to %d characters with room_id_type=string (TRTC counts UTF-8 bytes), got %d bytes' % (
            STRING_ROOM_ID_MAX_LENGTH, len(room_id.encode('utf-8')))
    elif has_invisible_characters(room_id) or room_id != room_id.strip():
        return ('must not hold control or invisible characters (such as zero-width spaces or direction overrides) '
                'nor start or end with white space, got %r' % room_id)
    elif unicodedata.normalize('NFC', room_id) != room_id:
        # Refused rather than normalized: what is sent must be the room as written, and no two spellings one room.
        return ('must be in Unicode normalization form NFC (TRTC compares bytes, so another form of the same text '
                'names another room): write it as %r' % unicodedata.normalize('NFC', room_id))
    return None


def user_id_problem(value):
    """Why value cannot be a TRTC user ID, or None."""
    if not USER_ID_PATTERN.fullmatch(value):
        return 'must be 1 to 32 letters, digits, underscores or hyphens (a TRTC user ID), got %r' % value
    return None


def require_sdk_app_id(value):
    require_integer(value, 'sdk_app_id')
    if not 0 < value <= SDK_APP_ID_MAX:
        raise ConfigurationError('sdk_app_id: must be a positive 32-bit integer (1 to %d), got %d'
                                 % (SDK_APP_ID_MAX, value))
