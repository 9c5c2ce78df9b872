# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A real redis-server for the tests: a free loopback port, a password, nothing saved, in a temporary directory."""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

PASSWORD = 'test-store-pass-7Qx'
# Ports tried before giving up on starting a server.
STARTS = 5


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def held_port():
    """A socket bound (SO_REUSEADDR, not listening) to a free loopback port: while it is open, a connection there is
    refused, a server of the test can still listen there, and no other process can take the port (one only found
    free could be taken meanwhile, and a connection would then reach that process's server)."""
    holder = socket.socket()
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    holder.bind(('127.0.0.1', 0))
    return holder


def end_with_parent():
    """In the server's process before exec: it gets SIGTERM when the process that started it ends (Linux)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (AttributeError, OSError):
        pass


def make_certificates(directory):
    """A CA (ca.pem) and a server certificate it signed for localhost and 127.0.0.1 (server.pem, server.key)."""
    def openssl(*args):
        subprocess.run(['openssl'] + list(args), cwd=directory, check=True, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
    # The extensions Python 3.13's strict verification (VERIFY_X509_STRICT) wants of a CA and of what it signs.
    openssl('req', '-x509', *key, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=trtc test CA',
            '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign')
    openssl('req', *key, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost')
    with open(os.path.join(directory, 'names.ext'), 'w') as handle:
        handle.write('subjectAltName=DNS:localhost,IP:127.0.0.1\nauthorityKeyIdentifier=keyid,issuer\n'
                     'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n')
    openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
            '-out', 'server.pem', '-days', '2', '-extfile', 'names.ext')


class RedisServer:
    """redis-server started with requirepass on 127.0.0.1; stop() ends it and removes its directory.

    With tls=True it speaks TLS only, with a certificate signed by the CA in ca_file."""

    def __init__(self, password=PASSWORD, tls=False):
        self.password = password
        self.tls = tls
        self.directory = tempfile.mkdtemp(prefix='trtc-redis-')
        self.log = os.path.join(self.directory, 'redis.log')
        self.ca_file = os.path.join(self.directory, 'ca.pem')
        if tls:
            make_certificates(self.directory)
        # The port free_port() found may be taken before the server binds it (another test process, which may
        # start its servers at the same moment, draws from the same ports): then the server exits, and another
        # port is tried. A connection is not enough: it may reach the other process's server.
        for dummy in range(STARTS):
            self.port = free_port()
            self.process = self.launch()
            if self.listening():
                return
            if self.process.poll() is None:
                break  # neither listening nor gone after the deadline: no port will help
        self.stop()
        raise RuntimeError('redis-server did not start on port %d' % self.port)

    def launch(self):
        listen = ['--port', str(self.port)]
        if self.tls:
            listen = ['--port', '0', '--tls-port', str(self.port), '--tls-cert-file', 'server.pem',
                      '--tls-key-file', 'server.key', '--tls-ca-cert-file', 'ca.pem', '--tls-auth-clients', 'no']
        return subprocess.Popen(
            [shutil.which('redis-server')] + listen + [
                '--bind', '127.0.0.1', '--requirepass', self.password, '--save', '', '--appendonly', 'no',
                '--daemonize', 'no', '--dir', self.directory, '--logfile', self.log],
            cwd=self.directory, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=end_with_parent)

    def listening(self):
        """True once this server (its process, not another on the same port) answers; False once it has exited,
        or after 10 seconds."""
        deadline = time.time() + 10
        while time.time() < deadline and self.process.poll() is None:
            try:
                if self.serving_pid() == self.process.pid:
                    return True
            except Exception:  # pylint: disable=broad-exception-caught
                pass  # not listening yet, or another process's server
            time.sleep(0.05)
        return False

    def serving_pid(self):
        """The process id of the redis-server answering on this port."""
        with contextlib.closing(self.client(socket_timeout=2, socket_connect_timeout=2)) as client:
            return int(client.info('server')['process_id'])

    @property
    def url(self):
        return '%s://:%s@127.0.0.1:%d/0' % ('rediss' if self.tls else 'redis', self.password, self.port)

    def client(self, **options):
        import redis
        if self.tls:
            return redis.Redis(host='127.0.0.1', port=self.port, password=self.password, ssl=True,
                               ssl_ca_certs=self.ca_file, **options)
        return redis.Redis(host='127.0.0.1', port=self.port, password=self.password, **options)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.directory, ignore_errors=True)
