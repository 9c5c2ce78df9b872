# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the record holds, shown and kept exact: the list, exclusive sets, adopting, the second controller."""

from __future__ import annotations

from ansible_collections.tencentcloud.trtc.plugins.module_utils._record import LastAppliedRecord, relay_key, relay_name
from ansible_collections.tencentcloud.trtc.plugins.modules.trtc_stream_ingest import main
from ansible_collections.tencentcloud.trtc.plugins.modules.trtc_stream_ingest_info import main as info_main
from ansible_collections.tencentcloud.trtc.tests.unit.plugins.fake_service import FakeService
from ansible_collections.tencentcloud.trtc.tests.unit.plugins.module_runner import CONNECTION
from ansible_collections.tencentcloud.trtc.tests.unit.plugins.modules.test_trtc_stream_ingest_relay import (
    APP, RELAY, STREAM, emulated_trtc, run,
)

ENDPOINT = CONNECTION['endpoint'] + '/'


def relay(**changes):
    """RELAY's arguments with changes."""
    args = dict(RELAY)
    args.update(changes)
    return args


def start_relays(runner, service, *names, **args):
    """Start relays named (room_id, user_id); their TaskIds, in order."""
    return [run(runner, service, **relay(room_id=room_id, user_id=user_id, stream_url=STREAM, **args))['task_id']
            for room_id, user_id in names]


def info(runner, service, **args):
    return runner.run(info_main, dict(dict(sdk_app_id=APP), **args), service)


def record_bytes(runner):
    with open(runner.record_file, 'rb') as handle:
        return handle.read()


def test_the_list_shows_every_relay_and_task_the_record_holds_here_and_changes_nothing(runner):
    service = emulated_trtc()
    cam1, cam2, other_room = start_relays(runner, service, ('8888', 'cam-1'), ('8888', 'cam-2'), ('9999', 'cam-1'),
                                          volume=40)
    service.put_tasks(dict(sdk_app_id=APP, task_id='task-by-id'))
    run(runner, service, sdk_app_id=APP, task_id='task-by-id', volume=7)
    run(runner, service, **relay(sdk_app_id=APP + 1, stream_url=STREAM))  # another application
    run(runner, service, **relay(user_id='cam-1', stream_url=STREAM, endpoint='http://127.0.0.2:9'))
    LastAppliedRecord(runner.record_file).mark_starting(
        relay_key(ENDPOINT, APP, 'string', 'lobby', 'cam-lost'), dict(repeat_num=-1))
    service.end(APP, cam2)  # ended by itself
    before, calls = record_bytes(runner), len(service.calls)
    for check_mode in (False, True):
        result = runner.run(info_main, dict(sdk_app_id=APP), service, check_mode=check_mode)
        assert result['changed'] is False
        relays = result['relays']
        assert [(relay['room_id'], relay['user_id'], relay['task_id'], relay['status']) for relay in relays] == [
            ('8888', 'cam-1', cam1, 'InProgress'), ('8888', 'cam-2', cam2, 'NotExist'),
            ('9999', 'cam-1', other_room, 'InProgress'), ('lobby', 'cam-lost', None, 'Unknown')]
        assert relays[0]['volume'] == 40 and relays[0]['stream_url'] == STREAM and relays[0]['note'] is None
        assert relays[0]['start'] == dict(seek_second=0, auto_push=False, repeat_num=1) and relays[0]['since']
        assert relays[0]['unknown'] == [] and relays[0]['room_id_type'] == 'integer'
        assert 'volume' not in relays[1] and 'no longer runs' in relays[1]['note']
        assert relays[3]['room_id_type'] == 'string' and 'TaskId the record does not hold' in relays[3]['note']
        assert relays[3]['start'] == dict(repeat_num=-1) and relays[3]['request_id'] is None
        assert result['tasks'] == [dict(sdk_app_id=APP, task_id='task-by-id', status='InProgress',
                                        request_id=service.request_ids('DescribeStreamIngest', TaskId='task-by-id')[-1],
                                        volume=7, applied_at=result['tasks'][0]['applied_at'],
                                        unknown=[], note=None)]
    assert service.actions[calls:] == ['DescribeStreamIngest'] * 8, 'four Describes a list, none for the lost start'
    assert record_bytes(runner) == before


def test_the_list_of_one_room_shows_only_that_room_s_relays(runner):
    service = emulated_trtc()
    start_relays(runner, service, ('8888', 'cam-1'), ('9999', 'cam-1'))
    start_relays(runner, service, ('8888', 'cam-9'), room_id_type='string')
    result = info(runner, service, room_id='8888')
    assert [(relay['room_id'], relay['room_id_type'], relay['user_id']) for relay in result['relays']] == [
        ('8888', 'integer', 'cam-1')]
    assert result['tasks'] == []
    bad = info(runner, service, room_id='08888')
    assert bad['failed'] is True and bad['msg'].startswith('room_id: ')


def test_the_list_says_which_settings_it_cannot_vouch_for(runner):
    service = emulated_trtc()
    task_id, = start_relays(runner, service, ('8888', 'relay-cam-1'), volume=40)
    key = relay_key(ENDPOINT, APP, 'integer', '8888', 'relay-cam-1')
    LastAppliedRecord(runner.record_file).mark_pending(key, ['volume'])  # a run that ended before its answer
    relay, = info(runner, service)['relays']
    assert relay['task_id'] == task_id and relay['unknown'] == ['volume'] and 'volume' not in relay
    assert relay['note'].startswith('volume unknown')


def test_the_list_through_a_store_shows_what_every_controller_started(runner, redis_url, tmp_path):
    service = emulated_trtc()
    runner.record_file = str(tmp_path / 'a.json')
    started = start_relays(runner, service, ('8888', 'cam-1'), ('8888', 'cam-2'), record_store=redis_url)
    runner.record_file = str(tmp_path / 'b.json')
    result = info(runner, service, record_store=redis_url)
    assert [relay['task_id'] for relay in result['relays']] == started
    assert [relay['status'] for relay in result['relays']] == ['InProgress'] * 2
    assert info(runner, service)['relays'] == [], 'the local file of this controller holds nothing'


def test_a_second_controller_without_the_store_is_told_the_way_out_and_absent_tells_the_truth(runner, tmp_path):
    service = emulated_trtc()
    runner.record_file = str(tmp_path / 'first.json')
    task_id, = start_relays(runner, service, ('8888', 'relay-cam-1'))
    runner.record_file = str(tmp_path / 'second.json')
    refused = run(runner, service, stream_url=STREAM, **RELAY)
    assert refused['failed'] is True and refused['changed'] is False
    exist = service.request_ids('StartStreamIngest')[-1]  # the RequestId of the answer TaskExist
    for words in ('FailedOperation.TaskExist', exist, 'started elsewhere', 'record_store',
                  'task_id together with room_id and user_id'):
        assert words in refused['msg']
    assert 'ended without an answer' not in refused['msg']
    sent = len(service.calls)
    again = run(runner, service, stream_url=STREAM, **RELAY)
    assert again['failed'] is True and 'started elsewhere' in again['msg'] and len(service.calls) == sent
    absent = run(runner, service, state='absent', **RELAY)
    assert absent['failed'] is True and absent['changed'] is False
    assert 'cannot be stopped from here' in absent['msg'] and 'ended without an answer' not in absent['msg']
    assert 'started elsewhere' in absent['msg'] and exist in absent['msg']
    relay, = info(runner, service)['relays']
    assert relay['status'] == 'Unknown' and 'started elsewhere' in relay['note'] and relay['task_id'] is None
    assert len(service.calls) == sent and task_id in service.tasks
    cleared = run(runner, service, state='absent', force=True, **RELAY)
    assert cleared['changed'] is False and 'failed' not in cleared and task_id in service.tasks
    assert info(runner, service)['relays'] == []


def started_elsewhere(service, room_id='8888', user_id='relay-cam-1', task_id='task-from-tccli'):
    """A relay started by tccli or the console: the service runs it, no record holds it."""
    service.put_tasks(dict(sdk_app_id=APP, task_id=task_id, room_id=room_id, user_id=user_id))
    return task_id


def test_a_relay_started_elsewhere_is_adopted_by_name_and_then_converged_and_stopped_by_name(runner):
    service = emulated_trtc()
    task_id = started_elsewhere(service)
    adopted = run(runner, service, task_id=task_id, volume=40, **RELAY)
    assert adopted['changed'] is True and adopted['task_id'] == task_id and adopted['status'] == 'InProgress'
    assert service.actions == ['DescribeStreamIngest', 'UpdateStreamIngest']
    assert service.tasks[task_id]['volume'] == 40
    again = run(runner, service, volume=40, **RELAY)
    assert again['changed'] is False and again['task_id'] == task_id
    assert run(runner, service, task_id=task_id, **RELAY)['changed'] is False, 'adopting it again changes nothing'
    url = run(runner, service, volume=40, stream_url=STREAM, **RELAY)  # the record never knew its stream URL
    assert url['changed'] is True and service.calls[-1]['params'].get('StreamUrl') == STREAM
    assert service.actions.count('StartStreamIngest') == 0
    relay, = info(runner, service)['relays']
    assert (relay['task_id'], relay['adopted'], relay['start'], relay['volume']) == (task_id, True, None, 40)
    stopped = run(runner, service, state='absent', **RELAY)
    assert stopped['changed'] is True and task_id not in service.tasks and info(runner, service)['relays'] == []


def test_adopting_is_refused_when_the_record_holds_another_taskid_or_the_relay_does_not_run(runner):
    service = emulated_trtc()
    recorded, = start_relays(runner, service, ('8888', 'relay-cam-1'))
    other = started_elsewhere(service, user_id='someone-else')
    before, sent = record_bytes(runner), len(service.calls)
    refused = run(runner, service, task_id=other, **RELAY)
    assert refused['failed'] is True and 'holds relay task %s under this name, not %s' % (recorded, other) in (
        refused['msg'])
    assert len(service.calls) == sent and record_bytes(runner) == before
    gone = run(runner, service, task_id='no-such-task', **relay(user_id='cam-9'))
    assert gone['failed'] is True and 'does not run' in gone['msg'] and 'NotExist' in gone['msg']
    assert gone['request_id'] == service.calls[-1]['request_id'] and gone['request_id'] in gone['msg']
    assert gone['status'] == 'NotExist', 'as the Describe answered'
    assert service.actions[sent:] == ['DescribeStreamIngest'] and record_bytes(runner) == before
    twice = run(runner, service, task_id=recorded, **relay(user_id='cam-9'))
    assert twice['failed'] is True and "as the relay of user 'relay-cam-1' in room '8888'" in twice['msg']


def test_adopting_refuses_start_options_and_needs_a_room_before_any_request(runner):
    service = emulated_trtc()
    result = run(runner, service, task_id='t', repeat_num=-1, **RELAY)
    assert result['failed'] is True and result['msg'].startswith('repeat_num: cannot be used with task_id')
    result = run(runner, service, task_id='t', sdk_app_id=APP, user_id='cam-1')
    assert result['failed'] is True and result['msg'].startswith('room_id: is required with task_id and user_id')
    assert service.actions == []


def test_the_second_controller_adopts_what_the_first_started_and_its_mark_is_gone(runner, tmp_path):
    service = emulated_trtc()
    runner.record_file = str(tmp_path / 'first.json')
    task_id, = start_relays(runner, service, ('8888', 'relay-cam-1'))
    runner.record_file = str(tmp_path / 'second.json')
    assert run(runner, service, stream_url=STREAM, **RELAY)['failed'] is True
    assert run(runner, service, task_id=task_id, **RELAY)['changed'] is True
    relay, = info(runner, service)['relays']
    assert relay['status'] == 'InProgress' and relay['note'] is None and relay['task_id'] == task_id
    assert run(runner, service, state='absent', **RELAY)['changed'] is True and service.tasks == {}


def warnings_of(result):
    """The warnings' texts, as each ansible-core reports them."""
    return [warning['event']['msg'] if isinstance(warning, dict) else warning for warning in result.get('warnings', [])]


def exclusive(runner, service, check_mode=False, **args):
    """Room 8888 holds exactly relay-cam-1 and cam-2."""
    arguments = dict(sdk_app_id=APP, room_id='8888', sdk_secret_key=RELAY['sdk_secret_key'], exclusive=True,
                     tasks=[dict(user_id='relay-cam-1', stream_url=STREAM), dict(user_id='cam-2', stream_url=STREAM)])
    arguments.update(args)
    return runner.run(main, arguments, service, check_mode=check_mode, diff=True)


def test_the_relays_an_exclusive_set_stops_are_noted_as_stopped_by_the_collection(runner):
    service = emulated_trtc()
    cam3 = start_relays(runner, service, ('8888', 'cam-3'))[0]
    exclusive(runner, service)
    stop = LastAppliedRecord(runner.record_file).stopped_here(ENDPOINT, APP, cam3)
    assert stop is not None and relay_name(stop['relay'])['user_id'] == 'cam-3'


def test_an_exclusive_set_stops_what_its_rooms_hold_beyond_it_and_nothing_else(runner):
    service = emulated_trtc()
    cam1, cam3, other_room = start_relays(runner, service, ('8888', 'relay-cam-1'), ('8888', 'cam-3'),
                                          ('9999', 'cam-4'))
    LastAppliedRecord(runner.record_file).mark_starting(
        relay_key(ENDPOINT, APP, 'integer', '8888', 'cam-lost'), dict(repeat_num=1))
    sent = len(service.calls)
    predicted = exclusive(runner, service, check_mode=True)
    assert [call['action'] for call in service.calls[sent:]] == ['DescribeStreamIngest'] * 2
    assert predicted['changed'] is True and len(predicted['stopped']) == 1
    assert (predicted['stopped'][0]['user_id'], predicted['stopped'][0]['task_id']) == ('cam-3', cam3)
    assert any('relay-cam-1' not in diff['before_header'] and 'cam-3' in diff['before_header']
               for diff in predicted['diff'])
    ran = exclusive(runner, service)
    assert ran['changed'] is True and [entry['task_id'] for entry in ran['stopped']] == [cam3]
    assert ran['stopped'][0]['changed'] is True and ran['stopped'][0]['status'] == 'NotExist'
    assert cam3 not in service.tasks and cam1 in service.tasks and other_room in service.tasks
    assert [task['user_id'] for task in service.tasks.values()] == ['relay-cam-1', 'cam-4', 'cam-2']
    warnings = ' '.join(warnings_of(ran))
    assert "relay of user 'cam-lost' in room '8888'" in warnings and 'cannot be stopped from here' in warnings
    again = exclusive(runner, service)
    assert again['changed'] is False and again['stopped'] == []
    record = LastAppliedRecord(runner.record_file)
    assert record.stopped_here(ENDPOINT, APP, cam3)['relay'] == relay_key(ENDPOINT, APP, 'integer', '8888', 'cam-3'), (
        'a relay callback of this stop is told as one the collection asked for')
    assert record.stopped_here(ENDPOINT, APP, cam1) is None


def test_an_exclusive_set_stops_nothing_when_a_listed_relay_fails(runner):
    service = emulated_trtc()
    start_relays(runner, service, ('8888', 'cam-3'))
    started_elsewhere(service, user_id='cam-2')
    result = exclusive(runner, service)
    assert result['failed'] is True and result['stopped'] == [] and len(service.tasks) == 3
    assert any('no relay was stopped' in warning for warning in warnings_of(result))


def test_exclusive_needs_the_list_form_by_name_and_state_present(runner):
    service = emulated_trtc()
    for args, words in ((dict(exclusive=True, stream_url=STREAM, **RELAY), 'exclusive: needs tasks'),
                        (dict(exclusive=True, sdk_app_id=APP, state='absent', tasks=[dict(task_id='t')]),
                         'exclusive: only with state=present'),
                        (dict(exclusive=True, sdk_app_id=APP, tasks=[dict(task_id='t')]),
                         'tasks[0].user_id: exclusive=true needs every relay named by room_id and user_id')):
        result = runner.run(main, args, service)
        assert result['failed'] is True and result['msg'].startswith(words), result['msg']
    assert service.actions == []


def relays_shown(runner, service, **args):
    """The relays the list shows, but the RequestIds of their Describes (each answer has its own)."""
    return [dict(relay, request_id=None) for relay in info(runner, service, **args)['relays']]


def move(runner, service, to, store, check_mode=False, **args):
    from ansible_collections.tencentcloud.trtc.plugins.modules.trtc_record_move import main as move_main
    return runner.run(move_main, dict(to=to, record_store=store, **args), service, check_mode=check_mode)


def test_a_local_record_moves_into_a_store_and_back_without_losing_a_taskid(runner, redis_url):
    service = emulated_trtc()
    cam1, cam2 = start_relays(runner, service, ('8888', 'relay-cam-1'), ('9999', 'cam-2'), volume=30)
    LastAppliedRecord(runner.record_file).mark_starting(relay_key(ENDPOINT, APP, 'integer', '8888', 'cam-lost'), {})
    before = relays_shown(runner, service)
    file_before = record_bytes(runner)
    predicted = move(runner, service, 'store', redis_url, check_mode=True)
    assert predicted['changed'] is True and record_bytes(runner) == file_before
    assert info(runner, service, record_store=redis_url)['relays'] == []
    moved = move(runner, service, 'store', redis_url)
    assert moved['changed'] is True and moved['conflicts'] == [] and moved['moved'] == predicted['moved']
    assert [(entry['room_id'], entry['user_id']) for entry in moved['moved'] if entry['kind'] == 'relay'] == [
        ('8888', 'cam-lost'), ('8888', 'relay-cam-1'), ('9999', 'cam-2')]
    assert relays_shown(runner, service, record_store=redis_url) == before
    through_old_record = info(runner, service)
    assert through_old_record['relays'] == [], 'the file holds only marks of where its entries went'
    assert [warning.split(': list', 1)[0] for warning in warnings_of(through_old_record)] == [
        '3 relays of this application here were moved to the record_store redis://:***@%s (by trtc_record_move), '
        'which holds them now' % redis_url.rsplit('@', 1)[-1]], 'the list says where they went, not that none runs'
    assert warnings_of(info(runner, service, room_id='9999')) == [
        warning.replace('3 relays', '1 relays') for warning in warnings_of(through_old_record)]
    named = info(runner, service, relays=[dict(room_id='8888', user_id='relay-cam-1')])
    assert [(relay['status'], relay['request_id']) for relay in named['relays']] == [('Unknown', None)]
    assert named['relays'][0]['note'].startswith('its entry in this record was moved to the record_store redis://')
    assert warnings_of(named) == ["relay of user 'relay-cam-1' in room '8888': " + named['relays'][0]['note']]
    through_file = run(runner, service, volume=30, stream_url=STREAM, **RELAY)
    assert through_file['failed'] is True and 'was moved to the record_store redis://' in through_file['msg']
    by_task_id = run(runner, service, sdk_app_id=APP, task_id=cam1, volume=30)
    assert by_task_id['failed'] is True and 'was moved to the record_store' in by_task_id['msg']
    sent = len(service.calls)
    through_store = run(runner, service, volume=30, stream_url=STREAM, record_store=redis_url, **RELAY)
    assert through_store['changed'] is False and through_store['task_id'] == cam1
    assert service.actions[sent:] == ['DescribeStreamIngest']
    assert move(runner, service, 'store', redis_url)['changed'] is False, 'moved once'
    back = move(runner, service, 'file', redis_url)
    assert back['changed'] is True and len(back['moved']) == len(moved['moved'])
    assert relays_shown(runner, service) == before
    assert info(runner, service, record_store=redis_url)['relays'] == []
    assert run(runner, service, volume=30, stream_url=STREAM, **RELAY)['changed'] is False
    assert run(runner, service, state='absent', **relay(room_id='9999', user_id='cam-2'))['changed'] is True
    assert cam2 not in service.tasks and service.actions.count('StartStreamIngest') == 2


def test_a_move_cut_short_then_an_update_through_the_store_is_one_relay_whose_differing_settings_are_sent_again(
        runner, redis_url):
    from ansible_collections.tencentcloud.trtc.plugins.module_utils._redis_store import RedisStore
    service = emulated_trtc()
    task_id, = start_relays(runner, service, ('8888', 'relay-cam-1'), volume=30)
    key = relay_key(ENDPOINT, APP, 'integer', '8888', 'relay-cam-1')
    entry = LastAppliedRecord(runner.record_file).entry(key)
    store = LastAppliedRecord(backend=RedisStore.of(redis_url))
    with store.hold(key):  # the move wrote the store, was killed before marking the file, then a run set volume 50
        store.file.commit(key, lambda old: dict(entry, volume=50))
    result = move(runner, service, 'store', redis_url)
    assert result['changed'] is True and result['conflicts'] == [], 'one TaskId: one relay, not two under a name'
    shown, = info(runner, service, record_store=redis_url)['relays']
    assert shown['task_id'] == task_id and 'volume' not in shown and shown['stream_url'] == STREAM
    sent = len(service.calls)
    again = run(runner, service, volume=30, stream_url=STREAM, record_store=redis_url, **RELAY)
    assert again['changed'] is True and service.actions[sent:] == ['UpdateStreamIngest']
    assert service.tasks[task_id]['volume'] == 30 and service.actions.count('StartStreamIngest') == 1


def test_a_relay_both_records_hold_differently_is_not_moved_and_both_are_kept(runner, redis_url, tmp_path):
    service = emulated_trtc()
    local = runner.record_file
    here, = start_relays(runner, service, ('8888', 'relay-cam-1'))
    start_relays(runner, service, ('8888', 'cam-2'))
    service.end(APP, here)
    runner.record_file = str(tmp_path / 'other.json')
    there, = start_relays(runner, service, ('8888', 'relay-cam-1'), record_store=redis_url)
    runner.record_file = local
    result = move(runner, service, 'store', redis_url)
    assert result['failed'] is True and '1 entries not moved' in result['msg']
    assert [(entry['kind'], entry.get('user_id')) for entry in result['conflicts']] == [('relay', 'relay-cam-1')]
    assert [entry['user_id'] for entry in info(runner, service)['relays']] == ['relay-cam-1']
    assert info(runner, service)['relays'][0]['task_id'] == here
    in_store = info(runner, service, record_store=redis_url)['relays']
    assert [(entry['user_id'], entry['task_id']) for entry in in_store][:2] == [
        ('cam-2', in_store[0]['task_id']), ('relay-cam-1', there)]


def test_moving_needs_a_store_before_anything(runner):
    result = move(runner, FakeService(), 'store', None)
    assert result['failed'] is True and result['msg'].startswith('record_store: required')


def test_moving_in_check_mode_makes_no_file(runner, redis_url, tmp_path):
    runner.record_file = str(tmp_path / 'none' / 'record.json')
    result = move(runner, FakeService(), 'file', redis_url, check_mode=True)
    assert result['changed'] is False and result['moved'] == []
    assert not (tmp_path / 'none').exists()


def test_while_a_record_moves_every_relay_name_is_held_by_one_record_at_each_write(runner, redis_url):
    from ansible_collections.tencentcloud.trtc.plugins.module_utils import _record_move
    from ansible_collections.tencentcloud.trtc.plugins.module_utils._redis_store import RedisStore
    service = emulated_trtc()
    users = ('relay-cam-1', 'cam-2')
    task_ids = dict(zip(users, start_relays(runner, service, *[('8888', user) for user in users])))
    local, store = LastAppliedRecord(runner.record_file), LastAppliedRecord(backend=RedisStore.of(redis_url))
    keys = dict((user, relay_key(ENDPOINT, APP, 'integer', '8888', user)) for user in task_ids)
    seen = []

    def holders(user):
        """The records whose entry of the relay holds its TaskId (not a mark of where it went)."""
        return [name for name, record in (('file', local), ('store', store))
                if record.entry(keys[user]).get('task_id') == task_ids[user]]

    def watched(record):
        commit = record.file.commit

        def commit_and_look(key, change):
            commit(key, change)
            seen.append(dict((user, holders(user)) for user in task_ids))
        record.file.commit = commit_and_look
    for record in (local, store):
        watched(record)
    result = _record_move.move(local, store, 'record_store test', None, False)
    assert [entry.get('user_id') for entry in result['moved'] if entry['kind'] == 'relay'] == ['cam-2', 'relay-cam-1']
    assert seen and all(holders_of_each and all(holders_of_each.values()) for holders_of_each in seen), seen
    assert seen[-1] == dict((user, ['store']) for user in task_ids)
