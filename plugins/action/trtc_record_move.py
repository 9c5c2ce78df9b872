# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Runs tencentcloud.trtc.trtc_record_move inside the controller when the task runs there; see plugin_utils/_in_process.py.

from __future__ import annotations

from ansible_collections.tencentcloud.trtc.plugins.module_utils._record_move import ARGUMENT_SPEC, MODULE_KWARGS, run
from ansible_collections.tencentcloud.trtc.plugins.plugin_utils._in_process import InProcessModuleAction


class ActionModule(InProcessModuleAction):
    argument_spec = ARGUMENT_SPEC
    module_kwargs = MODULE_KWARGS
    run_function = staticmethod(run)
