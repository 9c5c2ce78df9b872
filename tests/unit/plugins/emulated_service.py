# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The service that keeps its tasks between runs, for unit tests of a relay's life: the emulator's own service
model (emulator/trtc_service.py, the independent oracle, without HTTP) behind requests.Session's post(), the seam
FakeService plugs into. Each request is checked and answered as the emulator answers it over HTTP: signature,
region, parameters, UserSig, TaskExist, a TaskId shaped like the service's, a RequestId of its own.

    service = EmulatedService({APP: SDK_KEY})
    runner.run(main, args, service)
    service.put_tasks(dict(sdk_app_id=APP, task_id='t-1', room_id='8888', user_id='cam-1'))  # started elsewhere
    service.end(APP, 't-1')                                                                  # it ended by itself

A test about one call's answer states it with fake_service.Call instead. The emulator's rate limit is off here
(the client's own limit is tested with a fake clock), and its faults are acted out by its HTTP server only.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import threading

from ansible_collections.tencentcloud.trtc.tests.unit.plugins.fake_service import FakeReply
from ansible_collections.tencentcloud.trtc.tests.unit.plugins.module_runner import CONNECTION, SECRET_KEY

EMULATOR_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', 'emulator'))


def emulator_module(name):
    """A module of the emulator (emulator/, which is no package), imported as `python emulator/trtc_emulator.py`
    imports it: from the emulator's directory."""
    if EMULATOR_DIR not in sys.path:
        sys.path.insert(0, EMULATOR_DIR)
    return importlib.import_module(name)


class EmulatedService:
    """requests.Session's post() answered by an emulator.Emulator that knows the unit tests' credentials
    (module_runner.CONNECTION) and the SDK secret keys given ({sdk_app_id: key}); the calls it received are kept
    in calls, as FakeService keeps them, each with the RequestId it answered."""

    def __init__(self, sdk_secret_keys):
        service = emulator_module('trtc_service')
        credentials = {CONNECTION['secret_id']: dict(secret_key=SECRET_KEY, token=None)}
        self.emulator = service.Emulator(credentials, rate_limit=0, sdk_secret_keys=sdk_secret_keys)
        self.calls = []
        self.lock = threading.Lock()

    def post(self, url, data=None, headers=None, timeout=None, verify=None, allow_redirects=True):
        body = data if isinstance(data, bytes) else data.encode('utf-8')
        named = dict((name.lower(), value) for name, value in headers.items())
        entry = self.emulator.arrived(named)
        response = self.emulator.answer(entry, named, body)
        with self.lock:
            self.calls.append(dict(url=url, action=headers['X-TC-Action'], params=json.loads(body), headers=headers,
                                   body=data, timeout=timeout, verify=verify, allow_redirects=allow_redirects,
                                   request_id=response['RequestId'], response=response))
        return FakeReply(body={'Response': response})

    @property
    def actions(self):
        return [call['action'] for call in self.calls]

    def request_ids(self, action, **params):
        """The RequestIds of the answers to action (to requests that carried params), in order."""
        return [call['request_id'] for call in self.calls if call['action'] == action and
                all(call['params'].get(name) == value for name, value in params.items())]

    @property
    def tasks(self):
        """{task_id: task} of the tasks that run (room_id, room_id_type, user_id, stream_url, volume, paused ...), in
        the order they began."""
        with self.emulator.lock:
            return dict((task_id, dict(entry)) for (dummy, task_id), entry in self.emulator.tasks.items())

    def put_tasks(self, *tasks):
        """Tasks started elsewhere (tccli, the console, another controller), through the emulator's control API:
        each dict(sdk_app_id, task_id[, room_id, user_id, room_id_type, volume, paused, stream_url])."""
        self.emulator.put_tasks(list(tasks))

    def end(self, sdk_app_id, task_id):
        """The task ends by itself (its source ended), as the emulator's control API ends it."""
        assert self.emulator.end(dict(sdk_app_id=sdk_app_id, task_id=task_id)), 'no task %s runs' % task_id

    def end_all(self):
        with self.emulator.lock:
            running = list(self.emulator.tasks)
        for sdk_app_id, task_id in running:
            self.end(sdk_app_id, task_id)

    def assert_done(self):
        """Nothing is expected of a service that answers every request (ModuleRunner calls this of FakeService)."""
