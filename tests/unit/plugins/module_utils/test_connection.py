# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The connection every module shares, resolved from its options and a tccli profile (no module, no HTTP)."""

from __future__ import annotations

import json

import pytest

from ansible_collections.tencentcloud.trtc.plugins.module_utils._checks import ConfigurationError
from ansible_collections.tencentcloud.trtc.plugins.module_utils._connection import (
    credential_problem, read_tccli_profile, resolve_connection, resolve_site,
)

KEY = 'unit-secret-key-of-the-connection'


def options(**given):
    """The connection options as AnsibleModule hands them over (environment fallbacks applied)."""
    params = dict(secret_id=None, secret_key=None, session_token=None, profile=None, site=None, region=None,
                  endpoint=None, timeout=10.0, rate_limit=20)
    params.update(given)
    return params


def keys(**given):
    """Options naming a key pair and a region, and what is given."""
    return options(**dict(dict(secret_id='AKIDconn', secret_key=KEY, region='ap-singapore'), **given))


def write_profile(home, name='default', credential=None, configure=None):
    (home / '.tccli').mkdir(exist_ok=True)
    for suffix, content in (('credential', credential), ('configure', configure)):
        if content is not None:
            text = content if isinstance(content, str) else json.dumps(content)
            (home / '.tccli' / ('%s.%s' % (name, suffix))).write_text(text)


def refusal(params, home):
    with pytest.raises(ConfigurationError) as caught:
        resolve_connection(params, str(home))
    return str(caught.value)


def test_options_name_the_keys_region_and_the_sites_endpoint(tmp_path):
    connection = resolve_connection(keys(session_token='tok'), str(tmp_path))
    assert connection == dict(credentials=('AKIDconn', KEY, 'tok'), region='ap-singapore',
                              endpoint='trtc.intl.tencentcloudapi.com', site='intl')


def test_the_china_site_has_its_own_endpoint_and_regions(tmp_path):
    connection = resolve_connection(keys(site='china', region='ap-beijing'), str(tmp_path))
    assert (connection['endpoint'], connection['site']) == ('trtc.tencentcloudapi.com', 'china')


def test_without_keys_the_default_tccli_profile_gives_keys_token_region_and_endpoint(tmp_path):
    write_profile(tmp_path, credential=dict(secretId='AKIDprofile', secretKey=KEY, token='ptok'),
                  configure={'_sys_param': {'region': 'ap-tokyo'}, 'trtc': {'endpoint': 'http://127.0.0.1:8080'}})
    connection = resolve_connection(options(), str(tmp_path))
    assert connection == dict(credentials=('AKIDprofile', KEY, 'ptok'), region='ap-tokyo',
                              endpoint='http://127.0.0.1:8080', site='intl')


def test_a_named_profile_gives_its_settings_while_the_options_keys_win(tmp_path):
    write_profile(tmp_path, 'work', credential=dict(secretId='AKIDprofile', secretKey='profile-key'),
                  configure={'_sys_param': {'region': 'ap-mumbai'}})
    connection = resolve_connection(options(secret_id='AKIDconn', secret_key=KEY, profile='work'), str(tmp_path))
    assert (connection['credentials'], connection['region']) == (('AKIDconn', KEY, None), 'ap-mumbai')


def test_no_credentials_anywhere_names_every_way_to_give_them(tmp_path):
    message = refusal(options(region='ap-singapore'), tmp_path)
    assert 'TENCENTCLOUD_SECRET_ID' in message and str(tmp_path / '.tccli' / 'default.credential') in message


def test_a_profile_that_is_not_json_is_named(tmp_path):
    write_profile(tmp_path, credential='{not json')
    assert 'default.credential is not valid JSON' in refusal(options(), tmp_path)
    assert read_tccli_profile('absent', str(tmp_path)) == ({}, {})


@pytest.mark.parametrize('given, named', [
    (dict(secret_id='AKIDconn'), 'secret_key is required'),
    (dict(secret_key=KEY), 'secret_id is required'),
])
def test_half_a_key_pair_is_refused(tmp_path, given, named):
    assert named in refusal(options(region='ap-singapore', **given), tmp_path)


@pytest.mark.parametrize('option', ['secret_id', 'secret_key', 'session_token'])
@pytest.mark.parametrize('value', ['with space', 'n\u00e4me', 'line\nbreak'])
def test_a_credential_that_cannot_travel_in_a_header_is_refused_without_showing_it(tmp_path, option, value):
    message = refusal(dict(keys(session_token='tok'), **{option: value}), tmp_path)
    assert message.startswith(option + ': must be printable ASCII') and value not in message


def test_credential_problem_says_which_kind_of_character():
    assert 'outside ASCII' in credential_problem('\u00e9')
    assert 'space or control' in credential_problem('a\tb')
    assert credential_problem(None) is None and credential_problem('AKID-ok_1') is None


@pytest.mark.parametrize('given, expected', [
    (dict(region=None), 'region is required'),
    (dict(region='mars-1'), "'mars-1' is not a region of this API on the intl site"),
    (dict(region='ap-beijing'), 'ap-beijing is a region of the china site: set site=china'),
    (dict(endpoint='https://user@example.com'), 'endpoint: endpoint must not contain a user name'),
    (dict(timeout=0.0), 'timeout: must be a positive number'),
    (dict(timeout=float('nan')), 'timeout: must be a positive number'),
    (dict(rate_limit=True), 'rate_limit: must be an integer, got a boolean'),
    (dict(rate_limit=-1), 'rate_limit: must be 0 (no limit)'),
])
def test_settings_that_cannot_work_are_refused_naming_their_option(tmp_path, given, expected):
    assert expected in refusal(keys(**given), tmp_path)


def test_the_site_follows_a_tencent_endpoint_and_a_mismatch_is_refused():
    assert resolve_site(None, 'trtc.tencentcloudapi.com') == 'china'
    assert resolve_site(None, 'http://127.0.0.1:8080') == 'intl'
    assert resolve_site('china', 'http://127.0.0.1:8080') == 'china'
    with pytest.raises(ConfigurationError, match="site: intl does not match the endpoint trtc.tencentcloudapi.com"):
        resolve_site('intl', 'trtc.tencentcloudapi.com')
