# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
name: user_sig
short_description: Make the UserSig of a TRTC user (TLS sig v2)
version_added: 1.1.0
author:
  - TRTC collection maintainers (@tencentcloud)
description:
  - Makes the UserSig, the login signature of a TRTC user, from the user ID given as input, the application's
    SDKAppId and its SDK secret key, as Tencent's TLS sig v2 generators do.
  - The UserSig is signed at the time the filter runs, on the controller's clock, and is valid for O(expire)
    seconds from then.
  - The SDK secret key is the application's key from the TRTC console, not the SecretKey of a Tencent Cloud API key.
positional: _input, sdk_app_id, key, expire
options:
  _input:
    description:
      - The user ID (UserId) that the UserSig lets log in, for instance the robot user of a relay task.
    type: string
    required: true
  sdk_app_id:
    description:
      - The SDKAppId of the TRTC application.
      - A positive integer, or a string of decimal digits (as extra vars given with C(-e) are).
    type: int
    required: true
  key:
    description:
      - The SDK secret key of the TRTC application.
      - It never appears in an error message of this filter.
    type: string
    required: true
  expire:
    description:
      - How long the UserSig is valid, in seconds from now.
      - A positive integer, or a string of decimal digits.
    type: int
    default: 86400
notes:
  - The result is a credential. Do not print it, and set C(no_log) on tasks whose arguments or results hold it.
  - Ansible evaluates templates lazily. A variable defined with this filter in C(vars) makes a new UserSig, with a new
    time, each time it is used; use M(ansible.builtin.set_fact) to make one UserSig and keep it.
  - The result is not byte for byte what other generators make for the same time (their JSON spacing and zlib
    level differ); the service checks its content, which is the same.
seealso:
  - module: tencentcloud.trtc.trtc_stream_ingest
  - name: The official TLS sig v2 generator for Python
    description: The reference this filter is tested against.
    link: https://github.com/tencentyun/tls-sig-api-v2-python
'''

EXAMPLES = r'''
- name: Make the UserSig of the robot user of a relay, valid for an hour
  ansible.builtin.set_fact:
    relay_user_sig: "{{ 'relay-cam-1' | tencentcloud.trtc.user_sig(sdk_app_id=1400188366, key=sdk_secret_key, expire=3600) }}"
  no_log: true

- name: The same with the default lifetime of 86400 seconds (one day)
  ansible.builtin.set_fact:
    relay_user_sig: "{{ 'relay-cam-1' | tencentcloud.trtc.user_sig(sdk_app_id=1400188366, key=sdk_secret_key) }}"
  no_log: true
'''

RETURN = r'''
_value:
  description:
    - The UserSig, in the base64 alphabet of UserSigs (C(*), C(-) and C(_) instead of C(+), C(/) and C(=)).
  type: string
'''

import re
import time

from ansible.errors import AnsibleFilterError
from ansible.parsing import vault

from ansible_collections.tencentcloud.trtc.plugins.module_utils._usersig import UserSigInputError, make_user_sig

if hasattr(vault, 'EncryptedString'):  # ansible-core 2.19 and later decrypt a vaulted value before a filter gets it
    STILL_ENCRYPTED_TYPES = ()
else:
    from ansible.parsing.yaml.objects import AnsibleVaultEncryptedUnicode
    STILL_ENCRYPTED_TYPES = (AnsibleVaultEncryptedUnicode,)

FILTER_NAME = 'tencentcloud.trtc.user_sig'
DEFAULT_EXPIRE = 86400
# The option of the filter that gives each parameter of make_user_sig.
OPTION_OF_PARAMETER = {
    'sdk_app_id': 'sdk_app_id',
    'sdk_secret_key': 'key',
    'user_id': '_input (the user ID)',
    'expire': 'expire',
    'now': 'the current time',
}
DECIMAL_DIGITS = re.compile(r'^\s*[0-9]+\s*$')


def _plain(value):
    """The text of a vaulted value that ansible-core before 2.19 passes to a filter still encrypted; else value."""
    if STILL_ENCRYPTED_TYPES and isinstance(value, STILL_ENCRYPTED_TYPES):
        return value.data
    return value


def _integer_option(value):
    """An int for a string of decimal digits (extra vars are strings); any other value as it is, checked later."""
    if isinstance(value, str) and DECIMAL_DIGITS.match(value):
        return int(value)
    return value


def _filter_error(option, problem):
    """The AnsibleFilterError of a bad option; problem must never hold the key."""
    return AnsibleFilterError('%s: %s %s' % (FILTER_NAME, option, problem))


def user_sig(user_id, sdk_app_id=None, key=None, expire=DEFAULT_EXPIRE):
    """The UserSig of user_id in the app sdk_app_id, made now with key and valid for expire seconds."""
    if sdk_app_id is None:
        raise _filter_error('sdk_app_id', 'is required')
    if key is None:
        raise _filter_error('key', 'is required')
    if expire is None:
        expire = DEFAULT_EXPIRE
    sdk_app_id, key, user_id, expire = [_plain(value) for value in (sdk_app_id, key, user_id, expire)]
    try:
        return make_user_sig(_integer_option(sdk_app_id), key, user_id, _integer_option(expire), time.time())
    except UserSigInputError as error:
        bad = (OPTION_OF_PARAMETER[error.parameter], error.problem)
    # Raised outside the except block, so that no chained exception is shown with it.
    raise _filter_error(*bad)


class FilterModule(object):
    """The UserSig filter of tencentcloud.trtc."""

    def filters(self):
        """The filters of this file by name."""
        return {
            'user_sig': user_sig,
        }
