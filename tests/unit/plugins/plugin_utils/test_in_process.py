# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The same arguments give the same result as a module and inside the controller."""

from __future__ import annotations

import json
import os
import re
from types import SimpleNamespace
from unittest import mock

import pytest

from ansible import constants as C
from ansible.utils.display import Display

try:
    from ansible.module_utils import _internal as module_utils_internal
except ImportError:  # ansible-core 2.17
    module_utils_internal = None

from ansible_collections.tencentcloud.trtc.plugins.module_utils._runner import TrtcModule
from ansible_collections.tencentcloud.trtc.plugins.module_utils import _trtc_stream_ingest, _trtc_stream_ingest_info
from ansible_collections.tencentcloud.trtc.plugins.modules import trtc_stream_ingest, trtc_stream_ingest_info
from ansible_collections.tencentcloud.trtc.plugins.plugin_utils import _in_process as in_process_module
from ansible_collections.tencentcloud.trtc.plugins.plugin_utils._in_process import (
    IN_PROCESS_ENV, InProcessModuleAction, InProcessRunner,
)
from ansible_collections.tencentcloud.trtc.tests.unit.plugins.fake_service import Call, FakeService
from ansible_collections.tencentcloud.trtc.tests.unit.plugins.module_runner import (
    CONNECTION, SECRET_KEY, module_process,
)

LIMITER = 'ansible_collections.tencentcloud.trtc.plugins.module_utils._ratelimit.HostRateLimiter.__call__'
NESTED_SECRET = 'nested-secret-value-5f4dcc3b'

# A spec with what the modules' specs do not have (yet): a no_log suboption, a deprecated option and
# a deprecated alias. It runs through the same TrtcModule and InProcessRunner as the modules do.
PROBE_ARGUMENT_SPEC = dict(
    entries=dict(type='list', elements='dict', options=dict(
        name=dict(type='str', required=True),
        token=dict(type='str', no_log=True),
        level=dict(type='int', aliases=['lvl'],
                   deprecated_aliases=[dict(name='lvl', version='3.0.0', collection_name='tencentcloud.trtc')]),
    )),
    legacy=dict(type='str', removed_in_version='3.0.0', removed_from_collection='tencentcloud.trtc'),
    mode=dict(type='str', aliases=['kind']),
    fail=dict(type='bool', default=False),
)
PROBE_KWARGS = dict(supports_check_mode=True)


def run_probe(runner):
    """Echoes the entries and says their tokens: what no_log masking must catch in a result."""
    runner.warn('a warning of the run itself')
    entries = runner.params['entries'] or []
    result = dict(changed=False, entries=entries, said='tokens: %s' % ', '.join(e['token'] or '-' for e in entries))
    if runner.params['fail']:
        runner.fail_json(msg='failed, %s' % result['said'], **result)
    runner.exit_json(**result)


def probe_main():
    TrtcModule(PROBE_ARGUMENT_SPEC, **PROBE_KWARGS).run(run_probe)


MODULES = {
    'stream_ingest': (trtc_stream_ingest.main, _trtc_stream_ingest.ARGUMENT_SPEC, _trtc_stream_ingest.MODULE_KWARGS,
                      _trtc_stream_ingest.run),
    'info': (trtc_stream_ingest_info.main, _trtc_stream_ingest_info.ARGUMENT_SPEC, _trtc_stream_ingest_info.MODULE_KWARGS,
             _trtc_stream_ingest_info.run),
    'probe': (probe_main, PROBE_ARGUMENT_SPEC, PROBE_KWARGS, run_probe),
}
MODULE_NAMES = {
    'stream_ingest': 'tencentcloud.trtc.trtc_stream_ingest',
    'info': 'tencentcloud.trtc.trtc_stream_ingest_info',
    'probe': 'tencentcloud.trtc.probe',
}

UPDATE_A = Call('UpdateStreamIngest', TaskId='a', IsPause=True).answers('r')
ALIAS_CASE = ('stream_ingest', dict(sdk_app_id=1, task_id='t', paused=True, is_pause=True),
              [Call('UpdateStreamIngest', TaskId='t', IsPause=True).answers('r')], False)
NESTED_ALIAS_CASE = ('stream_ingest', dict(sdk_app_id=1, tasks=[dict(task_id='a', paused=True, is_pause=True)]),
                     [UPDATE_A], False)
PROBE_CASE = ('probe', dict(entries=[dict(name='a', token=NESTED_SECRET, lvl=1), dict(name='b', level=2, lvl=2)],
                            legacy='x', mode='m', kind='k'), [], False)

CASES = [
    ('stream_ingest', dict(sdk_app_id=1, task_id='t', volume=80),
     [Call('UpdateStreamIngest', TaskId='t', Volume=80).answers('r', Status='InProgress')], False),
    ('stream_ingest', dict(sdk_app_id=1, task_id='t', volume=80),
     [Call('DescribeStreamIngest', TaskId='t').answers('r', Status='InProgress')], True),
    ('stream_ingest', dict(sdk_app_id=1, task_id='t', state='absent'),
     [Call('StopStreamIngest', TaskId='t').answers('r')], False),
    ('stream_ingest', dict(sdk_app_id=1, task_id='t', volume=101), [], False),
    ('stream_ingest', dict(sdk_app_id=1, task_id='t', bogus=1), [], False),
    ('stream_ingest', dict(sdk_app_id='one', task_id='t'), [], False),
    ('stream_ingest', dict(sdk_app_id=1), [], False),
    ('stream_ingest', dict(sdk_app_id=1, task_id='t', paused=True),
     [Call('UpdateStreamIngest', TaskId='t').fails('FailedOperation.TaskNotExist', 'gone', 'r-gone')], False),
    ('stream_ingest', dict(sdk_app_id=1, tasks=[dict(task_id='a', volume=1)], secret_key='other-secret-key-value'),
     [Call('UpdateStreamIngest', TaskId='a', Volume=1).fails('AuthFailure.SignatureFailure', 'bad', 'r-auth')], False),
    ('info', dict(sdk_app_id=1, task_ids=['a', 'b']),
     [Call('DescribeStreamIngest', TaskId='a').answers('r1', Status='InProgress'),
      Call('DescribeStreamIngest', TaskId='b').answers('r2', Status='NotExist')], False),
    ('info', dict(sdk_app_id=1, task_ids=['']), [], False),
    # A list entry that is no dictionary, named by option and position on both paths, every secret still masked
    # (ansible-core stops collecting no_log values at such an entry); an empty secret refused.
    ('stream_ingest', dict(sdk_app_id=1, room_id='8888', tasks=[dict(user_id='a', user_sig=NESTED_SECRET), 'cam-1']),
     [], False),
    ('info', dict(sdk_app_id=1, relays=['cam-1']), [], False),
    ('stream_ingest', dict(sdk_app_id=1, room_id='8888', user_id='cam-1', user_sig='', stream_url='https://a.b/c'),
     [], False),
    # An option and its alias both set: a warning, in success and in failure, at the top and in a suboption.
    ALIAS_CASE,
    ('stream_ingest', dict(sdk_app_id=1, task_id='t', paused=True, is_pause=False, volume=101), [], False),
    ('stream_ingest', dict(sdk_app_id='one', task_id='t', paused=True, is_pause=True), [], False),
    NESTED_ALIAS_CASE,
    # Deprecations (an option, an alias), warnings, and a no_log suboption masked wherever its value shows.
    PROBE_CASE,
    ('probe', dict(entries=[dict(name='a', token=NESTED_SECRET)], fail=True), [], False),
    ('probe', dict(entries=[dict(name='a', token=NESTED_SECRET, level='high')], mode='m', kind='k'), [], False),
]


# ansible-core 2.21 made invocation in a module's result optional (INJECT_INVOCATION, off by default).
INVOCATION_OPTIONAL = 'INJECT_INVOCATION' in C.config.get_configuration_definitions()


def in_process(runner, module_name, name, args, replies, check_mode, inject_invocation=True):
    dummy, spec, kwargs, run_function = MODULES[name]
    full_args = dict(CONNECTION, record_file=runner.record_file, **args)
    session = FakeService(*replies)
    with mock.patch('ansible_collections.tencentcloud.trtc.plugins.module_utils._client.requests.Session',
                    return_value=session):
        result = InProcessRunner(module_name, spec, kwargs, full_args, check_mode, inject_invocation).run(run_function)
    session.assert_done()
    return json.loads(json.dumps(result))


def as_reported(result):
    """A result with its warnings and deprecations as ansible-core < 2.19 writes them (strings and dicts).

    ansible-core 2.19 modules write them as serialized WarningSummary and DeprecationSummary objects,
    which the controller makes of strings and dicts too: the same messages either way.
    """
    result = dict(result)
    if 'warnings' in result:
        result['warnings'] = [warning['event']['msg'] if isinstance(warning, dict) else warning
                              for warning in result['warnings']]
    if 'deprecations' in result:
        deprecations = []
        for item in result['deprecations']:
            if 'event' in item:
                deprecator = item.get('deprecator') or {}
                item = dict(msg=item['event']['msg'], version=item.get('version'), date=item.get('date'),
                            collection_name=deprecator.get('resolved_name'))
                if item['date'] is None:
                    item.pop('date')
                else:
                    item.pop('version')
            deprecations.append(item)
        result['deprecations'] = deprecations
    return result


@pytest.fixture(params=[False, True], ids=['no-tracebacks', 'tracebacks'])
def tracebacks(request, monkeypatch):
    """Whether ansible-core attaches tracebacks to failures: ANSIBLE_DISPLAY_TRACEBACK=error (2.19+), -vvv (2.17, 2.18).

    Returns the internal arguments the controller gives a module then.
    """
    if not request.param:
        monkeypatch.delenv('ANSIBLE_DISPLAY_TRACEBACK', raising=False)
        return {}
    monkeypatch.setenv('ANSIBLE_DISPLAY_TRACEBACK', 'error')
    monkeypatch.setattr(Display(), 'verbosity', 3)  # a singleton: the controller's -vvv
    if hasattr(module_utils_internal, 'is_controller'):  # ansible-core 2.19 and later
        return dict(_ansible_tracebacks_for=['error'], _ansible_verbosity=3)
    return dict(_ansible_verbosity=3)


def as_module(runner, name, args, replies, check_mode, internal_args=None):
    with module_process():
        return runner.run(MODULES[name][0], dict(args, **(internal_args or {})), FakeService(*replies),
                          check_mode=check_mode, module_name=MODULE_NAMES[name])


def inject_args(inject_invocation):
    """What the controller tells a module of INJECT_INVOCATION (ansible-core 2.21+; before, an unknown argument)."""
    return dict(_ansible_inject_invocation=inject_invocation) if INVOCATION_OPTIONAL else {}


@pytest.fixture(params=[False, True], ids=['no-invocation', 'invocation'])
def inject_invocation(request):
    """Whether INJECT_INVOCATION asks for invocation (ansible-core 2.21+; before, modules always return it)."""
    return request.param


@pytest.mark.parametrize('name, args, replies, check_mode', CASES)
def test_same_result_as_the_module(runner, tmp_path, tracebacks, inject_invocation, name, args, replies, check_mode):
    module_name = MODULE_NAMES[name]
    internal_args = dict(tracebacks, **inject_args(inject_invocation))
    module_result = as_reported(as_module(runner, name, args, replies, check_mode, internal_args))
    runner.record_file = str(tmp_path / 'record-in-process.json')
    wanted = inject_invocation or not INVOCATION_OPTIONAL
    inside = in_process(runner, module_name, name, args, replies, check_mode, wanted)
    for secret in (SECRET_KEY, 'other-secret-key-value', NESTED_SECRET):
        assert secret not in json.dumps(inside)
        assert secret not in json.dumps(module_result)
    # A traceback where the module attaches one (its frames differ: the module's own start, the controller's).
    assert ('exception' in inside) == ('exception' in module_result), (inside, module_result)
    assert ('invocation' in module_result) == wanted
    for result in (module_result, inside):
        result.pop('exception', None)
        if wanted:
            result['invocation']['module_args'].pop('record_file')
    assert inside == module_result, module_name


def test_the_new_cases_report_what_they_should(runner, tmp_path):
    """The parity cases are not vacuous: warnings, deprecations and masking do show."""
    results = []
    for index, (name, args, replies, check_mode) in enumerate((ALIAS_CASE, NESTED_ALIAS_CASE, PROBE_CASE)):
        runner.record_file = str(tmp_path / ('record-%d.json' % index))
        results.append(in_process(runner, MODULE_NAMES[name], name, args, replies, check_mode))
    alias, nested_alias, probe = results
    assert alias['warnings'] == ['Both option paused and its alias is_pause are set.']
    assert nested_alias['warnings'] == ['Both option tasks[0].paused and its alias tasks[0].is_pause are set.']
    assert probe['warnings'] == ['Both option entries[1].level and its alias entries[1].lvl are set.',
                                 'Both option mode and its alias kind are set.', 'a warning of the run itself']
    assert sorted(d['msg'] for d in probe['deprecations']) == [
        "Alias 'entries[0].lvl' is deprecated. See the module docs for more information",
        "Alias 'entries[1].lvl' is deprecated. See the module docs for more information",
        "Param 'legacy' is deprecated. See the module docs for more information",
    ]
    assert all(d['collection_name'] == 'tencentcloud.trtc' and d['version'] == '3.0.0' for d in probe['deprecations'])
    assert probe['invocation']['module_args']['entries'][0]['token'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
    assert probe['said'] == 'tokens: ********, -'


class TaggedStr(str):
    """A str subclass, as the values ansible-core 2.19 and later template in the controller are (_AnsibleTaggedStr)."""


def test_a_list_entry_that_is_no_dictionary_is_named_by_kind_inside_the_controller(runner):
    """tasks: [cam-1] in the controller: the entry is a string, not a '_AnsibleTaggedStr', as the module says."""
    args = dict(sdk_app_id=1, room_id='8888', tasks=[TaggedStr('cam-1')])
    inside = in_process(runner, MODULE_NAMES['stream_ingest'], 'stream_ingest', args, [], False)
    assert inside['failed'] and inside['msg'] == ('tasks: entry 1 is a string, not a dictionary: each entry holds '
                                                  'options (task_id, room_id, room_id_type, user_id, ...)')


def controller_view(result):
    """(warnings, deprecations) as the controller makes them of a result: (message, version, date, deprecator, type)."""
    try:  # ansible-core 2.21 and later
        from ansible._internal._task import UnifiedTaskResult
        task_result = UnifiedTaskResult.from_action_result_dict(dict(result))
        warnings, deprecations = task_result.warnings or [], task_result.deprecations or []
    except ImportError:  # ansible-core 2.19 and 2.20
        display_utils = pytest.importorskip('ansible._internal._display_utils')
        from ansible.executor.task_executor import TaskExecutor
        with display_utils.DeferredWarningContext(variables={}) as context:
            TaskExecutor._apply_task_result_compat(dict(result), context)
        warnings, deprecations = context.get_warnings(), context.get_deprecation_warnings()
    return ([warning.event.msg for warning in warnings],
            [(d.event.msg, d.version, d.date, d.deprecator.resolved_name, d.deprecator.type) for d in deprecations])


def test_the_controller_makes_the_same_warnings_and_deprecations_of_both(runner, tmp_path):
    """ansible-core 2.19 and later: what the controller makes of the in-controller result is what the module sent."""
    name, args, replies, check_mode = PROBE_CASE
    module_result = as_module(runner, name, args, replies, check_mode)
    runner.record_file = str(tmp_path / 'record-in-process.json')
    inside = in_process(runner, MODULE_NAMES[name], name, args, replies, check_mode)
    warnings, deprecations = controller_view(inside)
    assert warnings == [warning['event']['msg'] for warning in module_result['warnings']]
    assert deprecations == [
        (d['event']['msg'], d.get('version'), d.get('date'), d['deprecator']['resolved_name'], d['deprecator'].get('type'))
        for d in module_result['deprecations']]
    assert len(warnings) == 3 and len(deprecations) == 3


def frames(formatted_traceback):
    """(file name, function) of each frame of a formatted traceback."""
    return [(os.path.basename(path), function)
            for path, function in re.findall(r'File "([^"]+)", line \d+, in (\S+)', formatted_traceback)]


def no_space_left(*args, **kwargs):
    raise OSError(28, 'No space left on device')  # a new exception each time: a raised one keeps its traceback


def test_an_unexpected_error_fails_with_its_message_and_the_traceback_on_both_paths(runner, tracebacks):
    args = dict(sdk_app_id=1, task_id='t', volume=3)
    with mock.patch(LIMITER, side_effect=no_space_left):
        module_result = as_module(runner, 'stream_ingest', args, [], False, tracebacks)
        inside = in_process(runner, MODULE_NAMES['stream_ingest'], 'stream_ingest', args, [], False)
    message = 'unexpected error: OSError: [Errno 28] No space left on device'
    for result in (module_result, inside):
        assert result['failed'] is True
        assert result['msg'] == message
        if tracebacks:
            # Message first, the traceback apart, from the run down to what raised.
            assert frames(result['exception'])[0] == ('_runner.py', 'run')
            assert 'run_function(self)' in result['exception']
        else:
            assert 'exception' not in result
    if tracebacks:
        assert frames(inside['exception']) == frames(module_result['exception'])
        assert inside['exception'].splitlines()[-1] == module_result['exception'].splitlines()[-1]


def test_validation_warnings_do_not_leak_into_ansible_core(runner):
    """The suboption warnings are collected for the result only; ansible-core's own emitters are restored."""
    from ansible.module_utils.common import parameters, validation
    before = (parameters.warn, getattr(validation, 'deprecate', None))
    in_process(runner, MODULE_NAMES['stream_ingest'], 'stream_ingest',
               dict(sdk_app_id=1, tasks=[dict(task_id='a', paused=True, is_pause=True)]), [UPDATE_A], False)
    assert (parameters.warn, getattr(validation, 'deprecate', None)) == before


def action(transport='local', become=False, async_val=0, environment=None, timeout=0):
    plugin = object.__new__(InProcessModuleAction)
    plugin._connection = SimpleNamespace(transport=transport)
    plugin._play_context = SimpleNamespace(become=become)
    plugin._task = SimpleNamespace(async_val=async_val, environment=environment, timeout=timeout)
    return plugin


@pytest.mark.parametrize('plugin, env, expected', [
    (action(), None, True),
    (action(environment=[]), None, True),
    (action(environment=[{}]), None, True),
    (action(), '1', True),
    (action(), '0', False),
    (action(), 'false', False),
    (action(), 'OFF', False),
    (action(transport='ssh'), None, False),
    (action(transport='ansible.netcommon.network_cli'), None, False),
    (action(become=True), None, False),
    (action(async_val=30), None, False),
    (action(environment=[{'HTTPS_PROXY': 'http://proxy:3128'}]), None, False),
    (action(environment=[{}, '{{ proxy_env }}']), None, False),
    (action(timeout=30), None, False),
], ids=['local', 'environment-empty-list', 'environment-empty-dict', 'env-1', 'env-0', 'env-false', 'env-OFF',
        'ssh', 'network_cli', 'become', 'async', 'environment', 'environment-template', 'timeout'])
def test_runs_in_controller_only_where_a_module_process_adds_nothing(monkeypatch, plugin, env, expected):
    if env is None:
        monkeypatch.delenv(IN_PROCESS_ENV, raising=False)
    else:
        monkeypatch.setenv(IN_PROCESS_ENV, env)
    assert plugin._runs_in_controller() is expected


def test_runs_as_a_module_without_requests_in_the_controller(monkeypatch):
    monkeypatch.delenv(IN_PROCESS_ENV, raising=False)
    monkeypatch.setattr(in_process_module, 'HAS_REQUESTS', False)
    assert action()._runs_in_controller() is False


@pytest.mark.parametrize('case', [CASES[0], CASES[8], PROBE_CASE], ids=['update', 'api-error', 'probe'])
def test_the_in_controller_run_uses_nothing_ansible_core_deprecates(runner, case):
    """ansible-core 2.22 deprecates remove_values(): called in the controller, it shows a deprecation warning per task."""
    name, args, replies, check_mode = case
    with mock.patch.object(Display, 'deprecated') as shown:
        inside = in_process(runner, MODULE_NAMES[name], name, args, replies, check_mode)
    assert not shown.called, shown.call_args_list
    assert not any('ansible-core' in json.dumps(d) for d in inside.get('deprecations', []))


def test_masking_is_the_same_on_every_ansible_core(runner, tmp_path):
    """A no_log value is hidden from the result itself (not only from what callbacks show), on both paths."""
    name, args, replies, check_mode = PROBE_CASE
    module_result = as_module(runner, name, args, replies, check_mode, inject_args(True))
    runner.record_file = str(tmp_path / 'record-in-process.json')
    inside = in_process(runner, MODULE_NAMES[name], name, args, replies, check_mode)
    for result in (module_result, inside):
        assert result['said'] == 'tokens: ********, -'
        assert result['entries'][0]['token'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
        assert result['invocation']['module_args']['entries'][0]['token'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
