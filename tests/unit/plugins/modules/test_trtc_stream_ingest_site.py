# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The two sites: endpoints, regions, the volume range and the China site's own options."""

from __future__ import annotations

import json

import pytest

from ansible_collections.tencentcloud.trtc.plugins.modules.trtc_stream_ingest import main
from ansible_collections.tencentcloud.trtc.tests.unit.plugins.fake_service import Call, FakeService

TASK = dict(sdk_app_id=1400188366, task_id='task-0001')
ID = dict(SdkAppId=1400188366, TaskId='task-0001')  # what names TASK in a request
UPDATED = Call('UpdateStreamIngest', **ID).answers('r-update', Status='InProgress')
RUNNING = Call('DescribeStreamIngest', **ID).answers('r-describe', Status='InProgress')
KEYS = dict(secret_id='AKIDunit', secret_key='unit-test-secret-key-0123456789')


def test_the_china_site_takes_its_volume_tempo_and_progress_and_a_second_run_changes_nothing(runner):
    args = dict(TASK, site='china', region='ap-beijing', volume=150, tempo=1.5, enable_progress=True)
    session = FakeService(UPDATED)
    result = runner.run(main, args, session)
    assert result['changed'] is True
    assert session.calls[0]['params'] == dict(SdkAppId=1400188366, TaskId='task-0001', Volume=150, Tempo=1.5,
                                              EnableProgress=True)
    assert session.calls[0]['headers']['X-TC-Region'] == 'ap-beijing'
    again = FakeService(RUNNING)
    assert runner.run(main, args, again)['changed'] is False
    changed = FakeService(UPDATED)
    runner.run(main, dict(args, tempo=2.0), changed)
    assert changed.calls[0]['params'] == dict(SdkAppId=1400188366, TaskId='task-0001', Tempo=2.0)


def test_the_site_chooses_the_endpoint_and_an_endpoint_chooses_the_site(runner):
    session = FakeService(RUNNING)
    runner.run(main, dict(TASK, site='china', region='ap-shanghai', **KEYS), session, connection=False)
    assert session.calls[0]['url'] == 'https://trtc.tencentcloudapi.com/'
    session = FakeService(UPDATED)
    result = runner.run(main, dict(TASK, endpoint='trtc.tencentcloudapi.com', region='ap-chongqing', volume=180,
                                   **KEYS), session, connection=False)
    assert result['changed'] is True and session.calls[0]['params']['Volume'] == 180
    session = FakeService(RUNNING)
    runner.run(main, dict(TASK, region='ap-tokyo', **KEYS), session, connection=False)
    assert session.calls[0]['url'] == 'https://trtc.intl.tencentcloudapi.com/'


def test_a_tccli_profile_endpoint_chooses_the_site(runner):
    tccli = runner.home / '.tccli'
    tccli.mkdir()
    (tccli / 'cn.credential').write_text(json.dumps({'secretId': 'AKIDp', 'secretKey': 'profile-key'}))
    (tccli / 'cn.configure').write_text(json.dumps({'_sys_param': {'region': 'ap-beijing'},
                                                    'trtc': {'endpoint': 'trtc.tencentcloudapi.com'}}))
    session = FakeService(RUNNING)
    runner.run(main, dict(TASK, profile='cn'), session, connection=False)
    assert session.calls[0]['url'] == 'https://trtc.tencentcloudapi.com/'
    assert session.calls[0]['headers']['X-TC-Region'] == 'ap-beijing'


@pytest.mark.parametrize('args, message', [
    (dict(tempo=1.5), 'tempo: is accepted only on the China site (site=china); this is the intl site'),
    (dict(enable_progress=True), 'enable_progress: is accepted only on the China site'),
    (dict(volume=150), 'volume: must be between 0 and 100 on the intl site, got 150'),
    (dict(region='ap-beijing'), "region: 'ap-beijing' is not a region of this API on the intl site"),
    (dict(region='ap-beijing'), 'ap-beijing is a region of the china site: set site=china'),
    (dict(site='china', region='ap-beijing', volume=201), 'volume: must be between 0 and 200 on the china site'),
    (dict(site='china', region='ap-beijing', tempo=1.1), 'tempo: must be one of 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2'),
    (dict(site='china', region='ap-tokyo'), "region: 'ap-tokyo' is not a region of this API on the china site"),
    (dict(site='intl', endpoint='trtc.tencentcloudapi.com'), 'site: intl does not match the endpoint'),
    (dict(site='moon'), 'site'),
    (dict(tasks=[dict(task_id='a', tempo=0.5)], task_id=None), 'tasks[0].tempo: is accepted only on the China site'),
])
def test_what_a_site_refuses_is_refused_before_any_request(runner, args, message):
    full = dict(TASK, **args)
    if full.get('task_id') is None:
        full.pop('task_id')
    result = runner.run(main, full, FakeService())
    assert result['failed'] is True and message in result['msg'], result['msg']


def test_idle_timeout_starts_china_relays_only(runner):
    relay = dict(sdk_app_id=1400188366, room_id='8888', user_id='cam-1', stream_url='https://a.example/x.flv',
                 sdk_secret_key='unit-sdk-secret-key-000000')
    result = runner.run(main, dict(relay, idle_timeout=60), FakeService())
    assert 'idle_timeout: is accepted only on the China site' in result['msg']
    session = FakeService(Call('StartStreamIngest').answers('r-start', TaskId='CR6+x/y.'))
    result = runner.run(main, dict(relay, idle_timeout=60, tempo=0.75, site='china', region='ap-beijing'), session)
    params = session.calls[0]['params']
    assert (params['IdleTimeout'], params['Tempo']) == (60, 0.75) and result['changed'] is True
    result = runner.run(main, dict(relay, idle_timeout=601, site='china', region='ap-beijing'), FakeService())
    assert 'idle_timeout: must be from 0 to 600 seconds, got 601' in result['msg']
