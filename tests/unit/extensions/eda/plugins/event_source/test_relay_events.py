# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The relay_events source through its main(), as ansible-rulebook runs it: real HTTP, an asyncio queue, a record."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import importlib.util
import json
import logging
import os
import shutil
import socket
import ssl
import subprocess
import threading

import aiohttp
import pytest

from ansible_collections.tencentcloud.trtc.plugins.module_utils._record import LastAppliedRecord, RecordError
from ansible_collections.tencentcloud.trtc.tests.unit.plugins.redis_server import free_port, held_port

SOURCE = os.path.join(os.path.dirname(__file__), *(['..'] * 6), 'extensions', 'eda', 'plugins', 'event_source',
                      'relay_events.py')
APP = 1400188366
KEY = 'unitTestCallbackKey0123456789ab'
ENDPOINT = 'https://trtc.intl.tencentcloudapi.com/'
TASK_ID = 'CR6LqvF7abcdefghij+rTEL2p6/vnZV4vXYZ.'
RELAY_KEY = json.dumps(['relay', ENDPOINT, APP, 'integer', '8888', 'relay-cam-1'])
NAME = dict(room_id='8888', room_id_type='integer', user_id='relay-cam-1')

# Tencent's published example of a callback Sign (TRTC docs, "Verify Signature Example", trtc.io/document/54912,
# and the Room & Media Callbacks page, trtc.io/document/39558): the key, the body exactly as the service sends it
# (tabs and newlines), and its Sign. Kept byte for byte.
TENCENT_KEY = b'123654'
TENCENT_BODY = (b'{\n\t"EventGroupId":\t2,\n\t"EventType":\t204,\n\t"CallbackTs":\t1664209748188,\n\t"EventInfo":\t{\n'
                b'\t\t"RoomId":\t8489,\n\t\t"EventTs":\t1664209748,\n\t\t"EventMsTs":\t1664209748180,\n'
                b'\t\t"UserId":\t"user_85034614",\n\t\t"Reason":\t0\n\t}\n}')
TENCENT_SIGN = 'kkoFeO3Oh2ZHnjtg8tEAQhtXK16/KI05W3BQff8IvGA='


@pytest.fixture(scope='module')
def source():
    """The source's globals, loaded from its file by path as ansible-rulebook loads it (there with runpy.run_path,
    which the collection loader's path hook in this test process would take for a package)."""
    spec = importlib.util.spec_from_file_location('relay_events', os.path.abspath(SOURCE))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return vars(module)


@pytest.fixture(autouse=True)
def environment(tmp_path, monkeypatch):
    monkeypatch.setenv('HOME', str(tmp_path))
    for name in ('TENCENTCLOUD_TRTC_CALLBACK_KEY', 'TENCENTCLOUD_TRTC_RECORD_FILE', 'TENCENTCLOUD_TRTC_RECORD_STORE',
                 'TENCENTCLOUD_TRTC_ENDPOINT'):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def no_second_lookup(source, monkeypatch):
    """An event of a task the record does not know is queued at once, unless a test asks for lookups again."""
    monkeypatch.setitem(source, 'NAMING_DELAYS', ())


@pytest.fixture
def record_file(tmp_path):
    return str(tmp_path / 'record.json')


def callback(event_type=702, status=0, event_ms=1701937900013, task_id=TASK_ID, group=7):
    """A callback body as the service sends it: pretty-printed with tabs."""
    document = {'EventGroupId': group, 'EventType': event_type, 'CallbackMsTs': event_ms + 5,
                'EventInfo': {'EventMsTs': event_ms, 'TaskId': task_id, 'Status': status}}
    return json.dumps(document, indent='\t').encode('utf-8')


def signed(body, key=KEY, app=APP):
    sign = base64.b64encode(hmac.new(key.encode('utf-8'), body, hashlib.sha256).digest()).decode('ascii')
    return {'Content-Type': 'application/json', 'Sign': sign, 'SdkAppId': str(app)}


class Listener:
    """main() running on a free loopback port; posts to it; the events it queued."""

    def __init__(self, source, args):
        self.source = source
        self.holder = held_port()
        self.args = dict(dict(host='127.0.0.1', port=self.holder.getsockname()[1], sdk_app_ids=[APP],
                              callback_key=KEY), **args)
        self.queue = asyncio.Queue()
        self.task = None

    async def __aenter__(self):
        self.task = asyncio.create_task(self.source['main'](self.queue, self.args))
        try:
            for dummy in range(200):
                if self.task.done():
                    self.task.result()
                try:
                    dummy, writer = await asyncio.open_connection('127.0.0.1', self.args['port'])
                    writer.close()
                    return self
                except OSError:
                    await asyncio.sleep(0.02)
            raise AssertionError('the source never listened')
        except BaseException:
            self.holder.close()
            raise

    async def __aexit__(self, *exc_info):
        self.holder.close()
        self.task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await self.task

    async def post(self, body, headers):
        async with aiohttp.ClientSession() as session:
            async with session.post('http://127.0.0.1:%d/trtc/callback' % self.args['port'], data=body,
                                    headers=headers) as answer:
                return answer.status, await answer.read()

    async def events(self):
        await asyncio.sleep(0.05)  # events of a task the record does not know are queued once looked up again
        found = []
        while not self.queue.empty():
            found.append(self.queue.get_nowait()['trtc'])
        return found


def run(source, args, exchange):
    """Run exchange(listener) against main() with args; return what it returns."""
    async def scenario():
        async with Listener(source, args) as listener:
            return await exchange(listener)
    return asyncio.run(scenario())


def test_tencents_published_example_is_the_sign_the_source_computes(source):
    assert source['expected_sign'](TENCENT_KEY, TENCENT_BODY).decode('ascii') == TENCENT_SIGN
    assert source['sign_matches'](TENCENT_KEY, TENCENT_BODY, TENCENT_SIGN)
    assert not source['sign_matches'](TENCENT_KEY, TENCENT_BODY.replace(b'\t', b' '), TENCENT_SIGN)


def test_tencents_example_is_accepted_through_main_and_not_queued_being_of_another_group(source, record_file):
    async def exchange(listener):
        headers = {'Content-Type': 'application/json', 'Sign': TENCENT_SIGN, 'SdkAppId': str(APP)}
        accepted = await listener.post(TENCENT_BODY, headers)
        forged = await listener.post(TENCENT_BODY.replace(b'8489', b'8488'), headers)
        return accepted, forged, await listener.events()
    accepted, forged, events = run(source, dict(callback_key=TENCENT_KEY.decode(), record_file=record_file), exchange)
    assert accepted == (200, b'{"code": 0}') and forged[0] == 401 and events == []


def test_a_stop_nobody_here_asked_for_is_one_event_naming_the_relay_and_retries_give_no_other(source, record_file):
    LastAppliedRecord(record_file).started(RELAY_KEY, TASK_ID, {'volume': 100}, {'repeat_num': -1})

    async def exchange(listener):
        body = callback(702)
        answers = [await listener.post(body, signed(body)) for dummy in range(3)]
        return answers, await listener.events()
    answers, events = run(source, dict(record_file=record_file), exchange)
    assert answers == [(200, b'{"code": 0}')] * 3
    assert events == [dict(sdk_app_id=APP, task_id=TASK_ID, event_type=702, event='stopped', status=0,
                           event_ms_ts=1701937900013, callback_ms_ts=1701937900018, relay=NAME, expected=False,
                           stale=False)]


def test_a_stop_the_collection_asked_for_is_expected_even_before_its_answer_settled(source, record_file):
    record = LastAppliedRecord(record_file)
    record.started(RELAY_KEY, TASK_ID, {'volume': 100}, {})
    record.note_stopping(ENDPOINT, APP, TASK_ID, RELAY_KEY)  # the Stop is in flight: the entry still runs

    async def exchange(listener):
        body = callback(702)
        await listener.post(body, signed(body))
        record.settle(RELAY_KEY, None)  # its answer came: the relay is gone from the record, its stop noted
        other = callback(702, event_ms=1701937900999)
        await listener.post(other, signed(other))
        return await listener.events()
    events = run(source, dict(record_file=record_file), exchange)
    assert [(event['expected'], event['relay']) for event in events] == [(True, NAME), (True, NAME)]


def test_a_task_the_record_does_not_know_has_no_relay_and_no_expectation(source, record_file):
    async def exchange(listener):
        body = callback(702, task_id='started-elsewhere')
        await listener.post(body, signed(body))
        return await listener.events()
    events = run(source, dict(record_file=record_file), exchange)
    assert [(event['task_id'], event['relay'], event['expected']) for event in events] == [
        ('started-elsewhere', None, None)]


def test_a_start_called_back_before_its_task_id_is_recorded_is_named_once_it_is(source, record_file, monkeypatch):
    monkeypatch.setitem(source, 'NAMING_DELAYS', (0.05,) * 40)

    async def exchange(listener):
        for number, status in enumerate((1, 2)):
            body = callback(701, status=status, event_ms=1000 + number)
            assert await listener.post(body, signed(body)) == (200, b'{"code": 0}')  # answered at once
        await asyncio.sleep(0.3)
        LastAppliedRecord(record_file).started(RELAY_KEY, TASK_ID, {}, {})  # the Start's answer is recorded
        body = callback(701, status=0, event_ms=1002)
        await listener.post(body, signed(body))
        await asyncio.sleep(0.3)
        return await listener.events()
    events = run(source, dict(record_file=record_file), exchange)
    assert [(event['event'], event['relay'], event['stale']) for event in events] == [
        ('start_failed', NAME, False), ('start_retrying', NAME, False), ('started', NAME, False)]


def test_start_events_are_named_by_status_and_carry_no_expectation(source, record_file):
    LastAppliedRecord(record_file).started(RELAY_KEY, TASK_ID, {}, {})

    async def exchange(listener):
        for number, status in enumerate((1, 2, 0, 7)):
            body = callback(701, status=status, event_ms=1000 + number)
            await listener.post(body, signed(body))
        return await listener.events()
    events = run(source, dict(record_file=record_file), exchange)
    assert [(event['event'], event['status'], event['expected'], event['relay']) for event in events] == [
        ('start_failed', 1, None, NAME), ('start_retrying', 2, None, NAME), ('started', 0, None, NAME),
        ('unknown', 7, None, NAME)]


def test_an_event_older_than_the_last_one_seen_of_its_task_is_marked_stale(source, record_file):
    async def exchange(listener):
        for event_type, event_ms in ((702, 3000), (701, 1000), (701, 4000)):
            body = callback(event_type, event_ms=event_ms)
            await listener.post(body, signed(body))
        other = callback(701, event_ms=500, task_id='another-task')
        await listener.post(other, signed(other))
        return await listener.events()
    events = run(source, dict(record_file=record_file), exchange)
    assert [(event['event_ms_ts'], event['stale']) for event in events] == [
        (3000, False), (1000, True), (4000, False), (500, False)]


def test_event_ms_ts_given_as_a_string_is_accepted_as_the_table_types_it(source, record_file):
    async def exchange(listener):
        body = callback(702).replace(b'"EventMsTs": 1701937900013', b'"EventMsTs": "1701937900013"')
        assert b'"1701937900013"' in body
        answer = await listener.post(body, signed(body))
        return answer, await listener.events()
    answer, events = run(source, dict(record_file=record_file), exchange)
    assert answer[0] == 200 and events[0]['event_ms_ts'] == 1701937900013


@pytest.mark.parametrize('case, status', [
    ('no sign', 401), ('wrong key', 401), ('sign of the body re-serialized', 401), ('sign with a bad character', 401),
    ('another application', 403), ('no application', 403), ('not json', 400), ('no task id', 400),
    ('a list', 400), ('too large', 413), ('an event time of 5000 digits', 400), ('an event time in other digits', 400),
    ('an event time past 64 bits', 400), ('a negative event time', 400),
])
def test_a_refused_callback_is_answered_at_once_and_never_queued(source, record_file, case, status):
    body = callback(702)
    headers = signed(body)
    if case == 'no sign':
        del headers['Sign']
    elif case == 'wrong key':
        headers = signed(body, key='anotherKey')
    elif case == 'sign of the body re-serialized':
        headers = signed(json.dumps(json.loads(body)).encode('utf-8'))
    elif case == 'sign with a bad character':
        headers['Sign'] = headers['Sign'][:-2] + '\u00e9='
    elif case == 'another application':
        headers = signed(body, app=1400000001)
    elif case == 'no application':
        del headers['SdkAppId']
    elif case == 'not json':
        body = b'{"EventGroupId": 7,'
        headers = signed(body)
    elif case == 'no task id':
        body = callback(702).replace(b'"TaskId"', b'"Task"')
        headers = signed(body)
    elif case == 'a list':
        body = b'[7]'
        headers = signed(body)
    elif case == 'too large':
        body = callback(702)[:-1] + b', "Padding": "' + b'x' * 70000 + b'"}'
        headers = signed(body)
    elif case.startswith('an event time') or case == 'a negative event time':
        event_ms = {'an event time of 5000 digits': '"%s"' % ('9' * 5000),
                    'an event time in other digits': '"\\u0661\\u0662"',  # a JSON escape: Arabic-Indic digits
                    'an event time past 64 bits': str(2 ** 64), 'a negative event time': '-5'}[case]
        body = callback(702).replace(b'"EventMsTs": 1701937900013', b'"EventMsTs": ' + event_ms.encode('ascii'))
        headers = signed(body)

    async def exchange(listener):
        answer = await listener.post(body, headers)
        return answer, await listener.events()
    answer, events = run(source, dict(record_file=record_file), exchange)
    assert answer[0] == status and events == []


def test_without_a_key_unsigned_callbacks_are_accepted_only_when_asked_plainly(source, record_file):
    with pytest.raises(ValueError, match='callback_key: required'):
        asyncio.run(source['main'](asyncio.Queue(), dict(sdk_app_ids=[APP], record_file=record_file)))

    async def exchange(listener):
        body = callback(702)
        answer = await listener.post(body, {'SdkAppId': str(APP)})
        return answer, await listener.events()
    answer, events = run(source, dict(callback_key=None, insecure_accept_unsigned=True, record_file=record_file),
                         exchange)
    assert answer[0] == 200 and len(events) == 1


@pytest.mark.parametrize('args, says', [
    (dict(sdk_app_ids=None), 'sdk_app_ids: required'),
    (dict(sdk_app_ids=['1400188366']), 'sdk_app_ids: required'),
    (dict(port='http'), 'port: must be a TCP port number'),
    (dict(insecure_accept_unsigned='yes'), 'insecure_accept_unsigned: must be true or false'),
    (dict(endpoints=['https://user:pw@example.com']), 'endpoints: endpoint must not contain a user name'),
    (dict(certfile='/nonexistent/cert.pem'), 'certfile/keyfile: cannot load the certificate'),
    (dict(callback_key='k' * 33), 'callback_key: must be the key set in the TRTC console: 1 to 32 letters and digits'),
    (dict(callback_key='a key with spaces'), 'callback_key: must be the key set in the TRTC console'),
    (dict(callback_key='cl\u00e9'), 'callback_key: must be the key set in the TRTC console'),
])
def test_bad_arguments_fail_before_listening_naming_the_option(source, record_file, args, says):
    full = dict(dict(sdk_app_ids=[APP], callback_key=KEY, record_file=record_file, port=free_port()), **args)
    with pytest.raises(ValueError, match=says):  # a source that listened instead would end in TimeoutError
        asyncio.run(asyncio.wait_for(source['main'](asyncio.Queue(), full), 30))


def test_a_record_that_does_not_answer_in_time_is_answered_503_at_once_and_nothing_is_queued(
        source, record_file, monkeypatch):
    released = threading.Event()

    class HangingRecord(source['Record']):
        """A record store that hangs (paused, out of reach): each lookup waits until the test is over."""

        def lookup(self, sdk_app_id, task_id):
            released.wait(60)
            return super().lookup(sdk_app_id, task_id)

    monkeypatch.setitem(source, 'Record', HangingRecord)

    async def exchange(listener):
        try:
            bodies = [callback(702, event_ms=1000 + number) for number in range(2)]
            answers = await asyncio.gather(*(listener.post(body, signed(body)) for body in bodies))
        finally:
            released.set()
        return answers, await listener.events()
    answers, events = run(source, dict(record_file=record_file), exchange)
    assert [status for status, dummy in answers] == [503, 503] and events == [], 'the service sends them again'


def test_a_port_it_cannot_listen_on_fails_naming_host_and_port_not_with_a_traceback(source, record_file):
    with socket.socket() as taken:
        taken.bind(('127.0.0.1', 0))
        taken.listen()
        port = taken.getsockname()[1]
        args = dict(host='127.0.0.1', port=port, sdk_app_ids=[APP], callback_key=KEY, record_file=record_file)
        with pytest.raises(ValueError, match='host/port: cannot listen on 127.0.0.1:%d: ' % port):
            asyncio.run(asyncio.wait_for(source['main'](asyncio.Queue(), args), 30))


def test_a_record_that_cannot_be_read_fails_at_start_and_a_callback_meanwhile_is_asked_again(source, record_file):
    with open(record_file, 'w') as handle:
        handle.write('not a record')
    with pytest.raises(RecordError, match='not valid JSON'):
        asyncio.run(source['main'](asyncio.Queue(), dict(sdk_app_ids=[APP], callback_key=KEY,
                                                         record_file=record_file)))
    os.unlink(record_file)

    async def exchange(listener):
        with open(record_file, 'w') as handle:
            handle.write('not a record')
        body = callback(702)
        first = await listener.post(body, signed(body))
        os.unlink(record_file)
        again = await listener.post(body, signed(body))  # the service's retry
        return first[0], again[0], await listener.events()
    first, again, events = run(source, dict(record_file=record_file), exchange)
    assert (first, again, len(events)) == (503, 200, 1)


def test_nothing_logged_holds_the_key_or_a_sign(source, record_file, caplog):
    caplog.set_level(logging.DEBUG)

    async def exchange(listener):
        body = callback(702)
        for headers in (signed(body), signed(body, key='wrongKey'), {'SdkAppId': str(APP)}, signed(b'x')):
            await listener.post(body, headers)
        return await listener.events()
    run(source, dict(record_file=record_file), exchange)
    assert 'refused a callback' in caplog.text
    for secret in (KEY, signed(callback(702))['Sign'], signed(callback(702), key='wrongKey')['Sign']):
        assert secret not in caplog.text


def test_a_record_store_that_cannot_be_reached_fails_at_start_naming_it_without_its_password(source, refused_port):
    port = refused_port
    store = 'redis://:store-password-not-shown@127.0.0.1:%d/0' % port
    with pytest.raises(RecordError) as failure:
        asyncio.run(source['main'](asyncio.Queue(), dict(sdk_app_ids=[APP], callback_key=KEY, record_store=store)))
    assert '127.0.0.1:%d' % port in str(failure.value) and 'store-password-not-shown' not in str(failure.value)
    with pytest.raises(RecordError, match='record_store: must be a redis://'):
        asyncio.run(source['main'](asyncio.Queue(), dict(sdk_app_ids=[APP], callback_key=KEY,
                                                         record_store='http://example.com')))


def test_through_a_record_store_a_stop_is_named_and_one_the_collection_asked_for_is_expected(source, redis_url):
    """Many controllers share a Redis record_store; the source reads the same store: the relay a stop event names,
    and whether one of them asked for it, come from there."""
    from ansible_collections.tencentcloud.trtc.plugins.module_utils._redis_store import RedisStore
    record = LastAppliedRecord(backend=RedisStore.of(redis_url))
    record.started(RELAY_KEY, TASK_ID, {'volume': 100}, {'repeat_num': -1})
    stopped_key = json.dumps(['relay', ENDPOINT, APP, 'integer', '8888', 'relay-cam-2'])
    record.started(stopped_key, 'stopped-by-a-controller', {'volume': 100}, {})
    record.note_stopping(ENDPOINT, APP, 'stopped-by-a-controller', stopped_key)
    record.settle(stopped_key, None)

    async def exchange(listener):
        for task_id in (TASK_ID, 'stopped-by-a-controller', 'started-elsewhere'):
            body = callback(702, task_id=task_id)
            assert await listener.post(body, signed(body)) == (200, b'{"code": 0}')
        return await listener.events()
    events = run(source, dict(record_store=redis_url), exchange)
    assert [(event['task_id'], event['relay'], event['expected']) for event in events] == [
        (TASK_ID, NAME, False), ('stopped-by-a-controller', dict(NAME, user_id='relay-cam-2'), True),
        ('started-elsewhere', None, None)]


def test_with_a_certificate_it_serves_https(source, record_file, tmp_path):
    openssl = shutil.which('openssl')
    if openssl is None:
        pytest.skip('openssl is not installed')
    cert, key = str(tmp_path / 'cert.pem'), str(tmp_path / 'key.pem')
    subprocess.run([openssl, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '1',
                    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert],
                   check=True, capture_output=True)

    async def exchange(listener):
        body = callback(702)
        context = ssl.create_default_context(cafile=cert)
        async with aiohttp.ClientSession() as session:
            async with session.post('https://127.0.0.1:%d/' % listener.args['port'], data=body, headers=signed(body),
                                    ssl=context) as answer:
                status = answer.status
        return status, await listener.events()
    status, events = run(source, dict(record_file=record_file, certfile=cert, keyfile=key), exchange)
    assert status == 200 and len(events) == 1
