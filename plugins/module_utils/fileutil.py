# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Small files shared between processes: an exclusive lock, and JSON replaced atomically."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import fcntl
import json
import os
import tempfile


class FileLock:
    """An exclusive flock on PATH.lock for the duration of a with block; creates the directory (0700)."""

    def __init__(self, path):
        self.lock_path = path + '.lock'
        self.fd = None

    def __enter__(self):
        directory = os.path.dirname(self.lock_path)
        if not os.path.isdir(directory):
            os.makedirs(directory, 0o700, exist_ok=True)
        self.fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc_info):
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)
        self.fd = None


def write_json_atomically(path, document, durable=True):
    """Replace path with document: readers see the old file or the new one, never a part of either."""
    fd, temp_path = tempfile.mkstemp(dir=os.path.dirname(path), prefix='.%s.' % os.path.basename(path),
                                     suffix='.tmp')
    try:
        with os.fdopen(fd, 'w') as handle:
            json.dump(document, handle, indent=1, sort_keys=True)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.rename(temp_path, path)
    except BaseException:
        if os.path.exists(temp_path):
            os.unlink(temp_path)
        raise
