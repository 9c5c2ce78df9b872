# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The emulator takes in a burst of new connections at once, as the service does: three controllers starting their
list forms open some 50 connections within a few milliseconds. With the listening socket's default backlog (5), the
kernel dropped the handshakes beyond it and the clients tried again a second later, so those requests arrived a
second late, out of their turn."""

from __future__ import annotations

import select
import socket
import time

BURST = 48


def connected_within(sockets, seconds):
    """How many of the non-blocking sockets finished their handshake within seconds."""
    pending, done = set(sockets), 0
    deadline = time.monotonic() + seconds
    while pending and time.monotonic() < deadline:
        dummy, writable, dummy_errors = select.select([], list(pending), [], max(0.0, deadline - time.monotonic()))
        for sock in writable:
            pending.discard(sock)
            done += sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0
    return done


def test_a_burst_of_connections_before_any_is_accepted_all_get_through_at_once(emulator_service, emulator_server):
    service = emulator_service.Emulator({}, sdk_secret_keys={})
    server = emulator_server.EmulatorServer(('127.0.0.1', 0), service, control_token='token-of-this-test')
    sockets = []
    try:
        for dummy in range(BURST):
            sock = socket.socket()
            sock.setblocking(False)
            sock.connect_ex(server.server_address)
            sockets.append(sock)
        # Nothing accepts yet: each handshake completes only if the listening socket's queue has room for it.
        assert connected_within(sockets, 0.5) == BURST
    finally:
        for sock in sockets:
            sock.close()
        server.server_close()
