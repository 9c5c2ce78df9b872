# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The connection every module shares: its options, credentials (options, environment, tccli
profiles), the site with its endpoint and regions, and the request settings."""

from __future__ import annotations

import json
import math
import os

from ansible.module_utils.basic import env_fallback
from ansible_collections.tencentcloud.trtc.plugins.module_utils._checks import ConfigurationError, require_integer
from ansible_collections.tencentcloud.trtc.plugins.module_utils._client import parse_endpoint
from ansible_collections.tencentcloud.trtc.plugins.module_utils._facts import DEFAULT_SITE, SITES
from ansible_collections.tencentcloud.trtc.plugins.module_utils._ratelimit import DEFAULT_RATE_LIMIT

TOKEN_ENV_VARS = ['TENCENTCLOUD_SESSION_TOKEN', 'TENCENTCLOUD_SECURITY_TOKEN', 'TENCENTCLOUD_TOKEN']

CONNECTION_ARGUMENT_SPEC = dict(
    secret_id=dict(type='str', no_log=False, fallback=(env_fallback, ['TENCENTCLOUD_SECRET_ID'])),
    secret_key=dict(type='str', no_log=True, fallback=(env_fallback, ['TENCENTCLOUD_SECRET_KEY'])),
    session_token=dict(type='str', no_log=True, fallback=(env_fallback, TOKEN_ENV_VARS)),
    profile=dict(type='str', fallback=(env_fallback, ['TCCLI_PROFILE'])),
    site=dict(type='str', choices=list(SITES), fallback=(env_fallback, ['TENCENTCLOUD_TRTC_SITE'])),
    region=dict(type='str', fallback=(env_fallback, ['TENCENTCLOUD_REGION'])),
    endpoint=dict(type='str', fallback=(env_fallback, ['TENCENTCLOUD_TRTC_ENDPOINT'])),
    validate_certs=dict(type='bool', default=True),
    timeout=dict(type='float', default=10.0),
    rate_limit=dict(type='int', default=DEFAULT_RATE_LIMIT, fallback=(env_fallback, ['TENCENTCLOUD_TRTC_RATE_LIMIT'])),
    rate_limit_dir=dict(type='path', fallback=(env_fallback, ['TENCENTCLOUD_TRTC_RATE_LIMIT_DIR'])),
    record_store=dict(type='str', no_log=True, fallback=(env_fallback, ['TENCENTCLOUD_TRTC_RECORD_STORE'])),
)


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


def credential_problem(value):
    """Why value cannot be a Tencent Cloud credential sent in a request header (the value itself is never shown)."""
    if value is None:
        return None
    if any(not 32 < ord(char) < 127 for char in value):
        return ('must be printable ASCII without spaces, as Tencent Cloud credentials are; it holds %s'
                % ('a character outside ASCII' if any(ord(char) > 127 for char in value)
                   else 'a space or control character'))
    return None


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
    for option, value in (('secret_id', secret_id), ('secret_key', secret_key), ('session_token', token)):
        problem = credential_problem(value)
        if problem:
            raise ConfigurationError('%s: %s' % (option, problem))
    endpoint = params['endpoint'] or (configure.get('trtc') or {}).get('endpoint')
    site = resolve_site(params.get('site'), endpoint)
    endpoint = endpoint or SITES[site]['endpoint']
    try:
        parse_endpoint(endpoint)
    except ValueError as exc:
        raise ConfigurationError('endpoint: %s' % exc)
    region = params['region'] or (configure.get('_sys_param') or {}).get('region')
    regions = SITES[site]['regions']
    if not region:
        raise ConfigurationError('region is required: set region or TENCENTCLOUD_REGION; on the %s site one of %s'
                                 % (site, ', '.join(regions)))
    if region not in regions:
        raise ConfigurationError('region: %r is not a region of this API on the %s site; use one of %s%s' % (
            region, site, ', '.join(regions), other_site_hint(site, region)))
    if not math.isfinite(params['timeout']) or params['timeout'] <= 0:
        raise ConfigurationError('timeout: must be a positive number of seconds, got %s' % params['timeout'])
    require_integer(params['rate_limit'], 'rate_limit')
    if params['rate_limit'] < 0:
        raise ConfigurationError('rate_limit: must be 0 (no limit) or a positive number of requests per second, '
                                 'got %d' % params['rate_limit'])
    return dict(credentials=(secret_id, secret_key, token or None), region=region, endpoint=endpoint, site=site)


def site_of_endpoint(endpoint):
    """The site whose host endpoint names, or None for any other host (the emulator, a proxy)."""
    try:
        host = parse_endpoint(endpoint)[1]
    except ValueError:
        return None
    return next((site for site, facts in SITES.items() if facts['endpoint'] == host), None)


def resolve_site(site, endpoint):
    """The site given; else the one the endpoint's host names; else the default. A mismatch is refused."""
    known = site_of_endpoint(endpoint) if endpoint else None
    if site and known and site != known:
        raise ConfigurationError('site: %s does not match the endpoint %s, which is the %s site\'s; set one of them '
                                 'only, or both to the same site' % (site, endpoint, known))
    return site or known or DEFAULT_SITE


def other_site_hint(site, region):
    others = [other for other, facts in SITES.items() if other != site and region in facts['regions']]
    return ' (%s is a region of the %s site: set site=%s)' % (region, others[0], others[0]) if others else ''
