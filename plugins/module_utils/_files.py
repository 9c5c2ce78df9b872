# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Small files shared between processes: private directories, locks, and files replaced atomically."""

from __future__ import annotations

import errno
import fcntl
import os
import random
import stat
import threading
import time


def make_private_dirs(directory):
    """Create directory and each missing parent with mode 0700 (os.makedirs gives parents the umask's mode)."""
    directory = os.path.abspath(directory)
    if os.path.isdir(directory):
        return
    make_private_dirs(os.path.dirname(directory))
    try:
        os.mkdir(directory, 0o700)
    except FileExistsError:
        pass


class OnePerKey:
    """One instance per key (a path, a store's URL) and process, made on first use (of), forgotten in a
    forked child (forget_all). Each subclass has a registry of its own."""

    _open = {}
    _guard = threading.Lock()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.forget_all()
        if hasattr(os, 'register_at_fork'):
            os.register_at_fork(after_in_child=cls.forget_all)

    @classmethod
    def of(cls, *key):
        with cls._guard:
            if key not in cls._open:
                cls._open[key] = cls(*key)
            return cls._open[key]

    @classmethod
    def forget_all(cls):
        """In a forked child: the parent's instances, their in-process locks and lock ownership mean nothing here."""
        cls._open = {}
        cls._guard = threading.Lock()


class RangeLocks(OnePerKey):
    """Exclusive locks on single bytes of one file, for threads and processes alike.

    POSIX record locks belong to a process, and closing any descriptor of the file drops them
    all, so each process keeps one descriptor per file open and its threads take turns through
    an in-process lock per byte. The kernel's deadlock detection sees processes, not threads: two
    processes whose threads wait on each other's bytes get EDEADLK although no thread waits in
    a cycle, so that answer only means "wait a little and ask again".
    """

    def __init__(self, path):
        make_private_dirs(os.path.dirname(path))
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        self.mutex = threading.Lock()
        self.thread_locks = {}

    def hold(self, offset):
        return _HeldByte(self, offset)

    def _thread_lock(self, offset):
        with self.mutex:
            return self.thread_locks.setdefault(offset, threading.Lock())

    def _acquire(self, offset):
        while True:
            try:
                fcntl.lockf(self.fd, fcntl.LOCK_EX, 1, offset)
                return
            except OSError as exc:
                if exc.errno != errno.EDEADLK:
                    raise
                time.sleep(random.uniform(0.005, 0.02))

    def _release(self, offset):
        fcntl.lockf(self.fd, fcntl.LOCK_UN, 1, offset)


class _HeldByte:
    def __init__(self, locks, offset):
        self.locks = locks
        self.offset = offset
        self.thread_lock = locks._thread_lock(offset)

    def __enter__(self):
        self.thread_lock.acquire()
        try:
            self.locks._acquire(self.offset)
        except BaseException:
            self.thread_lock.release()
            raise
        return self

    def __exit__(self, *exc_info):
        try:
            self.locks._release(self.offset)
        finally:
            self.thread_lock.release()


def read_regular_file(path):
    """The bytes of path, or None when it does not exist.

    Raises OSError for anything that is not a regular file (a FIFO would block a plain open,
    a directory cannot be replaced by a file) and for a file that cannot be read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, 'not a regular file')
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b''.join(chunks)
            chunks.append(chunk)
    finally:
        os.close(fd)


def replace_file(path, content, durable=True):
    """Replace path with content: readers see the old file or the new one, never a part of either.

    The caller holds the lock of path, so one fixed temporary name serves: a kill leaves at most
    that one file, which the next write reuses.
    """
    directory, name = os.path.split(path)
    temp_path = os.path.join(directory, '.%s.tmp' % name)
    fd = os.open(temp_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        try:
            view = memoryview(content)
            while view:
                view = view[os.write(fd, view):]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.rename(temp_path, path)
    except BaseException:
        if os.path.exists(temp_path):
            os.unlink(temp_path)
        raise
