# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""TLS sig v2 UserSig: the login signature of a TRTC user, made from the application's SDK secret key.

The UserSig is the JSON of TLS.ver, TLS.identifier, TLS.sdkappid, TLS.expire, TLS.time and TLS.sig,
zlib-compressed and base64-encoded with ``+``, ``/`` and ``=`` written ``*``, ``-`` and ``_``.
TLS.sig is the base64 HMAC-SHA256, keyed with the SDK secret key, of the four other fields.

Pure standard library on purpose: no Ansible, no requests, so that it can be checked alone
against the official generator. Neither the key nor a signature ever appears in an exception.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import zlib

VERSION = '2.0'
STANDARD_BASE64 = '+/='
USER_SIG_BASE64 = '*-_'
MAX_DOCUMENT_BYTES = 65536  # a UserSig's JSON is about 200 bytes; a bigger one is refused, not inflated
MAX_UNIX_SECONDS = 2 ** 63  # beyond it int(now) is no unix time; also refuses inf and nan


class UserSigInputError(ValueError):
    """A bad input of make_user_sig; ``parameter`` holds the name of the parameter at fault."""

    def __init__(self, parameter, problem):
        ValueError.__init__(self, '%s %s' % (parameter, problem))
        self.parameter = parameter
        self.problem = problem


def _is_integer(value):
    """True for an int that is not a bool (bool is an int in Python)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _type_name(value):
    """The name of the type of value, to say what was given instead without showing it."""
    return type(value).__name__


def _describe_number(value):
    """The value itself when it is a number (never a secret), else only its type."""
    if _is_integer(value) or isinstance(value, float):
        return repr(value)
    return _type_name(value)


def _result_or_none(step, data, failures):
    """step(data), or None when it raises one of failures (outside the except block: no chained exception)."""
    try:
        return step(data)
    except failures:
        return None


def _check_text(value, parameter):
    """Raise UserSigInputError unless value is a non-empty str that UTF-8 can encode; never shows value."""
    if not isinstance(value, str) or not value:
        raise UserSigInputError(parameter, 'must be a non-empty string, got %s' % (
            'an empty string' if isinstance(value, str) else _type_name(value)))
    if _result_or_none(lambda text: text.encode('utf-8'), value, (UnicodeEncodeError,)) is None:
        raise UserSigInputError(parameter, 'must be text that UTF-8 can encode (it holds a lone surrogate)')


def check_inputs(sdk_app_id, sdk_secret_key, user_id, expire, now):
    """Raise UserSigInputError naming the first bad parameter; the message never holds the key."""
    if not _is_integer(sdk_app_id) or sdk_app_id < 1:
        raise UserSigInputError('sdk_app_id', 'must be a positive integer, got %s' % _describe_number(sdk_app_id))
    _check_text(sdk_secret_key, 'sdk_secret_key')
    _check_text(user_id, 'user_id')
    if not _is_integer(expire) or expire < 1:
        raise UserSigInputError('expire', 'must be a positive integer (seconds), got %s' % _describe_number(expire))
    if isinstance(now, bool) or not isinstance(now, (int, float)) or not 0 <= now < MAX_UNIX_SECONDS:
        raise UserSigInputError('now', 'must be unix seconds (a non-negative number), got %s' % _describe_number(now))


def content_to_sign(sdk_app_id, user_id, now, expire):
    """The text that TLS.sig signs: four ``TLS.name:value`` lines, each ending with a newline."""
    return 'TLS.identifier:%s\nTLS.sdkappid:%d\nTLS.time:%d\nTLS.expire:%d\n' % (user_id, sdk_app_id, now, expire)


def tls_sig(sdk_secret_key, sdk_app_id, user_id, now, expire):
    """TLS.sig: the standard base64 of HMAC-SHA256(key=sdk_secret_key, msg=content_to_sign(...))."""
    digest = hmac.new(sdk_secret_key.encode('utf-8'),
                      content_to_sign(sdk_app_id, user_id, now, expire).encode('utf-8'),
                      hashlib.sha256).digest()
    return base64.b64encode(digest).decode('ascii')


def encode_user_sig_base64(data):
    """Base64 of bytes with ``+``, ``/``, ``=`` written ``*``, ``-``, ``_``, as a UserSig has it."""
    text = base64.b64encode(data).decode('ascii')
    for standard, substitute in zip(STANDARD_BASE64, USER_SIG_BASE64):
        text = text.replace(standard, substitute)
    return text


def decode_user_sig_base64(text):
    """The bytes of a UserSig's base64 (``*``, ``-``, ``_`` read as ``+``, ``/``, ``=``)."""
    for substitute, standard in zip(USER_SIG_BASE64, STANDARD_BASE64):
        text = text.replace(substitute, standard)
    return base64.b64decode(text.encode('ascii'), validate=True)


def user_sig_fields(sdk_app_id, sdk_secret_key, user_id, expire, now):
    """The fields of a UserSig, TLS.sig included, for checked inputs; now is rounded down to whole seconds."""
    now = int(now)
    return {
        'TLS.ver': VERSION,
        'TLS.identifier': user_id,
        'TLS.sdkappid': sdk_app_id,
        'TLS.expire': expire,
        'TLS.time': now,
        'TLS.sig': tls_sig(sdk_secret_key, sdk_app_id, user_id, now, expire),
    }


def make_user_sig(sdk_app_id, sdk_secret_key, user_id, expire, now):
    """The UserSig of user_id in the app sdk_app_id, valid for expire seconds from now (unix seconds).

    Raises UserSigInputError (a ValueError) naming the bad parameter.
    """
    check_inputs(sdk_app_id, sdk_secret_key, user_id, expire, now)
    fields = user_sig_fields(sdk_app_id, sdk_secret_key, user_id, expire, now)
    document = json.dumps(fields, separators=(',', ':'), sort_keys=True)
    return encode_user_sig_base64(zlib.compress(document.encode('utf-8')))


def _inflate(compressed):
    """The zlib-decompressed bytes, at most MAX_DOCUMENT_BYTES; zlib.error unless exactly one whole zlib stream."""
    inflater = zlib.decompressobj()
    document = inflater.decompress(compressed, MAX_DOCUMENT_BYTES)
    if inflater.unconsumed_tail or inflater.unused_data or not inflater.eof:
        raise zlib.error('not zlib data of at most %d bytes' % MAX_DOCUMENT_BYTES)
    return document


def decode_user_sig(user_sig):
    """The JSON fields of a UserSig, as a dict, TLS.sig included (never print it).

    Raises ValueError, without any part of user_sig in the message, when it is not a UserSig.
    """
    if not isinstance(user_sig, str) or not user_sig:
        raise ValueError('user_sig must be a non-empty string, got %s' % (
            'an empty string' if isinstance(user_sig, str) else _type_name(user_sig)))
    compressed = _result_or_none(decode_user_sig_base64, user_sig, (binascii.Error, ValueError))
    if compressed is None:
        raise ValueError('user_sig is not a UserSig: not base64 in the UserSig alphabet')
    document = _result_or_none(_inflate, compressed, (zlib.error,))
    if document is None:
        raise ValueError('user_sig is not a UserSig: not zlib-compressed data of at most %d bytes' % MAX_DOCUMENT_BYTES)
    fields = _result_or_none(lambda data: json.loads(data.decode('utf-8')), document, (ValueError,))
    if not isinstance(fields, dict):
        raise ValueError('user_sig is not a UserSig: not a JSON object')
    return fields
