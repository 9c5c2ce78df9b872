# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Credentials in stream URLs (rtmp://user:password@host/..., signed ?txSecret=... or ?auth_key=...).

A stream URL is sent to the service as given, and shown everywhere else with its credentials masked: in
results, diffs, warnings and errors. The record keeps a URL with credentials as its masked form and an HMAC
of the whole URL (keyed with the API secret key, so that a reader of the record cannot test guesses), which
is enough to tell whether a URL asked for is the one last applied. Standard library only.
"""

from __future__ import annotations

import hmac
import re
from urllib.parse import unquote

MASK = '***'
# Parameters whose value is a credential: signed-URL schemes of CDNs and clouds (txSecret, auth_key, sign, sig,
# token, X-Amz-Signature, Signature, ...) name them so; percent-encoded names are read decoded.
SECRET_PARAMETER_NAME = re.compile(r'secret|sig|token|auth|key|pass|pwd|credential', re.IGNORECASE)
URL_PARTS = re.compile(r'^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<authority>[^/?#]*)(?P<path>[^?#]*)'
                       r'(?P<query>\?[^#]*)?(?P<fragment>#.*)?$', re.DOTALL)
# name=value pairs: in a query (&), a fragment (&) or path parameters (;).
PAIR_SEPARATORS = re.compile(r'([&;])')


def masked_url(url):
    """url with the password of its user part (or a user part alone, often a token) and secret query values masked."""
    if not isinstance(url, str):
        return url
    parts = URL_PARTS.match(url)
    if parts is None:  # no scheme://: shown whole unless it may hold a user part or parameters
        return MASK if '@' in url or '?' in url else url
    authority = parts.group('authority')
    if '@' in authority:
        userinfo, host = authority.rsplit('@', 1)
        user, has_password, dummy = userinfo.partition(':')
        authority = '%s:%s@%s' % (user, MASK, host) if has_password else '%s@%s' % (MASK, host)
    path, query, fragment = (_masked_pairs(parts.group(name) or '') for name in ('path', 'query', 'fragment'))
    return parts.group('scheme') + authority + path + query + fragment


def _masked_pairs(text):
    """text with the value of every name=value pair whose name reads as a credential masked."""
    return ''.join(_masked_parameter(piece) for piece in PAIR_SEPARATORS.split(text))


def _masked_parameter(piece):
    name, has_value, dummy = piece.partition('=')
    if has_value and SECRET_PARAMETER_NAME.search(unquote(name.lstrip('?#/'))):
        return '%s=%s' % (name, MASK)
    return piece


def has_credentials(url):
    return isinstance(url, str) and masked_url(url) != url


def record_form(url, fingerprint):
    """What the record keeps of a stream URL: the URL itself, or, when it holds credentials, {masked, hmac}."""
    if not has_credentials(url):
        return url
    return dict(masked=masked_url(url), hmac=fingerprint(url))


def shown(value):
    """A stream URL (or its record form) as results, diffs and messages show it."""
    if isinstance(value, dict):
        return value.get('masked') or MASK
    return masked_url(value)


def revealed(stored, asked, fingerprint):
    """The URL asked for when the record form stored is that very URL; else stored itself (not equal to any URL)."""
    if isinstance(stored, dict) and isinstance(asked, str) and hmac.compare_digest(
            str(stored.get('hmac') or ''), fingerprint(asked)):
        return asked
    return stored
