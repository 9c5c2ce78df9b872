# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A real redis-server for the tests: a free loopback port, a password, nothing saved, in a temporary directory."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time

PASSWORD = 'test-store-pass-7Qx'


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class RedisServer:
    """redis-server started with requirepass on 127.0.0.1; stop() ends it and removes its directory."""

    def __init__(self, password=PASSWORD):
        self.password = password
        self.port = free_port()
        self.directory = tempfile.mkdtemp(prefix='trtc-redis-')
        self.log = os.path.join(self.directory, 'redis.log')
        self.process = subprocess.Popen(
            [shutil.which('redis-server'), '--port', str(self.port), '--bind', '127.0.0.1', '--requirepass', password,
             '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', self.directory, '--logfile', self.log],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                with socket.create_connection(('127.0.0.1', self.port), timeout=0.5):
                    return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.05)
        self.stop()
        raise RuntimeError('redis-server did not start on port %d' % self.port)

    @property
    def url(self):
        return 'redis://:%s@127.0.0.1:%d/0' % (self.password, self.port)

    def client(self):
        import redis
        return redis.Redis(host='127.0.0.1', port=self.port, password=self.password)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.directory, ignore_errors=True)
