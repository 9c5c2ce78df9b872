# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The last-applied record: what this collection last set on each relay task.

No Tencent API reads back a task's StreamUrl, Volume or pause state, so idempotency
rests on this file. It holds settings only, never credentials. Writers take an
exclusive lock and replace the file atomically, so concurrent forks never lose an
entry and a crash never leaves a half-written file.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import threading
import time

from ansible_collections.tencentcloud.trtc.plugins.module_utils.fileutil import FileLock, write_json_atomically

DEFAULT_RECORD_FILE = '~/.ansible/tencentcloud_trtc/last_applied.json'
SETTINGS = ('stream_url', 'volume', 'paused')
FORMAT_VERSION = 1


def record_key(endpoint_url, sdk_app_id, task_id):
    return '%s|%s|%s' % (endpoint_url, sdk_app_id, task_id)


def known_settings(entry):
    """Only the task settings of an entry, never anything else that may be in the file."""
    return dict((name, entry[name]) for name in SETTINGS if name in (entry or {}))


class LastAppliedRecord:
    """The record file. warn is called with a message when the file cannot be read."""

    def __init__(self, path=DEFAULT_RECORD_FILE, warn=None):
        self.path = os.path.abspath(os.path.expanduser(path))
        self.warn = warn or (lambda message: None)
        self._entries = None
        self._read_lock = threading.Lock()
        self._warned = set()

    def get(self, key):
        """The known settings of one task, {} when nothing is known.

        The file is read once per record object, not once per task: the list form asks for hundreds.
        """
        with self._read_lock:
            if self._entries is None:
                self._entries = self._load()
        return known_settings(self._entries.get(key))

    def update(self, changes):
        """Apply {key: settings or None} in one locked read-modify-write; None drops the entry."""
        with FileLock(self.path):
            entries = self._load()
            stamp = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())
            for key, settings in changes.items():
                if settings is None:
                    entries.pop(key, None)
                else:
                    entries[key] = dict(known_settings(settings), applied_at=stamp)
            self._write(entries)
            self._entries = entries

    def _warn_once(self, message):
        if message not in self._warned:
            self._warned.add(message)
            self.warn(message)

    def _load(self):
        try:
            with open(self.path) as handle:
                document = json.load(handle)
        except (IOError, OSError) as exc:
            if os.path.exists(self.path):
                self._warn_once('cannot read the last-applied record %s (%s); treating it as empty' % (self.path, exc))
            return {}
        except ValueError as exc:
            self._warn_once('the last-applied record %s is not valid JSON (%s); treating it as empty, '
                            'it will be rewritten' % (self.path, exc))
            return {}
        tasks = document.get('tasks') if isinstance(document, dict) else None
        if not isinstance(tasks, dict):
            self._warn_once('the last-applied record %s has an unknown layout; treating it as empty' % self.path)
            return {}
        return dict((key, entry) for key, entry in tasks.items() if isinstance(entry, dict))

    def _write(self, entries):
        write_json_atomically(self.path, {'version': FORMAT_VERSION, 'tasks': entries})
