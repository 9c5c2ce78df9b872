# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Checks of a decoded UserSig that only the tests need: its expiry, and whether an SDK secret key made it."""

from __future__ import annotations

import hmac

from ansible_collections.tencentcloud.trtc.plugins.module_utils._usersig import _is_integer, _result_or_none, tls_sig


def expires_at(fields):
    """The unix second at which decoded UserSig fields stop being valid: TLS.time + TLS.expire."""
    return fields['TLS.time'] + fields['TLS.expire']


def signature_matches(fields, sdk_secret_key):
    """True when the TLS.sig of decoded fields is the one sdk_secret_key makes for their other fields.

    Fields of the wrong type or missing make it False; the comparison takes constant time.
    """
    sdk_app_id, user_id = fields.get('TLS.sdkappid'), fields.get('TLS.identifier')
    now, expire, sig = fields.get('TLS.time'), fields.get('TLS.expire'), fields.get('TLS.sig')
    if not (_is_integer(sdk_app_id) and _is_integer(now) and _is_integer(expire)
            and isinstance(user_id, str) and isinstance(sig, str)):
        return False
    expected = _result_or_none(lambda key: tls_sig(key, sdk_app_id, user_id, now, expire),
                               sdk_secret_key, (UnicodeEncodeError,))
    if expected is None:
        return False
    return hmac.compare_digest(expected.encode('ascii'), sig.encode('utf-8', 'replace'))
