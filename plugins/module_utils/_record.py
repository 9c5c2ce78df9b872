# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The last-applied record: what this collection last set on each relay task.

No Tencent API reads back a task's StreamUrl, Volume or pause state, so idempotency rests on
this file, and it must never claim a value the service may not hold. The rules:

- A task is worked on only while its lock is held (hold), so two runs on one task take turns
  and each reads what the other settled.
- Before a request that may change settings, those settings are marked pending: the entry
  forgets their values (mark_pending). Whatever stops the run then, the next run does not
  know them and sends them again.
- As soon as the answer arrives, the entry is settled with what the service now holds (settle).

The rules live here; where the entries live is a backend's business: _RecordFile (below) for a file
on the host, _redis_store.RedisStore for a store shared by many controllers.

Writes are read-modify-write of the whole file under a lock, replaced atomically; writes of
threads of one process that arrive together are committed together. A file that cannot be read
as a record is never overwritten. Only settings are stored, never credentials.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import threading
import time

from ansible_collections.tencentcloud.trtc.plugins.module_utils._facts import SETTINGS
from ansible_collections.tencentcloud.trtc.plugins.module_utils._files import (
    LockWaitTimeout, OnePerKey, RangeLocks, free_space, nearest_directory, read_regular_file, replace_file,
    replaceable_problem, unsafe_link_problem,
)

DEFAULT_RECORD_FILE = '~/.ansible/tencentcloud_trtc/last_applied.json'
FORMAT_VERSION = 1
# Byte 0 of the lock file guards writes of the whole file; each task key hashes to one byte after it.
FILE_LOCK_OFFSET = 0
TASK_LOCK_SPAN = 2 ** 31 - 2
# A request whose answer never came may still be applied later: the service accepts a signed request while
# its timestamp is within SIGNATURE_WINDOW_SECONDS of the service's own clock. The timestamp is this host's
# clock, which may run up to that much ahead of the service's (further, and the service refuses every request),
# so on this host's clock a request may land until twice the window after it was signed, plus its way there.
# Until then, the settings it carried are in doubt (see settle).
SIGNATURE_WINDOW_SECONDS = 300
DOUBT_SECONDS = 2 * SIGNATURE_WINDOW_SECONDS + 30
# The TaskIds the collection itself stopped are kept this long (at least an hour, so that the service's stop
# event, sent at once and retried for a minute, and anything that reacts to it, can tell a stop asked for here
# from one nobody asked for).
STOPPED_KEEP_SECONDS = 2 * 3600
# How long a run waits for a lock of the record that another run holds: longer than a run works on one task (its
# requests, each retried within timeout), short enough that a run stopped while holding one does not block for ever.
LOCK_WAIT_SECONDS = 300.0
# What a Start needs where the record is kept (its file system, or the store below its maxmemory) beyond a copy of the
# record itself: its mark, its TaskId's entry, the pause that may follow, and what other runs write meanwhile, with
# room to spare. A write refused after a Start is a running relay whose TaskId no record holds.
START_HEADROOM_BYTES = 1024 * 1024
# What a Start refused for want of room did not send: a Start may follow an Update that found the task gone.
START_NOT_SENT = 'neither its StartStreamIngest nor, for a replace, its StopStreamIngest was sent'
# Temporary files named by 1.0.0 of this collection, left behind by killed runs (their clean-up may go in 3.0.0).
STALE_TEMP_AGE_SECONDS = 3600


class RecordError(Exception):
    """The record file cannot be used; the message names it and says what to do."""


# What names a relay started (or adopted) by this collection, kept beside its settings: its TaskId, start options and
# since when the record holds it.
IDENTITY = ('task_id', 'start', 'started_at', 'adopted')


def record_key(endpoint_url, sdk_app_id, task_id):
    """The key of a relay task named by its TaskId."""
    return '%s|%s|%s' % (endpoint_url, sdk_app_id, task_id)


def relay_key(endpoint_url, sdk_app_id, room_id_type, room_id, user_id):
    """The key of a relay named by its room and robot user (JSON: room and user ids may hold any character)."""
    return json.dumps(['relay', endpoint_url, sdk_app_id, room_id_type, room_id, user_id])


def json_key_parts(key, kind, length):
    """The parts after KIND of a key written as a JSON list [KIND, ...] of LENGTH items, or None for any other key."""
    try:
        parts = json.loads(key)
    except (ValueError, TypeError):
        return None
    if not isinstance(parts, list) or len(parts) != length or parts[0] != kind:
        return None
    return tuple(parts[1:])


def relay_name_of(key):
    """(endpoint URL, SdkAppId, room_id_type, room_id, user_id) of a relay's key, or None for any other key."""
    return json_key_parts(key, 'relay', 6)


def task_of(key):
    """(endpoint URL, SdkAppId as text, TaskId) of the key of a task named by TaskId, or None for any other key."""
    if key.startswith('['):
        return None
    parts = key.split('|', 2)
    return tuple(parts) if len(parts) == 3 else None


def stopped_kind_of(key):
    """(endpoint URL, SdkAppId) of the key of the notes of tasks the collection stopped (stopped_key), or None."""
    return json_key_parts(key, 'stopped', 3)


def moved_mark(where_to):
    """What an entry becomes once moved (trtc_record_move): where it went, and when."""
    return dict(moved_to=where_to, moved_at=utc_stamp())


def held(entries, endpoint_url, sdk_app_id, room=None):
    """([(name, entry)], [(task_id, entry)]) of record entries: the relays and the tasks (named by TaskId, of no
    relay) held for this application at this endpoint, sorted; with room (room_id, room_id_type), only that room's
    relays and no task."""
    relays, tasks = [], []
    for key, entry in entries.items():
        if entry.get('moved_to'):  # held by the record it was moved to
            continue
        name = relay_name_of(key)
        if name is not None:
            endpoint, app, room_id_type, room_id, user_id = name
            if (endpoint, app) == (endpoint_url, sdk_app_id) and room in (None, (room_id, room_id_type)):
                relays.append((dict(room_id=room_id, room_id_type=room_id_type, user_id=user_id), entry))
            continue
        task = task_of(key)
        if task is not None and room is None and task[:2] == (endpoint_url, str(sdk_app_id)) and 'relay' not in entry:
            tasks.append((task[2], entry))
    relays.sort(key=lambda pair: (pair[0]['room_id_type'], pair[0]['room_id'], pair[0]['user_id']))
    tasks.sort(key=lambda pair: pair[0])
    return relays, tasks


def task_key_of_relay(key, task_id):
    """The key by which a relay's task is named by its TaskId, or None when key names no relay."""
    try:
        kind, endpoint_url, sdk_app_id = json.loads(key)[:3]
    except (ValueError, TypeError):
        return None
    return record_key(endpoint_url, sdk_app_id, task_id) if kind == 'relay' else None


def relay_name(key):
    """{room_id, room_id_type, user_id} of a relay's key, or None for any other key."""
    parts = relay_name_of(key)
    if parts is None:
        return None
    dummy, dummy, room_id_type, room_id, user_id = parts
    return dict(room_id=room_id, room_id_type=room_id_type, user_id=user_id)


def stopped_key(endpoint_url, sdk_app_id):
    """The key of the TaskIds the collection stopped, of one application at one endpoint."""
    return json.dumps(['stopped', endpoint_url, sdk_app_id])


def recent_stops(entry, now):
    """{task_id: {'at': when, 'relay': its relay's key, if any}} of a stopped_key entry, those still kept."""
    stops = (entry or {}).get('tasks')
    if not isinstance(stops, dict):
        return {}
    return dict((task_id, stop) for task_id, stop in stops.items()
                if isinstance(stop, dict) and isinstance(stop.get('at'), (int, float))
                and now - STOPPED_KEEP_SECONDS < stop['at'] <= now + STOPPED_KEEP_SECONDS)


def known_settings(entry):
    """Only the task settings of an entry, never anything else that may be in the file."""
    return dict((name, entry[name]) for name in SETTINGS if name in (entry or {}))


def live_doubts(entry, now):
    """{setting: deadline} of earlier requests of the entry that may still be applied after now."""
    doubts = (entry or {}).get('doubt_until') or {}
    if not isinstance(doubts, dict):
        return {}
    return dict((name, deadline) for name, deadline in doubts.items()
                if isinstance(deadline, (int, float)) and deadline > now)


def utc_stamp():
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())


def parse_record(content, path):
    """The entries of a record file's content; RecordError for anything that is not a record."""
    if not content.strip():
        return {}
    try:
        document = json.loads(content.decode('utf-8'))
    except (ValueError, RecursionError) as exc:
        raise RecordError('the last-applied record %s is not valid JSON (%s); it is left untouched: '
                          'move it away or name another record_file' % (path, exc))
    tasks = document.get('tasks') if isinstance(document, dict) else None
    version = document.get('version') if isinstance(document, dict) else None
    if not isinstance(tasks, dict) or version != FORMAT_VERSION:
        raise RecordError('%s is not a last-applied record of this collection (format version %s); it is left '
                          'untouched: move it away or name another record_file' % (path, FORMAT_VERSION))
    return dict((key, entry) for key, entry in tasks.items() if isinstance(entry, dict))


def free_words(free_bytes, free_inodes):
    return ' and '.join(words for words in (
        None if free_bytes is None else '%d KiB' % (free_bytes // 1024),
        None if free_inodes is None else inodes(free_inodes)) if words)


def inodes(count):
    return '%d inode%s' % (count, '' if count == 1 else 's')


class _RecordFile(OnePerKey):
    """One record file as seen by one process: its lock file, the entries last read, and queued writes."""

    def __init__(self, path):
        self.path = path
        self.lock_path = path + '.lock'
        self.read_guard = threading.Lock()
        self.cached_entries = {}
        self.cached_identity = None
        self.queue_guard = threading.Condition()
        self.queue = []
        self.writing = False
        self.queued_count = 0
        self.committed_count = 0
        self.failures = {}

    def _identity(self):
        try:
            status = os.stat(self.path)
        except FileNotFoundError:
            return None
        except OSError as exc:  # a symlink loop, a parent that is a file, no permission
            raise RecordError('cannot use the last-applied record %s (%s); fix the path or name another record_file'
                              % (self.path, exc.strerror or exc))
        return status.st_ino, status.st_mtime_ns, status.st_size

    def entries(self):
        """The entries as the file holds them now; parsed again only when the file has changed."""
        with self.read_guard:
            identity = self._identity()
            if identity is None:
                self.cached_entries, self.cached_identity = {}, None
            elif identity != self.cached_identity:
                try:
                    content = read_regular_file(self.path)
                except OSError as exc:
                    raise RecordError('cannot read the last-applied record %s (%s); it is left untouched: fix it '
                                      'or name another record_file' % (self.path, exc.strerror or exc))
                self.cached_entries = parse_record(content or b'', self.path)
                self.cached_identity = identity
            return self.cached_entries

    def check(self, create=True):
        """RecordError now when the file or its lock file cannot be used as a record.

        create=False (a run that only reads): a lock file (and its directory) that does not exist is not made.
        """
        self.entries()
        if create or os.path.lexists(self.lock_path):
            self._locks()

    def require_room_for_start(self):
        """RecordError, before a StartStreamIngest, when the record's file system may be unable to take what follows:
        each write puts the whole record anew beside the old one (a temporary file, then renamed over it), and a
        lock file or a record not made yet takes an inode of its own."""
        identity = self._identity()
        needed_bytes = (identity[2] if identity else 0) + START_HEADROOM_BYTES
        needed_inodes = 1 + (identity is None) + (not os.path.lexists(self.lock_path))
        free_bytes, free_inodes = free_space(nearest_directory(os.path.dirname(self.path)))
        if (free_bytes is not None and free_bytes < needed_bytes) or (
                free_inodes is not None and free_inodes < needed_inodes):
            raise RecordError(
                'the last-applied record %s is on a file system with %s free; a Start needs %d KiB and %s there, so '
                'that the TaskId of the relay it starts is surely written: the relay is not started (%s). Free some '
                'space there, or name another record_file' % (
                    self.path, free_words(free_bytes, free_inodes), needed_bytes // 1024, inodes(needed_inodes),
                    START_NOT_SENT))

    def get(self, key):
        """The entry of key, or None."""
        return self.entries().get(key)

    def task_lock(self, key):
        offset = 1 + int(hashlib.sha256(key.encode('utf-8')).hexdigest()[:15], 16) % TASK_LOCK_SPAN
        return _TaskLock(self._locks().hold(offset, LOCK_WAIT_SECONDS), self.path, key)

    def _locks(self):
        try:
            return RangeLocks.of(self.lock_path)
        except OSError as exc:
            raise RecordError('cannot use the lock file %s of the last-applied record (%s); fix the path or name '
                              'another record_file' % (self.lock_path, exc.strerror or exc))

    def commit(self, key, change):
        """Apply change(entry or None) -> entry or None to key's entry; returns once it is in the file.

        Threads that commit while a write is under way are written together by the next one.
        """
        with self.queue_guard:
            self.queued_count += 1
            ticket = self.queued_count
            self.queue.append((ticket, key, change))
            while self.committed_count < ticket:
                if self.writing:
                    self.queue_guard.wait()
                    continue
                batch, self.queue, self.writing = self.queue, [], True
                self.queue_guard.release()
                try:
                    failure = self._write_batch(batch)
                finally:
                    self.queue_guard.acquire()
                    self.writing = False
                    self.queue_guard.notify_all()
                for batch_ticket, dummy, dummy in batch:
                    if failure is not None:
                        self.failures[batch_ticket] = failure
                self.committed_count = batch[-1][0]
                self.queue_guard.notify_all()
            failure = self.failures.pop(ticket, None)
        if failure is not None:
            raise failure

    def _write_batch(self, batch):
        """Write a batch of changes in one locked read-modify-write; the error, if any, for all of them."""
        try:
            with self._locks().hold(FILE_LOCK_OFFSET, LOCK_WAIT_SECONDS):
                entries = dict(self.entries())
                for dummy, key, change in batch:
                    entry = change(entries.get(key))
                    if entry is None:
                        entries.pop(key, None)
                    else:
                        entries[key] = entry
                self._replace(entries)
        except LockWaitTimeout as exc:
            return RecordError(lock_wait_message(exc, self.path, 'the lock of its writes'))
        except (RecordError, OSError) as exc:
            if isinstance(exc, OSError):
                exc = RecordError('cannot write the last-applied record %s (%s)' % (self.path, exc.strerror or exc))
            return exc
        return None

    def _replace(self, entries):
        content = json.dumps({'version': FORMAT_VERSION, 'tasks': entries}, indent=1, sort_keys=True)
        replace_file(self.path, content.encode('utf-8'))
        with self.read_guard:
            self.cached_entries, self.cached_identity = entries, self._identity()
        self._remove_stale_temp_files()

    def _remove_stale_temp_files(self):
        directory, name = os.path.split(self.path)
        for temp_path in glob.glob(os.path.join(directory, '.%s.*.tmp' % glob.escape(name))):
            try:
                if os.stat(temp_path).st_mtime < time.time() - STALE_TEMP_AGE_SECONDS:
                    os.unlink(temp_path)
            except OSError:
                pass


def key_label(key):
    """What a record key names, in words: a relay by its room and robot user, or a task by its TaskId."""
    try:
        kind, dummy, dummy, dummy, room_id, user_id = json.loads(key)
    except (ValueError, TypeError):
        return 'task %s' % key.rsplit('|', 1)[-1]
    return 'the relay of user %r in room %r' % (user_id, room_id) if kind == 'relay' else key


def lock_wait_message(timeout, path, what):
    return ('the last-applied record %s: waited %g s for %s in its lock file %s, still held by %s: another run is '
            'working on it (one that takes long, or one stopped or hung while holding it, such as a process suspended '
            'with Ctrl-Z); run again once that run has ended, or end it' % (
                path, timeout.waited, what, timeout.path, timeout.holder))


class _TaskLock:
    """The lock of one task: a wait for it that is given up is a RecordError saying which, and who holds it."""

    def __init__(self, held, path, key):
        self.held = held
        self.path = path
        self.key = key

    def __enter__(self):
        try:
            self.held.__enter__()
        except LockWaitTimeout as exc:
            raise RecordError(lock_wait_message(exc, self.path, 'the lock of %s' % key_label(self.key))
                              + '; nothing was sent for it')
        return self

    def __exit__(self, *exc_info):
        return self.held.__exit__(*exc_info)


def with_doubts(entry, doubts):
    entry.pop('doubt_until', None)
    if doubts:
        entry['doubt_until'] = doubts
    return entry


class LastAppliedRecord:
    """The record file at path (a symlink is followed: its target is read and replaced), or a backend
    offering what _RecordFile offers (check, get, entries, task_lock, commit), such as a Redis store.

    Every method may raise RecordError, whose message names the file or the store.
    """

    def __init__(self, path=DEFAULT_RECORD_FILE, backend=None):
        if backend is not None:
            self.path = None
            self.file = backend
            return
        if not path:
            raise RecordError('record_file: must name a file, got an empty string')
        given = os.path.abspath(os.path.expanduser(path))
        self.path = os.path.realpath(given)
        problem = unsafe_link_problem(given) or replaceable_problem(os.path.dirname(self.path))
        if problem:
            raise RecordError('record_file: cannot use the last-applied record %s: %s' % (path, problem))
        self.file = _RecordFile.of(self.path)

    def check(self, create=True):
        """Fails now, before any request, when the file (or the store) cannot be used as a record.

        create=False: a run that only reads (check mode, an info module) makes no file nor directory.
        """
        if self.path is None:
            self.file.check()
        else:
            self.file.check(create)

    def entry(self, key):
        """The stored entry of key ({} when nothing is known): settings, and names of pending ones."""
        return dict(self.file.get(key) or {})

    def entries(self):
        """Every entry the record holds now, {key: entry}: for the list of trtc_stream_ingest_info, which reads
        without locks (an entry being worked on shows as it was or as it will be, never half-written)."""
        return dict((key, dict(entry)) for key, entry in self.file.entries().items())

    def get(self, key):
        """The settings known of key: pending ones are not known."""
        return known_settings(self.file.get(key))

    def hold(self, key):
        """A with-block lock on key, across threads and processes: work on one task takes turns."""
        return self.file.task_lock(key)

    def mark_pending(self, key, names):
        """Before a request that sets names: forget their values until the answer settles them.

        The task's lock is held, so a pending request found here belongs to a run that ended before its
        answer: that request may still be applied, and its settings stay in doubt for DOUBT_SECONDS.
        """
        def forget(entry):
            now = time.time()
            entry = dict(entry or {})
            doubts = live_doubts(entry, now)
            sent_at = entry.get('pending_at') if isinstance(entry.get('pending_at'), (int, float)) else now
            for name in entry.get('pending') or ():
                doubts[name] = max(doubts.get(name, 0), sent_at + DOUBT_SECONDS)
            for name in names:
                entry.pop(name, None)
            entry.update(pending=sorted(names), pending_since=utc_stamp(), pending_at=now)
            return with_doubts(entry, doubts)
        self.file.commit(key, forget)

    def mark_sent_again(self, key):
        """A pending request is sent again (a retry, signed now): its doubt counts from now."""
        def resent(entry):
            if not entry or not entry.get('pending'):
                return entry
            return dict(entry, pending_since=utc_stamp(), pending_at=time.time())
        self.file.commit(key, resent)

    def settle(self, key, settings, in_doubt=()):
        """The service now holds settings (None: the task is gone, and so is its entry); its identity stays.

        A setting an earlier request may still change stays unknown until that request can no longer be
        applied. in_doubt names settings of this request whose first attempt lost its answer before a retry
        succeeded: they are known now, but that attempt may still arrive, so later values are in doubt.
        """
        def replace(entry):
            if settings is None:
                return None
            now = time.time()
            doubts = live_doubts(entry, now)
            values = dict((name, value) for name, value in known_settings(settings).items() if name not in doubts)
            for name in in_doubt:
                doubts[name] = max(doubts.get(name, 0), now + DOUBT_SECONDS)
            kept = dict((name, entry[name]) for name in IDENTITY if name in (entry or {}))
            return with_doubts(dict(kept, applied_at=utc_stamp(), **values), doubts)
        gone_task_id = self.entry(key).get('task_id') if settings is None else None
        self.file.commit(key, replace)
        if gone_task_id:
            self.forget_task_key(key, gone_task_id)

    def require_room_for_start(self):
        """Before a StartStreamIngest: RecordError when the store may be unable to take the TaskId once the relay runs."""
        self.file.require_room_for_start()

    def mark_starting(self, key, start):
        """Before a StartStreamIngest: a relay may run under this name from now on, its TaskId not yet known."""
        self.file.commit(key, lambda entry: dict(start=dict(start), starting_since=utc_stamp()))

    def mark_runs_elsewhere(self, key, start, request_id):
        """The service refused a Start with FailedOperation.TaskExist: a relay started elsewhere runs under this name,
        its TaskId not in this record. Replaces the mark of that Start (it did nothing)."""
        self.file.commit(key, lambda entry: dict(start=dict(start), runs_elsewhere_since=utc_stamp(),
                                                 runs_elsewhere_request_id=request_id))

    def started(self, key, task_id, settings, start):
        """The StartStreamIngest answered with task_id: the relay runs with settings and start options.

        The task's own key then points to the relay's entry, so that naming the task by its TaskId works on that
        one entry under that one lock (see key_of_task): written before the TaskId is known to anyone.
        """
        stamp = utc_stamp()
        self.file.commit(key, lambda entry: dict(known_settings(settings), task_id=task_id, start=dict(start),
                                                 applied_at=stamp, started_at=stamp))
        task_key = task_key_of_relay(key, task_id)
        if task_key is not None:
            self.file.commit(task_key, lambda entry: dict(relay=key))

    def adopted(self, key, task_id):
        """A relay started elsewhere (its start options unknown) is held under the relay's name from now on; its task's
        key points to it, as for a relay the collection started (see started)."""
        stamp = utc_stamp()
        self.file.commit(key, lambda entry: dict(task_id=task_id, start=None, adopted=True, applied_at=stamp,
                                                 started_at=stamp))
        task_key = task_key_of_relay(key, task_id)
        if task_key is not None:
            self.file.commit(task_key, lambda entry: dict(relay=key))

    def key_of_task(self, endpoint_url, sdk_app_id, task_id):
        """The key of the entry of a task named by TaskId: its relay's, when the collection started it by name."""
        key = record_key(endpoint_url, sdk_app_id, task_id)
        relay = self.entry(key).get('relay')
        if isinstance(relay, str) and self.entry(relay).get('task_id') == task_id:
            return relay
        return key

    def note_stopping(self, endpoint_url, sdk_app_id, task_id, key=None):
        """Right before the collection sends a StopStreamIngest (Stop, replace, exclusive sets): task_id is one it
        stops; key names its entry (a relay's, if it is one). Kept STOPPED_KEEP_SECONDS, written before the request
        since the service's stop event may arrive before its answer. Older notes are dropped on the way."""
        def add(entry):
            now = time.time()
            stops = recent_stops(entry, now)
            stops[task_id] = dict(at=now, relay=key) if relay_name(key or '') else dict(at=now)
            return dict(tasks=stops)
        self.file.commit(stopped_key(endpoint_url, sdk_app_id), add)

    def unnote_stopping(self, endpoint_url, sdk_app_id, task_id):
        """The service answered that it did not apply the Stop: task_id was not stopped by the collection."""
        def drop(entry):
            stops = recent_stops(entry, time.time())
            stops.pop(task_id, None)
            return dict(tasks=stops) if stops else None
        self.file.commit(stopped_key(endpoint_url, sdk_app_id), drop)

    def stopped_here(self, endpoint_url, sdk_app_id, task_id):
        """{'at': when, 'relay': its relay's key, if any} when the collection stopped task_id within
        STOPPED_KEEP_SECONDS, else None."""
        return recent_stops(self.file.get(stopped_key(endpoint_url, sdk_app_id)), time.time()).get(task_id)

    def forget_task_key(self, key, task_id):
        """After a relay's task is gone: its TaskId no longer points to the relay's entry."""
        task_key = task_key_of_relay(key, task_id)
        if task_key is not None:
            self.file.commit(task_key, lambda entry: None if (entry or {}).get('relay') == key else entry)


class NoRecord:
    """Stands in for a record that cannot be read, where only reading was wanted."""

    path = None

    def entry(self, key):
        return {}

    def get(self, key):
        return {}

    def key_of_task(self, endpoint_url, sdk_app_id, task_id):
        return record_key(endpoint_url, sdk_app_id, task_id)

    def stopped_here(self, endpoint_url, sdk_app_id, task_id):
        return None

    def entries(self):
        return {}
