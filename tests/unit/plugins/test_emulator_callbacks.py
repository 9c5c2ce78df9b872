# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The emulator's relay callbacks (emulator/trtc_callbacks.py) without HTTP: what it sends when, signed how, retried
on which schedule, in which order; a clock that moves only when the test says so and a sender that records."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest

from ansible_collections.tencentcloud.trtc.tests.unit.plugins.test_emulator_service import (
    APP, SDK_SECRET_KEY, SECRET_ID, SECRET_KEY, Clock, call, code, start,
)

KEY = 'emulatorCallbackKey0123456789abc'
URL = 'http://127.0.0.1:9/trtc/callback'


class Receiver:
    """The application's callback URL: records each POST and answers with the next status scripted (200 after)."""

    def __init__(self, *statuses):
        self.statuses = list(statuses)
        self.posts = []

    def __call__(self, url, body, headers, timeout):
        self.posts.append(dict(url=url, body=body, headers=headers, timeout=timeout))
        return self.statuses.pop(0) if self.statuses else 200

    def events(self):
        return [(json.loads(post['body'])['EventType'], json.loads(post['body'])['EventInfo']['Status'])
                for post in self.posts]


@pytest.fixture
def callbacks_module(emulator_callbacks):
    return emulator_callbacks


def service_with(emulator_service, callbacks_module, receiver, key=KEY):
    clock = Clock()
    service = emulator_service.Emulator({SECRET_ID: {'secret_key': SECRET_KEY, 'token': None}}, clock=clock,
                                        sdk_secret_keys={APP: SDK_SECRET_KEY})
    service.callbacks = callbacks_module.Callbacks(URL, key, clock=clock, send=receiver)
    return service


def test_start_and_stop_send_signed_701_and_702_with_both_headers_in_the_services_layout(
        emulator_service, callbacks_module):
    receiver = Receiver()
    service = service_with(emulator_service, callbacks_module, receiver)
    task_id = start(service)['TaskId']
    call(service, 'StopStreamIngest', dict(SdkAppId=APP, TaskId=task_id))
    service.callbacks.run_once()
    assert receiver.events() == [(701, 0), (702, 0)]
    for post in receiver.posts:
        assert post['url'] == URL and post['timeout'] == 5
        assert post['headers']['SdkAppId'] == str(APP) and post['headers']['Content-Type'] == 'application/json'
        expected = base64.b64encode(hmac.new(KEY.encode(), post['body'], hashlib.sha256).digest()).decode()
        assert post['headers']['Sign'] == expected
        assert post['body'].startswith(b'{\n\t"EventGroupId":\t7,\n\t"EventType":\t70')
        info = json.loads(post['body'])['EventInfo']
        assert info['TaskId'] == task_id and info['EventMsTs'] == service.clock() * 1000
    assert KEY not in json.dumps(service.snapshot())
    assert [entry['state'] for entry in service.snapshot()['callbacks']['sent']] == ['delivered', 'delivered']


def test_without_a_key_no_sign_is_sent_and_without_a_url_nothing(emulator_service, callbacks_module):
    receiver = Receiver()
    service = service_with(emulator_service, callbacks_module, receiver, key=None)
    start(service)
    service.callbacks.run_once()
    assert 'Sign' not in receiver.posts[0]['headers']
    service.callbacks.configure({'url': None})
    start(service, UserId='cam-2')
    service.callbacks.run_once()
    assert len(receiver.posts) == 1


def test_an_unanswered_callback_is_sent_again_at_once_then_every_ten_seconds_until_a_minute_old(
        emulator_service, callbacks_module):
    receiver = Receiver(*([None] * 20))
    service = service_with(emulator_service, callbacks_module, receiver)
    start(service)
    born = service.clock()
    for dummy in range(100):
        service.callbacks.run_once()
        service.clock.now += 1
    sent_at = [json.loads(post['body'])['CallbackMsTs'] / 1000 - born for post in receiver.posts]
    assert sent_at == [0, 0, 10, 20, 30, 40, 50]
    assert service.snapshot()['callbacks']['sent'][0]['state'] == 'given up'


def test_a_callback_answered_late_with_500_then_200_is_delivered_on_its_retry(emulator_service, callbacks_module):
    receiver = Receiver(500)
    service = service_with(emulator_service, callbacks_module, receiver)
    start(service)
    service.callbacks.run_once()
    assert [entry['answers'] for entry in service.snapshot()['callbacks']['sent']] == [[500, 200]]


def test_held_callbacks_are_released_out_of_order_when_told(emulator_service, callbacks_module):
    receiver = Receiver()
    service = service_with(emulator_service, callbacks_module, receiver)
    service.callbacks.configure({'hold': True})
    task_id = start(service)['TaskId']
    call(service, 'StopStreamIngest', dict(SdkAppId=APP, TaskId=task_id))
    service.callbacks.run_once()
    assert receiver.posts == []
    service.callbacks.configure({'hold': False, 'reversed': True})
    service.callbacks.run_once()
    assert receiver.events() == [(702, 0), (701, 0)]


def test_a_control_end_sends_702_and_a_failed_start_sends_the_services_701_sequence(
        emulator_service, callbacks_module):
    receiver = Receiver()
    service = service_with(emulator_service, callbacks_module, receiver)
    ended = start(service)['TaskId']
    failed = start(service, UserId='cam-2')['TaskId']
    assert service.end(dict(sdk_app_id=APP, task_id=ended)) is True
    assert service.end(dict(sdk_app_id=APP, task_id=failed, how='start_failed')) is True
    assert service.end(dict(sdk_app_id=APP, task_id=failed)) is False
    ended_at = service.clock()
    service.callbacks.run_once()
    assert receiver.events() == [(701, 0), (701, 0), (702, 0), (701, 1)]
    service.clock.now += 4
    service.callbacks.run_once()
    assert receiver.events()[3:] == [(701, 1), (701, 2), (701, 1), (701, 2), (701, 1), (701, 2), (701, 1)]
    # The service tries again 0, 1 and 3 seconds after the failure: each event at its own time, so none looks
    # like a retry of another callback.
    failed_ms = [json.loads(post['body'])['EventInfo']['EventMsTs'] - ended_at * 1000 for post in receiver.posts[3:]]
    assert failed_ms == [0, 200, 400, 1200, 1400, 3200, 3400]
    with pytest.raises(emulator_service.ControlError, match='how must be one of'):
        service.end(dict(sdk_app_id=APP, task_id=ended, how='exploded'))


def test_max_duration_ends_a_looping_task_with_702(emulator_service, callbacks_module):
    receiver = Receiver()
    service = service_with(emulator_service, callbacks_module, receiver)
    task_id = start(service, RepeatNum=-1, MaxDuration=2)['TaskId']
    service.clock.now += 119
    service.expire()
    describe = dict(SdkAppId=APP, TaskId=task_id)
    assert call(service, 'DescribeStreamIngest', describe)[0]['Status'] == 'InProgress'
    service.clock.now += 1
    assert call(service, 'DescribeStreamIngest', describe)[0]['Status'] == 'NotExist'
    assert code(call(service, 'StopStreamIngest', describe)[0]) == 'FailedOperation.TaskFinished'
    service.callbacks.run_once()
    assert receiver.events() == [(701, 0), (702, 0)]


@pytest.mark.parametrize('document, says', [
    ({'url': ''}, 'url must be a non-empty string or null'),
    ({'hold': 'yes'}, 'hold must be true or false'),
    ({'order': 'random'}, 'unknown field'),
])
def test_a_malformed_callbacks_control_is_refused(emulator_service, callbacks_module, document, says):
    service = service_with(emulator_service, callbacks_module, Receiver())
    with pytest.raises(emulator_service.ControlError, match=says):
        service.callbacks.configure(document)
