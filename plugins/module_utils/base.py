# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What every module of the collection shares: the connection options, credentials and failure reporting."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import math
import os

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib
from ansible_collections.tencentcloud.trtc.plugins.module_utils.client import (
    DEFAULT_ENDPOINT, HAS_REQUESTS, REQUESTS_IMPORT_ERROR, TrtcClient, parse_endpoint,
)
from ansible_collections.tencentcloud.trtc.plugins.module_utils.ratelimit import DEFAULT_RATE_LIMIT, HostRateLimiter
from ansible_collections.tencentcloud.trtc.plugins.module_utils.record import (
    DEFAULT_RECORD_FILE, LastAppliedRecord, NoRecord, RecordError,
)

SDK_APP_ID_MAX = 2 ** 32 - 1
REGIONS = ('ap-bangkok', 'ap-guangzhou', 'ap-jakarta', 'ap-mumbai', 'ap-singapore', 'ap-tokyo')
TOKEN_ENV_VARS = ['TENCENTCLOUD_SESSION_TOKEN', 'TENCENTCLOUD_SECURITY_TOKEN', 'TENCENTCLOUD_TOKEN']

CONNECTION_ARGUMENT_SPEC = dict(
    secret_id=dict(type='str', no_log=False, fallback=(env_fallback, ['TENCENTCLOUD_SECRET_ID'])),
    secret_key=dict(type='str', no_log=True, fallback=(env_fallback, ['TENCENTCLOUD_SECRET_KEY'])),
    session_token=dict(type='str', no_log=True, fallback=(env_fallback, TOKEN_ENV_VARS)),
    profile=dict(type='str', fallback=(env_fallback, ['TCCLI_PROFILE'])),
    region=dict(type='str', fallback=(env_fallback, ['TENCENTCLOUD_REGION'])),
    endpoint=dict(type='str', fallback=(env_fallback, ['TENCENTCLOUD_TRTC_ENDPOINT'])),
    validate_certs=dict(type='bool', default=True),
    timeout=dict(type='float', default=10.0),
    rate_limit=dict(type='int', default=DEFAULT_RATE_LIMIT, fallback=(env_fallback, ['TENCENTCLOUD_TRTC_RATE_LIMIT'])),
)

RECORD_ARGUMENT_SPEC = dict(
    record_file=dict(type='path', default=DEFAULT_RECORD_FILE,
                     fallback=(env_fallback, ['TENCENTCLOUD_TRTC_RECORD_FILE'])),
)


class ConfigurationError(Exception):
    """A connection setting that cannot work; the message names the option."""


def read_tccli_profile(name, home):
    """(credential, configure) dicts of a tccli profile; {} for a file that does not exist."""
    found = []
    for suffix in ('credential', 'configure'):
        path = os.path.join(home, '.tccli', '%s.%s' % (name, suffix))
        try:
            with open(path) as handle:
                content = json.load(handle)
        except (IOError, OSError):
            content = {}
        except ValueError as exc:
            raise ConfigurationError('profile: %s is not valid JSON (%s)' % (path, exc))
        found.append(content if isinstance(content, dict) else {})
    return found[0], found[1]


def resolve_connection(params, home=None):
    """Credentials, region and endpoint from the options, the environment, then a tccli profile."""
    home = home or os.path.expanduser('~')
    secret_id, secret_key, token = params['secret_id'], params['secret_key'], params['session_token']
    credential, configure = {}, {}
    if params['profile'] or not (secret_id or secret_key):
        profile = params['profile'] or 'default'
        credential, configure = read_tccli_profile(profile, home)
        if not (secret_id or secret_key):
            if not credential.get('secretId') or not credential.get('secretKey'):
                raise ConfigurationError(
                    'no credentials: set secret_id and secret_key (or TENCENTCLOUD_SECRET_ID and '
                    'TENCENTCLOUD_SECRET_KEY), or a tccli profile with secretId and secretKey in %s'
                    % os.path.join(home, '.tccli', profile + '.credential'))
            secret_id, secret_key = credential['secretId'], credential['secretKey']
            token = token or credential.get('token')
    if not secret_id:
        raise ConfigurationError('secret_id is required when secret_key is given')
    if not secret_key:
        raise ConfigurationError('secret_key is required when secret_id is given')
    region = params['region'] or (configure.get('_sys_param') or {}).get('region')
    if not region:
        raise ConfigurationError('region is required: set region or TENCENTCLOUD_REGION; one of %s'
                                 % ', '.join(REGIONS))
    if region not in REGIONS:
        raise ConfigurationError('region: %r is not a region of this API; use one of %s' % (region, ', '.join(REGIONS)))
    endpoint = params['endpoint'] or (configure.get('trtc') or {}).get('endpoint') or DEFAULT_ENDPOINT
    try:
        parse_endpoint(endpoint)
    except ValueError as exc:
        raise ConfigurationError('endpoint: %s' % exc)
    if not math.isfinite(params['timeout']) or params['timeout'] <= 0:
        raise ConfigurationError('timeout: must be a positive number of seconds, got %s' % params['timeout'])
    require_integer(params['rate_limit'], 'rate_limit')
    if params['rate_limit'] < 0:
        raise ConfigurationError('rate_limit: must be 0 (no limit) or a positive number of requests per second, '
                                 'got %d' % params['rate_limit'])
    return dict(credentials=(secret_id, secret_key, token or None), region=region, endpoint=endpoint)


def require_task_id(value, option='task_id'):
    if not value or not value.strip():
        raise ConfigurationError('%s: must be a non-empty string' % option)


def require_integer(value, option):
    """AnsibleModule takes a boolean for an int option (bool is an int in Python); the API does not."""
    if isinstance(value, bool):
        raise ConfigurationError('%s: must be an integer, got a boolean (%s)' % (option, value))


def require_sdk_app_id(value):
    require_integer(value, 'sdk_app_id')
    if not 0 < value <= SDK_APP_ID_MAX:
        raise ConfigurationError('sdk_app_id: must be a positive 32-bit integer (1 to %d), got %d'
                                 % (SDK_APP_ID_MAX, value))


class TrtcRunner:
    """What a module run needs besides its own logic: params, check mode, a client, the record, failures.

    TrtcModule runs as an Ansible module; the action plugins run the same logic inside the controller
    with their own subclass. Subclasses set params and check_mode and provide warn, fail_json and exit_json.
    """

    params = None
    check_mode = False

    def warn(self, message):
        raise NotImplementedError

    def fail_json(self, **result):
        raise NotImplementedError

    def exit_json(self, **result):
        raise NotImplementedError

    def run(self, run_function):
        """Run a module's logic; an unexpected error fails the run with its message, never a traceback."""
        try:
            run_function(self)
        except Exception as exc:  # pylint: disable=broad-exception-caught
            self.fail_json(msg='unexpected error in %s: %s: %s' % (run_function.__name__, type(exc).__name__, exc))

    def check(self, validation, *args):
        """Run a validation of module_utils; its ConfigurationError fails the run before any request."""
        try:
            return validation(*args)
        except ConfigurationError as exc:
            self.fail_json(msg=str(exc))

    def client(self):
        connection = self.check(resolve_connection, self.params)
        secret_id = connection['credentials'][0]
        return TrtcClient(connection['credentials'], connection['region'], connection['endpoint'],
                          timeout=self.params['timeout'], validate_certs=self.params['validate_certs'],
                          throttle=HostRateLimiter(secret_id, self.params['rate_limit'], warn=self.warn))

    def record(self, read_only=False):
        """The last-applied record, checked before any request: a file that is no record fails the run.

        Where only reading is wanted, such a file is a warning and counts as empty.
        """
        try:
            record = LastAppliedRecord(self.params['record_file'])
            record.check()
        except RecordError as exc:
            if not read_only:
                self.fail_json(msg=str(exc))
            self.warn('%s; nothing is known of any task' % exc)
            return NoRecord()
        return record

    def fail_api(self, error, **result):
        """Fail with the Tencent error code, message and RequestId, in msg and in an error dict."""
        self.fail_json(msg=str(error), error=error.to_dict(), **result)


def full_argument_spec(argument_spec):
    """A module's own options plus the shared connection and record options."""
    spec = dict(CONNECTION_ARGUMENT_SPEC)
    spec.update(RECORD_ARGUMENT_SPEC)
    spec.update(argument_spec)
    return spec


class TrtcModule(TrtcRunner):
    """A run as an Ansible module, on whatever host the task targets."""

    def __init__(self, argument_spec, **kwargs):
        self.module = AnsibleModule(argument_spec=full_argument_spec(argument_spec), **kwargs)
        self.params = self.module.params
        self.check_mode = self.module.check_mode
        if not HAS_REQUESTS:
            self.module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)

    def warn(self, message):
        self.module.warn(message)

    def fail_json(self, **result):
        self.module.fail_json(**result)

    def exit_json(self, **result):
        self.module.exit_json(**result)
