# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Hiding no_log values in a result, the same on every ansible-core and on both execution paths.

ansible-core up to 2.21 masks a module's result with ``remove_values()``; 2.22 deprecates it and masks
only what callbacks show (with ``$REDACTED$``), leaving the values in registered variables. The
collection masks its results itself, before ansible-core sees them, with the rules remove_values had:
a value that is a no_log value becomes ``VALUE_SPECIFIED_IN_NO_LOG_PARAMETER``, a no_log value inside
a longer text becomes ``********``, a number that shows one becomes the placeholder; keys are kept.
Standard library only.
"""

from __future__ import annotations

from collections.abc import Mapping, Set

WHOLE_VALUE = 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
PART_OF_TEXT = '********'


def masked(value, no_log_values):
    """A copy of value (a result, or any part of one) with every no_log value hidden."""
    # Longest first, so that a secret holding a shorter one is hidden whole.
    secrets = sorted((str(secret) for secret in no_log_values if secret not in (None, '')), key=len, reverse=True)
    if not secrets:
        return value
    return _masked(value, secrets, frozenset(secrets))


def _masked(value, secrets, secret_set):
    # An exception object (ansible-core 2.19+ takes one in fail_json) is formatted by ansible-core itself.
    if value is None or isinstance(value, (bool, BaseException)):
        return value
    if isinstance(value, bytes):
        return _masked_text(value.decode('utf-8', 'surrogateescape'), secrets, secret_set).encode('utf-8', 'surrogateescape')
    if isinstance(value, str):
        return _masked_text(value, secrets, secret_set)
    if isinstance(value, (int, float)):
        text = str(value)
        return WHOLE_VALUE if any(secret in text for secret in secrets) else value
    if isinstance(value, Mapping):
        return dict((key, _masked(item, secrets, secret_set)) for key, item in value.items())
    if isinstance(value, Set):
        return set(_masked(item, secrets, secret_set) for item in value)
    if isinstance(value, (list, tuple)):
        return [_masked(item, secrets, secret_set) for item in value]
    # Not a type a result holds (the value itself is not shown: it could be a secret).
    raise TypeError('a result holds a value of type %s, which cannot be checked for no_log values' % type(value).__name__)


def _masked_text(text, secrets, secret_set):
    if text in secret_set:
        return WHOLE_VALUE
    for secret in secrets:
        text = text.replace(secret, PART_OF_TEXT)
    return text
