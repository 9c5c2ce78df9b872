# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import contextlib
import json
from unittest import mock

import pytest

from ansible.module_utils import basic
from ansible.module_utils.common import warnings as common_warnings
from ansible.module_utils.common.text.converters import to_bytes

try:  # ansible-core 2.19 and later
    from ansible.module_utils import _internal as module_utils_internal
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core 2.17 and 2.18
    module_utils_internal = None

    @contextlib.contextmanager
    def patch_module_args(args):
        """What ansible.module_utils.testing.patch_module_args does in later ansible-core versions."""
        with mock.patch.object(basic, '_ANSIBLE_ARGS', to_bytes(json.dumps({'ANSIBLE_MODULE_ARGS': args}))):
            yield

from ansible_collections.tencentcloud.trtc.tests.unit.plugins.fake_service import FakeService

SECRET_KEY = 'unit-test-secret-key-0123456789'
CONNECTION = dict(secret_id='AKIDunit', secret_key=SECRET_KEY, region='ap-singapore', endpoint='http://127.0.0.1:9')


@contextlib.contextmanager
def module_process():
    """What a module's own process has and this test process has not: fresh warnings, and not being the controller.

    Once the controller's code is imported (the action plugins are), ansible-core 2.19 sends the warnings
    of module_utils to the controller's display instead of the module's result; and warnings and
    deprecations accumulate in module_utils for the life of the process.
    """
    with mock.patch.object(common_warnings, '_global_warnings', type(common_warnings._global_warnings)()), \
            mock.patch.object(common_warnings, '_global_deprecations', type(common_warnings._global_deprecations)()):
        if hasattr(module_utils_internal, 'is_controller'):
            with mock.patch.object(module_utils_internal, 'is_controller', False):
                yield
        else:
            yield


class ModuleRunner:
    """Runs a module's main() with arguments and a FakeService or an EmulatedService; returns the parsed result."""

    def __init__(self, capsys, tmp_path, monkeypatch):
        self.capsys = capsys
        self.record_file = str(tmp_path / 'record.json')
        self.home = tmp_path / 'home'
        self.home.mkdir()
        monkeypatch.setenv('HOME', str(self.home))
        for name in ('TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', 'TENCENTCLOUD_REGION', 'TCCLI_PROFILE',
                     'TENCENTCLOUD_SESSION_TOKEN', 'TENCENTCLOUD_SECURITY_TOKEN', 'TENCENTCLOUD_TOKEN',
                     'TENCENTCLOUD_TRTC_ENDPOINT', 'TENCENTCLOUD_TRTC_RECORD_FILE', 'TENCENTCLOUD_TRTC_RECORD_STORE'):
            monkeypatch.delenv(name, raising=False)

    def run(self, main, args, session=None, check_mode=False, diff=False, connection=True, module_name=None):
        session = session if session is not None else FakeService()
        full_args = dict(CONNECTION) if connection else {}
        full_args.update(record_file=self.record_file)
        full_args.update(args)
        if check_mode:
            full_args['_ansible_check_mode'] = True
        if diff:
            full_args['_ansible_diff'] = True
        if module_name:
            full_args['_ansible_module_name'] = module_name
        with module_process(), patch_module_args(full_args), \
                mock.patch('ansible_collections.tencentcloud.trtc.plugins.module_utils._client.requests.Session',
                           return_value=session), \
                mock.patch('ansible_collections.tencentcloud.trtc.plugins.module_utils._client.time.sleep'):
            with pytest.raises(SystemExit):
                main()
        result = json.loads(self.capsys.readouterr().out)
        # ansible-core 2.22 sends the controller the run's no_log values, to mask what callbacks show; never shown.
        result.pop('_ansible_new_secrets', None)
        assert SECRET_KEY not in json.dumps(result)
        session.assert_done()
        return result
