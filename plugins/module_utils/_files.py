# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Small files shared between processes: private directories, locks, and files replaced atomically.

No file is opened through a symbolic link (O_NOFOLLOW), and every file and directory used is checked: a
regular file of this user (or root), in a directory of this user (or root) that not every user may write.
A directory every user may write (such as /tmp), or another user's, could hold a link planted to make this
run overwrite or remove a file of its choice; a link along a path is followed only where it lives in a
directory that passes the same check.
"""

from __future__ import annotations

import errno
import fcntl
import os
import random
import stat
import struct
import sys
import threading
import time

# A lock another process holds is asked for again after this long at most (the wait starts at a millisecond).
LOCK_POLL_SECONDS = 0.02
# struct flock on Linux (fcntl F_GETLK): type, whence, start, length, pid.
LINUX_FLOCK = 'hhqqi4x'


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


def unsafe_directory_problem(directory):
    """Why files in directory could be replaced by another user (writable by others, or someone else's), or None."""
    try:
        info = os.stat(directory)
    except FileNotFoundError:
        return None
    if info.st_uid not in (os.geteuid(), 0):
        return 'the directory %s belongs to another user (uid %d)' % (directory, info.st_uid)
    if info.st_mode & stat.S_IWOTH:
        return ('the directory %s is writable by every user, who could plant a link there; use a directory only '
                'you can write' % directory)
    return None


def unsafe_link_problem(path):
    """Why a symbolic link along path (path itself included) may have been planted by another user, or None.

    A link is followed only where it lives in a directory that no other user can write.
    """
    current = os.sep
    for part in os.path.abspath(path).split(os.sep)[1:]:
        current = os.path.join(current, part)
        if os.path.islink(current):
            problem = unsafe_directory_problem(os.path.dirname(current))
            if problem:
                return '%s is a symbolic link in a directory that is not safe: %s' % (current, problem)
    return None


def require_safe_directory(directory):
    """OSError(EPERM) naming directory when another user could replace the files in it."""
    problem = unsafe_directory_problem(directory)
    if problem:
        raise OSError(errno.EPERM, problem)


def replaceable_problem(directory):
    """Why another user could rename directory, or a directory above it, and put something else in its place, or
    None: a directory above it is writable by every user without the sticky bit (which /tmp has). Directories not
    made yet are passed over."""
    below = os.path.realpath(directory)
    above = os.path.dirname(below)
    while above != below:
        try:
            mode = os.stat(above).st_mode
        except FileNotFoundError:
            mode = 0
        if mode & stat.S_IWOTH and not mode & stat.S_ISVTX:
            return ('the directory %s is writable by every user without the sticky bit: another user could replace %s'
                    % (above, directory))
        below, above = above, os.path.dirname(above)
    return None


def require_unreplaceable(directory):
    """OSError(EPERM) naming the directory above that lets another user replace directory (replaceable_problem)."""
    problem = replaceable_problem(directory)
    if problem:
        raise OSError(errno.EPERM, problem)


def open_own_file(path, flags):
    """A descriptor of path, never through a symbolic link, that is a regular file of this user (or of root)."""
    try:
        fd = os.open(path, flags | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OSError(errno.ELOOP, '%s is a symbolic link, which is not followed' % path)
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, '%s is not a regular file' % path)
        if info.st_uid not in (os.geteuid(), 0):
            raise OSError(errno.EPERM, '%s belongs to another user (uid %d)' % (path, info.st_uid))
    except BaseException:
        os.close(fd)
        raise
    return fd


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


class LockWaitTimeout(OSError):
    """A lock still held by another process or thread when the wait for it was given up."""

    def __init__(self, path, waited, holder):
        super().__init__(errno.EAGAIN, 'waited %g s for a lock of %s, still held by %s' % (waited, path, holder))
        self.path = path
        self.waited = waited
        self.holder = holder


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
        require_safe_directory(os.path.dirname(path))
        self.path = path
        self.fd = open_own_file(path, os.O_RDWR | os.O_CREAT)
        self.mutex = threading.Lock()
        self.thread_locks = {}

    def hold(self, offset, wait_seconds):
        """A with-block lock on the byte at offset; LockWaitTimeout when it is not had within wait_seconds."""
        return _HeldByte(self, offset, wait_seconds)

    def _thread_lock(self, offset):
        with self.mutex:
            return self.thread_locks.setdefault(offset, threading.Lock())

    def _acquire(self, offset, deadline, wait_seconds):
        """Take the byte's lock, asking again and again (a blocking wait could not be given up) until deadline."""
        delay = 0.001
        while True:
            try:
                fcntl.lockf(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, offset)
                return
            except OSError as exc:
                if exc.errno not in (errno.EACCES, errno.EAGAIN, errno.EDEADLK):
                    raise
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise LockWaitTimeout(self.path, wait_seconds, self._holder(offset))
            time.sleep(min(random.uniform(delay / 2, delay), remaining))
            delay = min(delay * 2, LOCK_POLL_SECONDS)

    def _holder(self, offset):
        """Who holds the byte: 'process PID' where the system says (Linux), else 'another process'."""
        if sys.platform.startswith('linux'):
            try:
                answer = fcntl.fcntl(self.fd, fcntl.F_GETLK, struct.pack(LINUX_FLOCK, fcntl.F_WRLCK, os.SEEK_SET,
                                                                         offset, 1, 0))
                lock_type, dummy, dummy, dummy, pid = struct.unpack(LINUX_FLOCK, answer)
                if lock_type != fcntl.F_UNLCK and pid > 0:
                    return 'process %d' % pid
            except (OSError, struct.error):
                pass
        return 'another process'

    def _release(self, offset):
        fcntl.lockf(self.fd, fcntl.LOCK_UN, 1, offset)


class _HeldByte:
    def __init__(self, locks, offset, wait_seconds):
        self.locks = locks
        self.offset = offset
        self.wait_seconds = wait_seconds
        self.thread_lock = locks._thread_lock(offset)

    def __enter__(self):
        deadline = time.monotonic() + self.wait_seconds
        if not self.thread_lock.acquire(timeout=self.wait_seconds):
            raise LockWaitTimeout(self.locks.path, self.wait_seconds, 'another thread of this process')
        try:
            self.locks._acquire(self.offset, deadline, self.wait_seconds)
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
        fd = open_own_file(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    try:
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b''.join(chunks)
            chunks.append(chunk)
    finally:
        os.close(fd)


def nearest_directory(path):
    """path, or its nearest ancestor that exists (a directory not made yet is made by the first write in it)."""
    path = os.path.abspath(path)
    while not os.path.isdir(path) and os.path.dirname(path) != path:
        path = os.path.dirname(path)
    return path


def free_space(directory):
    """(bytes this process may still write, free inodes) in the file system of directory, each None when the file
    system does not count it (a tmpfs of no size limit, btrfs inodes) or it cannot be told: the writes themselves
    will then say what is wrong."""
    try:
        space = os.statvfs(directory)
    except OSError:
        return None, None
    blocks = space.f_bfree if os.geteuid() == 0 else space.f_bavail  # root may use the reserved blocks
    return (blocks * space.f_frsize if space.f_blocks else None), (space.f_favail if space.f_files else None)


def replace_file(path, content, durable=True):
    """Replace path with content: readers see the old file or the new one, never a part of either.

    The caller holds the lock of path, so one fixed temporary name serves: a kill leaves at most
    that one file, which the next write removes first. The temporary file is always a new one (O_EXCL): whatever
    stood under its name, a link planted there included, is removed, never written through.
    """
    directory, name = os.path.split(path)
    require_safe_directory(directory)
    temp_path = os.path.join(directory, '.%s.tmp' % name)
    try:
        os.unlink(temp_path)
    except FileNotFoundError:
        pass
    fd = os.open(temp_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
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
