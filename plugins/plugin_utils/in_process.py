# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Run a module's logic inside the controller when the task runs on the controller anyway.

Ansible starts a new Python process for every loop item of an ordinary module; for API modules
that cost dominates. When the task's connection is local, the action plugin validates the
arguments against the module's own spec and runs the module's own run function here, with the
same result, no_log masking, warnings, check mode and diff. Anywhere else, the module runs as usual.
"""

from __future__ import annotations

import os

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError
from ansible.plugins.action import ActionBase

from ansible_collections.tencentcloud.trtc.plugins.module_utils.base import TrtcRunner, full_argument_spec
from ansible_collections.tencentcloud.trtc.plugins.module_utils.client import HAS_REQUESTS

IN_PROCESS_ENV = 'TENCENTCLOUD_TRTC_IN_PROCESS'


class _RunEnded(BaseException):
    """Ends a run with its result, as SystemExit ends a module (and, like it, is no Exception)."""

    def __init__(self, result):
        super().__init__()
        self.result = result


class InProcessRunner(TrtcRunner):
    """A TrtcRunner in the controller: arguments validated as AnsibleModule would, results masked as it would."""

    def __init__(self, module_name, argument_spec, module_kwargs, args, check_mode):
        self.module_name = module_name
        spec = full_argument_spec(argument_spec)
        validator = ArgumentSpecValidator(spec, **dict((key, value) for key, value in module_kwargs.items()
                                                       if key != 'supports_check_mode'))
        self.validation = validator.validate(dict(args))
        self.params = self.validation.validated_parameters
        self.check_mode = check_mode
        self.warnings = []
        self.no_log_values = secret_values(spec, self.params)

    def warn(self, message):
        self.warnings.append(message)

    def _validation_message(self):
        message = self.validation.errors.msg
        if isinstance(self.validation.errors[0], UnsupportedError):
            message = 'Unsupported parameters for (%s) module: %s' % (self.module_name, message)
        return message

    def exit_json(self, **result):
        raise _RunEnded(self._finished(result))

    def fail_json(self, **result):
        result['failed'] = True
        raise _RunEnded(self._finished(result))

    def _finished(self, result):
        result['invocation'] = {'module_args': self.params}
        if self.warnings:
            result['warnings'] = list(self.warnings)
        return remove_values(result, self.no_log_values)

    def run(self, run_function):
        try:
            if self.validation.error_messages:
                self.fail_json(msg=self._validation_message())
            super().run(run_function)
        except _RunEnded as ended:
            return ended.result
        raise RuntimeError('%s returned without a result' % run_function.__name__)


def secret_values(spec, params):
    """The values of the no_log options, to be masked wherever they appear in the result."""
    return set(str(params[name]) for name, option in spec.items() if option.get('no_log') and params.get(name))


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
                                     self._task.args, bool(self._task.check_mode))
            result.update(runner.run(type(self).run_function))
            return result
        # As ansible.builtin.normal does for any module.
        wrap_async = self._task.async_val and not self._connection.has_native_async
        result.update(self._execute_module(module_args=self._task.args, task_vars=task_vars, wrap_async=wrap_async))
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    def _runs_in_controller(self):
        """Local connection, nothing that only a separate process does (become, async, environment)."""
        if os.environ.get(IN_PROCESS_ENV, '').lower() in ('0', 'false', 'no', 'off'):
            return False
        # The environment keyword arrives as a list of dicts (empty ones when unset) or templates.
        has_environment = any(self._task.environment or [])
        return (HAS_REQUESTS and self._connection.transport == 'local' and not self._play_context.become
                and not self._task.async_val and not has_environment)
