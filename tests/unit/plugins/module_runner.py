# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json
from unittest import mock

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.tencentcloud.trtc.tests.unit.plugins.fake_service import FakeSession

SECRET_KEY = 'unit-test-secret-key-0123456789'
CONNECTION = dict(secret_id='AKIDunit', secret_key=SECRET_KEY, region='ap-singapore', endpoint='http://127.0.0.1:9')


class ModuleRunner:
    """Runs a module's main() with arguments and a FakeSession; returns the parsed result."""

    def __init__(self, capsys, tmp_path, monkeypatch):
        self.capsys = capsys
        self.record_file = str(tmp_path / 'record.json')
        self.home = tmp_path / 'home'
        self.home.mkdir()
        monkeypatch.setenv('HOME', str(self.home))
        for name in ('TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', 'TENCENTCLOUD_REGION', 'TCCLI_PROFILE',
                     'TENCENTCLOUD_SESSION_TOKEN', 'TENCENTCLOUD_SECURITY_TOKEN', 'TENCENTCLOUD_TOKEN',
                     'TENCENTCLOUD_TRTC_ENDPOINT', 'TENCENTCLOUD_TRTC_RECORD_FILE'):
            monkeypatch.delenv(name, raising=False)

    def run(self, main, args, session=None, check_mode=False, diff=False, connection=True, module_name=None):
        session = session if session is not None else FakeSession()
        full_args = dict(CONNECTION) if connection else {}
        full_args.update(record_file=self.record_file)
        full_args.update(args)
        if check_mode:
            full_args['_ansible_check_mode'] = True
        if diff:
            full_args['_ansible_diff'] = True
        if module_name:
            full_args['_ansible_module_name'] = module_name
        with patch_module_args(full_args), \
                mock.patch('ansible_collections.tencentcloud.trtc.plugins.module_utils.client.requests.Session',
                           return_value=session), \
                mock.patch('ansible_collections.tencentcloud.trtc.plugins.module_utils.client.time.sleep'):
            with pytest.raises(SystemExit):
                main()
        output = self.capsys.readouterr().out
        assert SECRET_KEY not in output
        session.assert_done()
        return json.loads(output)
