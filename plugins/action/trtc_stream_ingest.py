# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Runs tencentcloud.trtc.trtc_stream_ingest inside the controller when the task runs there; see plugin_utils/in_process.py.

from __future__ import annotations

from ansible_collections.tencentcloud.trtc.plugins.module_utils.module_runs import (
    STREAM_INGEST_ARGUMENT_SPEC, STREAM_INGEST_KWARGS, run_stream_ingest,
)
from ansible_collections.tencentcloud.trtc.plugins.plugin_utils.in_process import InProcessModuleAction


class ActionModule(InProcessModuleAction):
    argument_spec = STREAM_INGEST_ARGUMENT_SPEC
    module_kwargs = STREAM_INGEST_KWARGS
    run_function = staticmethod(run_stream_ingest)
