# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The planner as a table of situations: what is asked, what the record knows, what the service said -> the plan.

No HTTP, no record file: the planner is pure.
"""

from __future__ import annotations

import pytest

from ansible_collections.tencentcloud.trtc.plugins.module_utils import _plan
from ansible_collections.tencentcloud.trtc.plugins.module_utils._plan import NOT_ASKED, Seen, Target, plan

URL = 'https://trtc.intl.tencentcloudapi.com'
APP = 1400188366
NAME = dict(room_id='8888', room_id_type='integer', user_id='cam-1')
SECRETS = dict(sdk_secret_key='unit-sdk-secret-key', user_sig=None, user_sig_expire=60, private_map_key=None)
STREAM = 'https://cdn.example.com/live/main.flv'
RUNNING, GONE = Seen('InProgress', request_id='r1'), Seen('NotExist', request_id='r2')
KNOWN = dict(task_id='T1', stream_url=STREAM, volume=100, paused=False, start=dict(seek_second=0, auto_push=False,
                                                                                   repeat_num=1))

RELAY, TASK = Target(URL, APP, name=NAME), Target(URL, APP, task_id='T1')
ADOPTING = Target(URL, APP, task_id='T9', name=NAME)  # a relay started elsewhere, named to be adopted
ADOPTED = dict(task_id='T9', start=None, adopted=True)

# (id, target, state, desired, start options, entry, seen, flags) -> (action, task id, what is sent)
SITUATIONS = [
    ('relay-unknown-starts', RELAY, 'present', dict(stream_url=STREAM), {}, {}, NOT_ASKED, {}, ('start', None, {})),
    ('relay-same-keeps', RELAY, 'present', dict(stream_url=STREAM), {}, KNOWN, NOT_ASKED, {}, ('keep', 'T1', {})),
    ('relay-volume-updates', RELAY, 'present', dict(volume=40), {}, KNOWN, NOT_ASKED, {}, ('update', 'T1', {'volume': 40})),
    ('relay-force-sends-all', RELAY, 'present', dict(stream_url=STREAM, volume=100), {}, KNOWN, NOT_ASKED,
     dict(force=True), ('update', 'T1', {'stream_url': STREAM, 'volume': 100})),
    ('relay-gone-starts-anew', RELAY, 'present', dict(stream_url=STREAM), {}, KNOWN, GONE, {}, ('start', 'T1', {})),
    ('relay-start-option-warns', RELAY, 'present', dict(stream_url=STREAM), dict(repeat_num=5), KNOWN, RUNNING, {},
     ('keep', 'T1', {})),
    ('relay-start-option-replaces', RELAY, 'present', dict(stream_url=STREAM), dict(repeat_num=5), KNOWN, RUNNING,
     dict(replace=True), ('replace', 'T1', {})),
    ('relay-lost-start-refused', RELAY, 'present', dict(stream_url=STREAM), {}, dict(starting_since='x'), NOT_ASKED, {},
     ('refuse', None, {})),
    ('relay-lost-start-forced', RELAY, 'present', dict(stream_url=STREAM), {}, dict(starting_since='x'), NOT_ASKED,
     dict(force=True), ('start', None, {})),
    ('relay-no-stream-refused', RELAY, 'present', dict(volume=3), {}, {}, NOT_ASKED, {}, ('refuse', None, {})),
    ('relay-absent-stops', RELAY, 'absent', {}, {}, KNOWN, NOT_ASKED, {}, ('stop', 'T1', {})),
    ('relay-absent-gone-nothing', RELAY, 'absent', {}, {}, KNOWN, GONE, {}, ('nothing', 'T1', {})),
    ('relay-absent-unknown-nothing', RELAY, 'absent', {}, {}, {}, NOT_ASKED, {}, ('nothing', None, {})),
    ('adopt-running', ADOPTING, 'present', {}, {}, {}, RUNNING, {}, ('adopt', 'T9', {})),
    ('adopt-status-unknown-yet', ADOPTING, 'present', {}, {}, {}, NOT_ASKED, {}, ('adopt', 'T9', {})),
    ('adopt-sends-given-settings', ADOPTING, 'present', dict(volume=40), {}, {}, RUNNING, {},
     ('adopt', 'T9', {'volume': 40})),
    ('adopt-over-lost-start-mark', ADOPTING, 'present', {}, {}, dict(starting_since='x'), RUNNING, {},
     ('adopt', 'T9', {})),
    ('adopt-over-runs-elsewhere-mark', ADOPTING, 'present', {}, {}, dict(runs_elsewhere_since='x'), RUNNING, {},
     ('adopt', 'T9', {})),
    ('adopt-not-running-refused', ADOPTING, 'present', {}, {}, {}, GONE, {}, ('refuse', 'T9', {})),
    ('adopt-other-recorded-refused', ADOPTING, 'present', {}, {}, KNOWN, RUNNING, {}, ('refuse', None, {})),
    ('adopt-held-by-another-name-refused', ADOPTING, 'present', {}, {}, {}, RUNNING,
     dict(held_by='relay of user \'cam-2\' in room \'8888\''), ('refuse', None, {})),
    ('adopted-same-keeps', ADOPTING, 'present', {}, {}, ADOPTED, RUNNING, {}, ('keep', 'T9', {})),
    ('adopted-start-options-not-compared', RELAY, 'present', {}, dict(repeat_num=-1), ADOPTED, RUNNING,
     dict(replace=True), ('keep', 'T9', {})),
    ('adopt-absent-stops-it', ADOPTING, 'absent', {}, {}, {}, NOT_ASKED, {}, ('stop', 'T9', {})),
    ('adopt-absent-gone-nothing', ADOPTING, 'absent', {}, {}, {}, GONE, {}, ('nothing', 'T9', {})),
    ('task-updates', TASK, 'present', dict(volume=7), {}, {}, NOT_ASKED, {}, ('update', 'T1', {'volume': 7})),
    ('task-same-keeps', TASK, 'present', dict(volume=100), {}, dict(volume=100), NOT_ASKED, {}, ('keep', 'T1', {})),
    ('task-gone-missing', TASK, 'present', dict(volume=7), {}, {}, GONE, {}, ('missing', 'T1', {})),
    ('task-absent-stops', TASK, 'absent', {}, {}, {}, RUNNING, {}, ('stop', 'T1', {})),
]


@pytest.mark.parametrize('target, state, desired, start, entry, seen, flags, expected',
                         [situation[1:] for situation in SITUATIONS], ids=[situation[0] for situation in SITUATIONS])
def test_the_plan_of_each_situation(target, state, desired, start, entry, seen, flags, expected):
    decided = plan(target, state, desired, start, entry, seen, secrets=SECRETS, **flags)
    assert (decided.action, decided.task_id, decided.to_send) == expected


def test_a_kept_relay_whose_status_is_not_known_needs_a_describe_and_nothing_else():
    decided = plan(RELAY, 'present', dict(stream_url=STREAM), {}, KNOWN, NOT_ASKED, secrets=SECRETS)
    assert decided.needs_status
    assert not plan(RELAY, 'present', dict(stream_url=STREAM), {}, KNOWN, RUNNING, secrets=SECRETS).needs_status


def test_start_options_that_cannot_change_are_warned_of_and_shown():
    decided = plan(RELAY, 'present', dict(stream_url=STREAM), dict(repeat_num=5), KNOWN, RUNNING, secrets=SECRETS)
    assert decided.warnings == [_plan.start_options_warning(RELAY, dict(repeat_num=(1, 5)))]
    assert decided.diff['after']['start']['repeat_num'] == 5 and decided.diff['before']['start']['repeat_num'] == 1


def test_a_refusal_says_why_and_sends_nothing():
    decided = plan(RELAY, 'present', dict(stream_url=STREAM), {}, dict(starting_since='x'), secrets=SECRETS)
    assert 'ended without an answer' in str(decided.error)
    outcome = decided.outcome()
    assert outcome.error is decided.error and outcome.changed is False and outcome.request_id is None


def test_the_plan_shows_no_secret():
    decided = plan(RELAY, 'present', dict(stream_url=STREAM), {}, {}, secrets=SECRETS)
    assert SECRETS['sdk_secret_key'] not in repr(decided.outcome().result())


def test_a_relay_named_the_same_way_twice_is_one_entry_and_one_lock():
    assert Target(URL, APP, name=dict(NAME)).key == RELAY.key
    assert Target(URL, APP, name=dict(NAME, user_id='cam-2')).key != RELAY.key


def test_adopting_what_the_record_holds_under_another_taskid_says_which():
    decided = plan(ADOPTING, 'present', {}, {}, KNOWN, RUNNING, secrets=SECRETS)
    assert "holds relay task T1 under this name, not T9" in str(decided.error)
    decided = plan(ADOPTING, 'present', {}, {}, {}, GONE, secrets=SECRETS)
    assert 'relay task T9 does not run' in str(decided.error) and 'r2' in str(decided.error)


def test_adopting_reports_a_change_and_what_the_record_will_hold():
    outcome = plan(ADOPTING, 'present', dict(volume=40), {}, {}, RUNNING, secrets=SECRETS).outcome()
    assert outcome.changed is True and outcome.task_id == 'T9'
    assert outcome.diff['before']['task_id'] is None and outcome.diff['after']['volume'] == 40
    assert 'adopted: relay task T9' in outcome.diff['after_header']


def held_relay(room_id, user_id, room_id_type='integer', **entry):
    return dict(room_id=room_id, room_id_type=room_id_type, user_id=user_id), entry


def test_an_exclusive_list_stops_only_what_the_rooms_it_names_hold_beyond_it():
    listed = [dict(NAME), dict(NAME, user_id='cam-2')]
    held = [held_relay('8888', 'cam-1', task_id='T1'), held_relay('8888', 'cam-3', task_id='T3'),
            held_relay('8888', 'cam-lost', starting_since='x'), held_relay('9999', 'cam-9', task_id='T9'),
            held_relay('8888', 'cam-4', 'string', task_id='T4')]
    to_stop, unknown = _plan.unlisted_relays(listed, held)
    assert to_stop == [held[1][0]] and unknown == [held[2][0]]
    assert 'cannot be stopped from here' in _plan.unlisted_unknown_warning(unknown[0])
