# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""For the trtc_execution_paths target: a connection that is not ``local``, to this very machine."""

from __future__ import annotations

DOCUMENTATION = r"""
name: trtc_remote_stand_in
short_description: Stands in for a remote host in the tests, on this machine
description:
  - The local connection under another name. The collection's action plugins see a connection other than
    C(local), as they would for a host reached over SSH, and run the module as on any remote host
    (transferred, in its own process, with its own interpreter).
author: tencentcloud.trtc contributors
extends_documentation_fragment:
  - connection_pipelining
"""

from ansible.plugins.connection.local import Connection as LocalConnection


class Connection(LocalConnection):
    """Runs commands here, as the local connection does, under another transport name."""

    transport = 'trtc_remote_stand_in'
