# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Run a module's logic inside the controller when the task runs on the controller anyway.

Ansible starts a new Python process for every loop item of an ordinary module; for API modules
that cost dominates. When the task's connection is local, the action plugin validates the
arguments against the module's own spec and runs the module's own run function here, with the
same result as AnsibleModule gives: the same validation messages, warnings and deprecations,
no_log masking (suboptions included, by the collection's own masking on both paths), check mode,
diff, ``invocation`` exactly when the module would return it, and a traceback in ``exception``
exactly when the module would attach one. Anywhere else, the module runs as usual.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import traceback

from ansible import constants as C
from ansible.module_utils.common import parameters as _parameters
from ansible.module_utils.common import validation as _validation
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.errors import UnsupportedError
from ansible.plugins.action import ActionBase
from ansible.release import __version__ as ansible_core_version
from ansible.utils.display import Display

from ansible_collections.tencentcloud.trtc.plugins.module_utils._runner import (
    TrtcRunner, declared_no_log_values, full_argument_spec, reported, validation_message,
)
from ansible_collections.tencentcloud.trtc.plugins.module_utils._client import HAS_REQUESTS
from ansible_collections.tencentcloud.trtc.plugins.module_utils._masking import masked

try:  # ansible-core 2.19 and later: DISPLAY_TRACEBACK decides, for the controller and for modules alike
    from ansible.module_utils._internal import _traceback
except ImportError:  # ansible-core 2.17 and 2.18: -vvv or ANSIBLE_DEBUG decides (the module's _verbosity and _debug)
    _traceback = None

IN_PROCESS_ENV = 'TENCENTCLOUD_TRTC_IN_PROCESS'

display = Display()


class _RunEnded(BaseException):
    """Ends a run with its result, as SystemExit ends a module (and, like it, is no Exception)."""

    def __init__(self, result):
        super().__init__()
        self.result = result


def deprecation(msg, version=None, date=None, collection_name=None):
    """A deprecation as ansible.module_utils.common.warnings.deprecate records it for a module's result."""
    if date is not None:
        return {'msg': msg, 'date': date, 'collection_name': collection_name}
    return {'msg': msg, 'version': version, 'collection_name': collection_name}


@contextlib.contextmanager
def reported_during_validation(warnings, deprecations):
    """Collect what validation itself reports through warn() and deprecate(), as a module's result would hold it.

    Validation reports some things at once instead of in its result: an option and its alias both set
    inside a suboption (``tasks[0].paused`` and ``tasks[0].is_pause``), for one. In a module they land in
    the result; in the controller they would be lost (ansible-core < 2.19) or shown apart from the result.
    The functions are replaced only for the validation, in this worker process, which runs one task at a time.
    """
    def warn(warning, **kwargs):  # pylint: disable=unused-argument
        warnings.append(warning)

    def deprecate(msg, version=None, date=None, collection_name=None, **kwargs):  # pylint: disable=unused-argument
        deprecations.append(deprecation(msg, version, date, collection_name))

    replaced = []
    try:
        for module in (_parameters, _validation):
            for name, collector in (('warn', warn), ('deprecate', deprecate)):
                if hasattr(module, name):
                    replaced.append((module, name, getattr(module, name)))
                    setattr(module, name, collector)
        yield
    finally:
        for module, name, original in replaced:
            setattr(module, name, original)


def failure_traceback(msg):
    """The traceback AnsibleModule.fail_json attaches to a failure reported now (in an except block or not), or None."""
    current = sys.exc_info()[1]
    if _traceback is None:
        if current is not None and (C.DEFAULT_DEBUG or display.verbosity >= 3):
            return ''.join(traceback.format_tb(sys.exc_info()[2]))
        return None
    if current is not None:
        return _traceback.maybe_extract_traceback(current, _traceback.TracebackEvent.ERROR)
    return _traceback.maybe_capture_traceback(msg, _traceback.TracebackEvent.ERROR)


def invocation_wanted(task_vars):
    """Whether a module's result holds ``invocation``: always before ansible-core 2.21, since then when INJECT_INVOCATION asks."""
    if 'INJECT_INVOCATION' not in C.config.get_configuration_definitions():
        return True
    return bool(C.config.get_config_value('INJECT_INVOCATION', variables=task_vars or {}))


def core_at_least(major, minor):
    """Whether the running ansible-core is major.minor or later (pre-releases of it included)."""
    found = re.match(r'(\d+)\.(\d+)', ansible_core_version)
    return (int(found.group(1)), int(found.group(2))) >= (major, minor)


# ansible-core 2.22 keeps ansible_parsed (true for a module's parsed result) in what a task registers.
MODULE_RESULTS_SAY_PARSED = core_at_least(2, 22)


class InProcessRunner(TrtcRunner):
    """A TrtcRunner in the controller: arguments validated as AnsibleModule would, results reported as it would."""

    def __init__(self, module_name, argument_spec, module_kwargs, args, check_mode, inject_invocation=True):
        self.module_name = module_name
        self.inject_invocation = inject_invocation
        self.argument_spec = full_argument_spec(argument_spec)
        self.given = dict(args)
        validator = ArgumentSpecValidator(self.argument_spec,
                                          **dict((key, value) for key, value in module_kwargs.items()
                                                 if key != 'supports_check_mode'))
        self.warnings = []
        self.deprecations = []
        with reported_during_validation(self.warnings, self.deprecations):
            self.validation = validator.validate(dict(args))
        # What ModuleArgumentSpecValidator.validate reports once validation is done, in this order.
        self.deprecations.extend(deprecation(d['msg'], d.get('version'), d.get('date'), d.get('collection_name'))
                                 for d in self.validation._deprecations)
        self.warnings.extend('Both option {option} and its alias {alias} are set.'.format(**w)
                             for w in self.validation._warnings)
        self.params = self.validation.validated_parameters
        self.check_mode = check_mode
        # Every no_log value validation found, suboptions and fallbacks included, as AnsibleModule masks them.
        self.no_log_values = set(self.validation._no_log_values)
        if self.validation.error_messages:  # validation may have stopped before it found them all
            for params in (self.params, self.given):
                self.no_log_values.update(declared_no_log_values(self.argument_spec, params))

    def warn(self, message):
        self.warnings.append(masked(message, self.no_log_values))

    def _validation_message(self):
        if isinstance(self.validation.errors[0], UnsupportedError):
            return 'Unsupported parameters for (%s) module: %s' % (self.module_name, self.validation.errors.msg)
        return validation_message(self.argument_spec, self.given, self.validation)

    def exit_json(self, **result):
        raise _RunEnded(self._finished(result))

    def fail_json(self, **result):
        result['failed'] = True
        if 'exception' not in result:
            formatted = failure_traceback(result.get('msg'))
            if formatted:
                result['exception'] = formatted
        raise _RunEnded(self._finished(result))

    def _finished(self, result):
        """As TrtcModule and AnsibleModule._return_formatted: masked, invocation if wanted, warnings, deprecations."""
        result = reported(result, self.params, self.no_log_values)
        if not self.inject_invocation:
            del result['invocation']
        if self.warnings:
            result['warnings'] = list(self.warnings)
        if self.deprecations:
            result['deprecations'] = list(self.deprecations)
        return result

    def run_as_module_would(self, run_function):
        """The result of run() with what ansible-core adds to a module's result on its way to the task."""
        result = self.run(run_function)
        if MODULE_RESULTS_SAY_PARSED:
            result['ansible_parsed'] = True
        return result

    def run(self, run_function):
        try:
            if self.validation.error_messages:
                self.fail_json(msg=self._validation_message())
            super().run(run_function)
        except _RunEnded as ended:
            return ended.result
        raise RuntimeError('%s returned without a result' % run_function.__name__)


@contextlib.contextmanager
def working_directory(path):
    """In path while the block runs, where ansible-core runs a module on a local connection (the task's basedir):
    a relative record_file or rate_limit_dir starts there on both paths. This worker process runs one task."""
    try:
        before = os.getcwd()
        os.chdir(path)
    except OSError:  # a directory gone or not searchable: the module would fail to start there; run as we are
        yield
        return
    try:
        yield
    finally:
        os.chdir(before)


class InProcessModuleAction(ActionBase):
    """Base of the collection's action plugins: in the controller when the connection is local."""

    TRANSFERS_FILES = False
    _supports_check_mode = True
    _supports_async = True

    argument_spec = None
    module_kwargs = None
    run_function = None

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        if self._runs_in_controller():
            runner = InProcessRunner(self._task.resolved_action, self.argument_spec, self.module_kwargs,
                                     self._task.args, bool(self._task.check_mode), invocation_wanted(task_vars))
            with working_directory(self._loader.get_basedir()):
                result.update(runner.run_as_module_would(type(self).run_function))
            return result
        # As ansible.builtin.normal does for any module.
        wrap_async = self._task.async_val and not self._connection.has_native_async
        result.update(self._execute_module(module_args=self._task.args, task_vars=task_vars, wrap_async=wrap_async))
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    def _runs_in_controller(self):
        """Local connection, nothing that only a separate process does (become, async, environment, timeout).

        With the task keyword timeout, ansible-core interrupts the worker when it fires: inside the controller that
        would abandon a StartStreamIngest between its sending and the record of its TaskId. A module's own process
        finishes what it started and records it.
        """
        if os.environ.get(IN_PROCESS_ENV, '').lower() in ('0', 'false', 'no', 'off'):
            return False
        # The environment keyword arrives as a list of dicts (empty ones when unset) or templates.
        has_environment = any(self._task.environment or [])
        return (HAS_REQUESTS and self._connection.transport == 'local' and not self._play_context.become
                and not self._task.async_val and not has_environment and not getattr(self._task, 'timeout', None))
