# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The API's facts, in one table: its actions, the sites (endpoint, regions, limits) and every option a relay
takes (its API name, type, range, whether it is a setting or start-only, on which sites and by which actions).

The modules' argument specs, the site checks, the request bodies and the docs' tables are derived from it or
checked against it (tests/unit/plugins/module_utils/test_facts.py); the emulator keeps its own copy on purpose,
as the independent oracle, and a test proves the two agree. Standard library only.
"""

from __future__ import annotations

API_VERSION = '2019-07-22'
ACTIONS = ('StartStreamIngest', 'UpdateStreamIngest', 'DescribeStreamIngest', 'StopStreamIngest')
START, UPDATE = 'StartStreamIngest', 'UpdateStreamIngest'

# Tencent Cloud's sites serve the same API version with their own endpoint, regions (those that serve
# StartStreamIngest and UpdateStreamIngest) and limits.
SITES = {
    'intl': dict(title='international site', endpoint='trtc.intl.tencentcloudapi.com', max_volume=100,
                 regions=('ap-bangkok', 'ap-guangzhou', 'ap-jakarta', 'ap-mumbai', 'ap-singapore', 'ap-tokyo')),
    'china': dict(title='China site', endpoint='trtc.tencentcloudapi.com', max_volume=200,
                  regions=('ap-beijing', 'ap-chongqing', 'ap-guangzhou', 'ap-shanghai', 'ap-singapore')),
}
DEFAULT_SITE = 'intl'
ALL_SITES = tuple(SITES)

SETTING = 'setting'     # kept in the record, set by Start and changed by Update
START_ONLY = 'start'    # sent with StartStreamIngest only; a running relay keeps what it was started with


class Option:
    """One option of a relay: how the module names it, how the API does, and what the API accepts."""

    def __init__(self, name, api_name, value_type, kind, actions=(START, UPDATE), sites=ALL_SITES, default=None,
                 choices=None, minimum=None, maximum=None, aliases=()):
        self.name = name
        self.api_name = api_name
        self.type = value_type
        self.kind = kind
        self.actions = actions
        self.sites = sites
        self.default = default      # what the API assumes when the option is not sent
        self.choices = choices
        self.minimum = minimum
        self.maximum = maximum
        self.aliases = aliases

    def spec(self):
        """The option's argument spec entry (no default: an omitted option is not part of the desired state)."""
        spec = dict(type=self.type)
        if self.aliases:
            spec['aliases'] = list(self.aliases)
        return spec


TEMPO_CHOICES = (0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0)

OPTIONS = (
    Option('stream_url', 'StreamUrl', 'str', SETTING),
    Option('volume', 'Volume', 'int', SETTING, default=100, minimum=0),  # the maximum is the site's max_volume
    Option('paused', 'IsPause', 'bool', SETTING, actions=(UPDATE,), default=False, aliases=('is_pause',)),
    Option('tempo', 'Tempo', 'float', SETTING, sites=('china',), choices=TEMPO_CHOICES),
    Option('enable_progress', 'EnableProgress', 'bool', SETTING, sites=('china',)),
    Option('seek_second', 'SeekSecond', 'int', START_ONLY, actions=(START,), default=0, minimum=0),
    Option('auto_push', 'AutoPush', 'bool', START_ONLY, actions=(START,), default=False),
    Option('repeat_num', 'RepeatNum', 'int', START_ONLY, actions=(START,), default=1, minimum=-1, maximum=1000),
    Option('max_duration', 'MaxDuration', 'int', START_ONLY, actions=(START,), minimum=1, maximum=10080),
    Option('idle_timeout', 'IdleTimeout', 'int', START_ONLY, actions=(START,), sites=('china',), minimum=0,
           maximum=600),
)
BY_NAME = dict((option.name, option) for option in OPTIONS)

SETTINGS = tuple(option.name for option in OPTIONS if option.kind == SETTING)
START_OPTIONS = tuple(option.name for option in OPTIONS if option.kind == START_ONLY)
# The module's option names and the API's, for what a relay's settings and start options send.
API_NAMES = dict((option.name, option.api_name) for option in OPTIONS if option.kind == SETTING)
START_API_NAMES = dict((option.name, option.api_name) for option in OPTIONS if option.kind == START_ONLY)
# What StartStreamIngest assumes of a start option not sent.
START_DEFAULTS = dict((name, BY_NAME[name].default) for name in START_OPTIONS if BY_NAME[name].default is not None)
DEFAULT_VOLUME = BY_NAME['volume'].default


def option_range(name):
    option = BY_NAME[name]
    return option.minimum, option.maximum


def sites_of(name):
    return BY_NAME[name].sites


def settings_sent_at_start():
    """The settings StartStreamIngest takes besides StreamUrl (the others are set by an Update after it)."""
    return tuple(option.name for option in OPTIONS
                 if option.kind == SETTING and START in option.actions and option.name != 'stream_url')


def argument_specs(kind):
    """The argument spec entries of the options of kind (SETTING or START_ONLY), in the table's order."""
    return dict((option.name, option.spec()) for option in OPTIONS if option.kind == kind)


def api_parameters(action, site):
    """{API name: type} of what the collection may send of a relay's options with action on site."""
    return dict((option.api_name, option.type) for option in OPTIONS
                if action in option.actions and site in option.sites)
