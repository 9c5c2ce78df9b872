# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The table of the API's facts drives the modules and agrees with the emulator, its independent copy."""

from __future__ import annotations

import os

import pytest
import yaml

from ansible_collections.tencentcloud.trtc.plugins.module_utils import _facts
from ansible_collections.tencentcloud.trtc.plugins.module_utils._trtc_stream_ingest import ARGUMENT_SPEC, ENTRY_OPTIONS
from ansible_collections.tencentcloud.trtc.plugins.modules import trtc_stream_ingest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..'))
# What names a relay or authenticates its robot user: not options of the table.
IDENTITY = ('SdkAppId', 'TaskId', 'RoomId', 'RoomIdType', 'UserId', 'UserSig', 'PrivateMapKey')
TYPES = {'str': str, 'int': int, 'bool': bool, 'float': float}


def emulator_parameters(emulator_service, action, site):
    types = emulator_service.parameter_types(action, site)
    return dict((name, value) for name, value in types.items() if name not in IDENTITY)


@pytest.mark.parametrize('site', sorted(_facts.SITES))
@pytest.mark.parametrize('action', [_facts.START, _facts.UPDATE])
def test_what_each_action_takes_on_each_site_agrees_with_the_emulator(emulator_service, action, site):
    ours = _facts.api_parameters(action, site)
    theirs = emulator_parameters(emulator_service, action, site)
    assert sorted(ours) == sorted(theirs)
    for name, kind in ours.items():
        expected = TYPES[kind]
        accepted = theirs[name] if isinstance(theirs[name], tuple) else (theirs[name],)
        assert expected in accepted, (name, kind, theirs[name])


@pytest.mark.parametrize('site', sorted(_facts.SITES))
def test_sites_agree_with_the_emulator(emulator_service, site):
    assert _facts.SITES[site]['regions'] == emulator_service.SITES[site]['regions']
    assert _facts.SITES[site]['max_volume'] == emulator_service.SITES[site]['max_volume']


def test_ranges_and_choices_agree_with_the_emulator(emulator_service):
    assert _facts.BY_NAME['tempo'].choices == emulator_service.TEMPO_CHOICES
    assert _facts.option_range('idle_timeout') == emulator_service.IDLE_TIMEOUT_RANGE
    assert _facts.API_VERSION == emulator_service.API_VERSION
    assert _facts.ACTIONS == emulator_service.ACTIONS


@pytest.mark.parametrize('guide', ['guide_getting_started.rst', 'guide_troubleshooting.rst'])
@pytest.mark.parametrize('site', sorted(_facts.SITES))
def test_the_guides_list_the_regions_of_each_site(guide, site):
    with open(os.path.join(ROOT, 'docs', 'docsite', 'rst', guide)) as handle:
        text = ' '.join(handle.read().split())
    listed = [region for region in _facts.SITES[site]['regions'] if '``%s``' % region in text]
    assert listed == list(_facts.SITES[site]['regions'])


def test_the_module_takes_every_option_of_the_table_with_its_type():
    for option in _facts.OPTIONS:
        for spec in (ARGUMENT_SPEC, ENTRY_OPTIONS):
            assert spec[option.name]['type'] == option.type
            assert spec[option.name].get('aliases', []) == list(option.aliases)


def test_the_module_documents_every_option_of_the_table_with_its_type():
    documented = yaml.safe_load(trtc_stream_ingest.DOCUMENTATION)['options']
    entry_documented = documented['tasks']['suboptions']
    for option in _facts.OPTIONS:
        for docs in (documented, entry_documented):
            assert docs[option.name]['type'] == option.type, option.name
        description = ' '.join(documented[option.name]['description'])
        for choice in option.choices or ():
            assert 'V(%s)' % choice in description, (option.name, choice)
        if len(option.sites) < len(_facts.SITES):
            assert 'China site only' in description, option.name
