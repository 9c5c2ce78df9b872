# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""TC3-HMAC-SHA256 request signing for Tencent Cloud API 3.0.

Pure standard library on purpose: no Ansible, no requests, so that it can be
checked alone against the golden vectors and the official SDK.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac

ALGORITHM = 'TC3-HMAC-SHA256'
SIGNED_HEADERS = 'content-type;host'


def sha256_hex(data):
    """Hex SHA-256 of bytes (str is UTF-8 encoded first)."""
    if not isinstance(data, bytes):
        data = data.encode('utf-8')
    return hashlib.sha256(data).hexdigest()


def _hmac(key, msg):
    return hmac.new(key, msg.encode('utf-8'), hashlib.sha256).digest()


def scope_date(timestamp):
    """The UTC date of a unix timestamp, as the credential scope wants it."""
    moment = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=int(timestamp))
    return moment.strftime('%Y-%m-%d')


def canonical_request(content_type, host, payload):
    """The canonical request of a POST to / that signs content-type and host."""
    return '\n'.join([
        'POST', '/', '',
        'content-type:%s\nhost:%s\n' % (content_type, host),
        SIGNED_HEADERS,
        sha256_hex(payload),
    ])


def string_to_sign(timestamp, service, canonical):
    return '\n'.join([
        ALGORITHM,
        str(int(timestamp)),
        '%s/%s/tc3_request' % (scope_date(timestamp), service),
        sha256_hex(canonical),
    ])


def signature(secret_key, timestamp, service, to_sign):
    key = _hmac(('TC3' + secret_key).encode('utf-8'), scope_date(timestamp))
    key = _hmac(key, service)
    key = _hmac(key, 'tc3_request')
    return hmac.new(key, to_sign.encode('utf-8'), hashlib.sha256).hexdigest()


def authorization(secret_id, secret_key, service, host, content_type, payload, timestamp):
    """The Authorization header value for one request."""
    canonical = canonical_request(content_type, host, payload)
    to_sign = string_to_sign(timestamp, service, canonical)
    return '%s Credential=%s/%s/%s/tc3_request, SignedHeaders=%s, Signature=%s' % (
        ALGORITHM, secret_id, scope_date(timestamp), service, SIGNED_HEADERS,
        signature(secret_key, timestamp, service, to_sign))


def signed_headers(credentials, service, host, action, version, region, payload, timestamp,
                   content_type='application/json'):
    """Every header of a signed API 3.0 request.

    credentials is a (secret_id, secret_key, token) triple; token may be None.
    payload is the body exactly as it will be sent.
    """
    secret_id, secret_key, token = credentials
    headers = {
        'Content-Type': content_type,
        'Host': host,
        'X-TC-Action': action,
        'X-TC-Version': version,
        'X-TC-Timestamp': str(int(timestamp)),
        'X-TC-Region': region,
        'Authorization': authorization(secret_id, secret_key, service, host, content_type, payload, timestamp),
    }
    if token:
        headers['X-TC-Token'] = token
    return headers
