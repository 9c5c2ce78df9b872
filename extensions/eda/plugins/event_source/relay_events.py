# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""An ansible-rulebook event source: TRTC's relay callbacks (stream ingest, event group 7), checked and named.

Each callback is answered at once: its Sign is checked over the raw body in constant time, its application must be
one served, and a relay callback becomes one event naming its relay from the collection's last-applied record (the
callback carries only the TaskId), telling a stop the collection asked for from one nobody asked for. The service's
retries give one event; an event older than the last one seen of its TaskId is marked stale.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
import os
import re
import ssl
import sys
import time

from aiohttp import web

DOCUMENTATION = r"""
---
short_description: Receive TRTC relay callbacks (stream ingest starts and stops) as events
description:
  - >-
    An ansible-rulebook event source that listens for the callbacks TRTC sends on relay task (stream ingest) events
    (event group 7, set up in the TRTC console with a callback URL and key) and puts one event on the queue for each.
  - >-
    Every callback is answered at once, within the service's 5 seconds. C(200) with C({"code": 0}) when accepted
    (retries and other event groups too, which are not queued); C(401) when the C(Sign) header is missing or is not
    the base64 HMAC-SHA256 of the raw body with I(callback_key) (compared in constant time); C(403) when the
    C(SdkAppId) header names an application not in I(sdk_app_ids); C(400) for a body that is not a callback;
    C(413) for a body over 64 KiB; C(503) when the record cannot be read, or does not answer within 3 seconds (the
    service sends it again). Nothing refused reaches the queue, and nothing logged holds the key.
  - >-
    Each relay callback becomes one event C({"trtc": {...}}) with C(sdk_app_id) (int), C(task_id),
    C(event_type) (701 or 702), C(event) (C(started), C(start_failed) or C(start_retrying) for 701 with Status 0,
    1 or 2; C(stopped) for 702; C(unknown) for any other Status), C(status), C(event_ms_ts), C(callback_ms_ts),
    C(relay) (C(room_id), C(room_id_type), C(user_id) from the record, or C(null) when the record does not know
    the TaskId), C(expected) and C(stale).
  - >-
    The callback is answered at once; an event of a TaskId the record does not know is looked up again for about
    ten seconds before it is queued (with the later events of that TaskId behind it, in order), since the service
    may call back before the module that started the relay has recorded its TaskId. Only then is its C(relay)
    C(null).
  - >-
    C(expected) is C(true) for a stop the collection asked for (C(state=absent), C(replace=true), exclusive sets:
    the record keeps those TaskIds for two hours), C(false) for a stop of a task the record holds as running, and
    C(null) when the record does not know the task, and for every 701 event.
  - >-
    The service retries a callback it had no answer to (at once, then every 10 seconds for a minute); a retry of a
    callback already queued is answered and not queued again. Events may arrive out of order; an event whose
    EventMsTs is older than the last one seen for its TaskId is queued with C(stale=true), so that it never shows
    as the task's current state; every other event has C(stale=false).
  - >-
    Runs inside ansible-rulebook (or AAP's EDA controller, with a decision environment holding this collection and
    aiohttp) on the host whose record the playbooks use, or with the same I(record_store).
options:
  host:
    description:
      - The address to listen on.
    type: str
    default: 0.0.0.0
  port:
    description:
      - The TCP port to listen on.
    type: int
    default: 5000
  callback_key:
    description:
      - The callback key set in the TRTC console (up to 32 letters and digits; any other key fails at start, as
        it could never match). Required unless I(insecure_accept_unsigned=true).
      - If not set, the environment variable E(TENCENTCLOUD_TRTC_CALLBACK_KEY) is used.
    type: str
  insecure_accept_unsigned:
    description:
      - Accept callbacks without checking their C(Sign), when the console has no key. Anyone who can reach the
        port can then make the rulebook act. For tests only.
    type: bool
    default: false
  sdk_app_ids:
    description:
      - The SdkAppIds of the applications served. A callback of any other application is refused (403).
    type: list
    elements: int
    required: true
  certfile:
    description:
      - A certificate (chain) file to serve HTTPS with; without it, plain HTTP (behind a reverse proxy with TLS).
    type: str
  keyfile:
    description:
      - The private key of I(certfile), if it is not in that file.
    type: str
  record_file:
    description:
      - The last-applied record the modules write, which names relays by their TaskIds.
      - If not set, the environment variable E(TENCENTCLOUD_TRTC_RECORD_FILE) is used, then the modules' default.
    type: path
    default: ~/.ansible/tencentcloud_trtc/last_applied.json
  record_store:
    description:
      - The Redis store the modules share the record through (the modules' I(record_store)); it replaces
        I(record_file). Needs redis-py.
      - If not set, the environment variable E(TENCENTCLOUD_TRTC_RECORD_STORE) is used.
    type: str
  endpoints:
    description:
      - The endpoints whose relays the record is searched for (the modules' I(endpoint), as they were run).
      - If not set, the environment variable E(TENCENTCLOUD_TRTC_ENDPOINT) is used, then both sites' endpoints.
    type: list
    elements: str
notes:
  - Expose the port to the service only through TLS (I(certfile), or a reverse proxy), and set a callback key.
  - See the relay events guide of the collection for the whole path, and the rulebook it ships
    (C(tencentcloud.trtc.keep_relays_running)).
"""

EXAMPLES = r"""
- name: Keep TRTC relays running
  hosts: all
  sources:
    - tencentcloud.trtc.relay_events:
        port: 5000
        sdk_app_ids: [1400188366]
        callback_key: "{{ TRTC_CALLBACK_KEY }}"
  rules:
    - name: A relay stopped that nobody here asked to stop
      condition: event.trtc.event == "stopped" and event.trtc.expected == false and event.trtc.stale == false
      action:
        debug:
"""

logger = logging.getLogger('tencentcloud.trtc.relay_events')

# The collection's record code, from the collection this file belongs to: ansible-rulebook runs this file by its
# path, with no collection loader, so the directory holding ansible_collections/ is put on the path when needed.
COLLECTIONS_DIR = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), *(['..'] * 7)))
try:
    from ansible_collections.tencentcloud.trtc.plugins.module_utils import _record as record_code
except ImportError:
    sys.path.insert(0, COLLECTIONS_DIR)
    from ansible_collections.tencentcloud.trtc.plugins.module_utils import _record as record_code

# pylint: disable=wrong-import-position
from ansible_collections.tencentcloud.trtc.plugins.module_utils._client import parse_endpoint
from ansible_collections.tencentcloud.trtc.plugins.module_utils._facts import SITES

RELAY_GROUP = 7
START_EVENT = 701
STOP_EVENT = 702
START_STATUSES = {0: 'started', 1: 'start_failed', 2: 'start_retrying'}
MAX_BODY_BYTES = 64 * 1024
MAX_MS = 2 ** 63 - 1
# The console's callback key: up to 32 letters and digits.
CALLBACK_KEY_PATTERN = re.compile(r'[A-Za-z0-9]{1,32}')
# The service retries a callback for a minute; what was seen is kept well beyond that.
SEEN_SECONDS = 600
MAX_SEEN = 100000
OK = {'code': 0}
# The service counts a callback unanswered after 5 s: a record slower than this is answered 503 (it sends again).
ANSWER_SECONDS = 3
# An event of a TaskId the record does not know yet may come from a Start whose answer is being recorded: it is
# looked up again for this long (at these intervals) before it is queued with relay null.
NAMING_DELAYS = (0.25, 0.5, 1, 2, 2, 2, 2)
MAX_UNNAMED_TASKS = 1000


class BadCallback(ValueError):
    """A body that is not a TRTC callback; the message says why (it never quotes the body)."""


def required(document, name, types, where='the body'):
    value = document.get(name)
    if isinstance(value, bool) or not isinstance(value, types):
        raise BadCallback('%s has no %s of the right type' % (where, name))
    return value


def milliseconds(document, name, where):
    """A time in ms: a number in every example, typed String in one table; both are accepted, as a 64-bit count
    (ASCII digits only: int() of any other text would take other scripts' digits, or fail on thousands of them)."""
    value = document.get(name)
    if isinstance(value, str):
        text = value.strip()
        value = int(text) if text.isascii() and text.isdigit() and len(text) <= len(str(MAX_MS)) else None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_MS:
        raise BadCallback('%s has no %s in milliseconds (an integer from 0 to 2**63 - 1)' % (where, name))
    return value


def parse_callback(body):
    """(event group, the relay callback's fields or None) of a raw body; BadCallback for anything else."""
    try:
        document = json.loads(body.decode('utf-8'))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadCallback('the body is not UTF-8 JSON')
    if not isinstance(document, dict):
        raise BadCallback('the body is not a JSON object')
    group = required(document, 'EventGroupId', int)
    if group != RELAY_GROUP:
        return group, None
    info = required(document, 'EventInfo', dict)
    task_id = required(info, 'TaskId', str, 'EventInfo')
    if not task_id:
        raise BadCallback('EventInfo has an empty TaskId')
    callback_ms = document.get('CallbackMsTs')
    return group, dict(
        event_type=required(document, 'EventType', int), task_id=task_id,
        status=required(info, 'Status', int, 'EventInfo'), event_ms_ts=milliseconds(info, 'EventMsTs', 'EventInfo'),
        callback_ms_ts=None if callback_ms is None else milliseconds(document, 'CallbackMsTs', 'the body'))


def expected_sign(key, body):
    """base64(HMAC-SHA256(key, body)) of the raw body, as TRTC signs its callbacks."""
    return base64.b64encode(hmac.new(key, body, hashlib.sha256).digest())


def sign_matches(key, body, sign):
    return hmac.compare_digest(expected_sign(key, body), sign.strip().encode('utf-8', 'replace'))


def event_name(event_type, status):
    if event_type == STOP_EVENT:
        return 'stopped' if status == 0 else 'unknown'
    return START_STATUSES.get(status, 'unknown')


class Record:
    """What the collection's record says of a TaskId: its relay's name, and whether the collection stopped it."""

    def __init__(self, record, endpoint_urls):
        self.record = record
        self.endpoint_urls = endpoint_urls

    def lookup(self, sdk_app_id, task_id):
        """(relay name or None, expected) of a stop of task_id: expected True when the collection stopped it, False
        when the record holds it as running, None when the record does not know it."""
        for endpoint_url in self.endpoint_urls:
            stop = self.record.stopped_here(endpoint_url, sdk_app_id, task_id)
            key = self.record.key_of_task(endpoint_url, sdk_app_id, task_id)
            if stop is not None:
                return record_code.relay_name(stop.get('relay') or key), True
            if self.holds_running(key, task_id):
                return record_code.relay_name(key), False
        return None, None

    def holds_running(self, key, task_id):
        entry = self.record.entry(key)
        if record_code.relay_name(key) is not None:
            return entry.get('task_id') == task_id
        return bool(entry) and 'relay' not in entry


class Seen:
    """The callbacks already queued (so that a retry is not queued again) and the newest EventMsTs of each TaskId,
    each kept SEEN_SECONDS (the service retries for a minute) and at most MAX_SEEN of each."""

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.callbacks = {}
        self.newest = {}

    def is_retry(self, identity):
        return identity in self.callbacks

    def note(self, identity, task, event_ms_ts):
        """Note a queued callback; whether it is older than the newest event seen of its task (stale)."""
        now = self.clock()
        for table in (self.callbacks, self.newest):  # both in the order of their last note
            while table and (len(table) >= MAX_SEEN or next(iter(table.values()))[0] < now - SEEN_SECONDS):
                del table[next(iter(table))]
        self.callbacks[identity] = (now,)
        newest = self.newest.pop(task, None)
        stale = newest is not None and event_ms_ts < newest[1]
        self.newest[task] = newest if stale else (now, event_ms_ts)
        return stale


class RelayEvents:
    """The listener's state: its settings, the record, what it has seen, and the queue."""

    def __init__(self, queue, key, sdk_app_ids, record):
        self.queue = queue
        self.key = key
        self.sdk_app_ids = frozenset(sdk_app_ids)
        self.record = record
        self.seen = Seen()
        self.lock = asyncio.Lock()
        self.unnamed = {}  # TaskId -> the events of a task not in the record yet, queued in order once named
        self.naming = set()  # the tasks looking them up again: the event loop keeps only weak references to tasks

    async def handle(self, request):
        """Answer one callback; queue its event when it is a relay callback not seen before."""
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return refused(413, 'the body is over %d bytes' % MAX_BODY_BYTES, request)
        sign = request.headers.get('Sign')
        if self.key is not None and not sign:
            return refused(401, 'no Sign header', request)
        if self.key is not None and not sign_matches(self.key, body, sign):
            return refused(401, 'the Sign header does not match the body and the callback key', request)
        sdk_app_id = served_app(request.headers.get('SdkAppId'), self.sdk_app_ids)
        if sdk_app_id is None:
            return refused(403, 'the SdkAppId header names no application served here', request)
        try:
            group, callback = parse_callback(body)
        except BadCallback as exc:
            return refused(400, str(exc), request)
        if callback is None or callback['event_type'] not in (START_EVENT, STOP_EVENT):
            logger.info('answered a TRTC callback of event group %s, which is not queued', group)
            return web.json_response(OK)
        return await self.accepted(sdk_app_id, callback, request)

    async def accepted(self, sdk_app_id, callback, request):
        identity = (sdk_app_id, callback['task_id'], callback['event_type'], callback['status'],
                    callback['event_ms_ts'])
        deadline = asyncio.get_running_loop().time() + ANSWER_SECONDS
        try:  # one callback at a time, so that a retry is never queued twice; never past the service's patience
            await asyncio.wait_for(self.lock.acquire(), ANSWER_SECONDS)
        except asyncio.TimeoutError:
            return refused(503, 'the record did not answer within %d s' % ANSWER_SECONDS, request)
        try:
            if self.seen.is_retry(identity):
                return web.json_response(OK)
            try:
                relay, expected = await asyncio.wait_for(
                    asyncio.to_thread(self.record.lookup, sdk_app_id, callback['task_id']),
                    max(0.0, deadline - asyncio.get_running_loop().time()))
            except asyncio.TimeoutError:
                logger.error('cannot name the relay of a TRTC callback: the record did not answer within %d s',
                             ANSWER_SECONDS)
                return refused(503, 'the record did not answer within %d s' % ANSWER_SECONDS, request)
            except record_code.RecordError as exc:
                logger.error('cannot name the relay of a TRTC callback: %s', exc)
                return refused(503, 'the record cannot be read', request)
            stale = self.seen.note(identity, (sdk_app_id, callback['task_id']), callback['event_ms_ts'])
            event = dict(callback, sdk_app_id=sdk_app_id, relay=relay, stale=stale,
                         event=event_name(callback['event_type'], callback['status']), expected=expected)
            await self.queue_or_hold(event)
        finally:
            self.lock.release()
        return web.json_response(OK)

    async def queue_or_hold(self, event):
        """Queue the event, or hold it while its task may yet be recorded (behind any event of it already held)."""
        task = (event['sdk_app_id'], event['task_id'])
        if task in self.unnamed:
            self.unnamed[task].append(event)
        elif event['relay'] is None and len(self.unnamed) < MAX_UNNAMED_TASKS:
            self.unnamed[task] = [event]
            naming = asyncio.get_running_loop().create_task(self.name_later(task))
            self.naming.add(naming)
            naming.add_done_callback(self.naming.discard)
        else:
            await self.put(event)

    async def name_later(self, task):
        """Look the held events' task up again a few times; then queue them all in order, named if it was found."""
        relay = expected = None
        for delay in NAMING_DELAYS:
            await asyncio.sleep(delay)
            try:
                relay, expected = await asyncio.wait_for(asyncio.to_thread(self.record.lookup, *task), ANSWER_SECONDS)
            except (asyncio.TimeoutError, record_code.RecordError):
                continue
            if relay is not None:
                break
        async with self.lock:
            for event in self.unnamed.pop(task):
                await self.put(dict(event, relay=relay, expected=expected) if event['relay'] is None else event)

    async def put(self, event):
        if event['event_type'] != STOP_EVENT:
            event = dict(event, expected=None)
        await self.queue.put(dict(trtc=event))


def served_app(header, sdk_app_ids):
    """The SdkAppId a header names when it is served here, else None."""
    text = (header or '').strip()
    if not text.isdigit() or int(text) not in sdk_app_ids:
        return None
    return int(text)


def refused(status, reason, request):
    """An answer refusing a callback; the log names the reason and the peer, never the key, Sign or body."""
    logger.warning('refused a callback from %s with %d: %s', request.remote, status, reason)
    return web.json_response(dict(code=status, message=reason), status=status)


def option(args, name, env=None, default=None):
    value = args.get(name)
    if value is None and env:
        value = os.environ.get(env) or None
    return default if value is None else value


def settings(args):
    """The checked arguments; ValueError naming the option for anything wrong, before listening."""
    key = option(args, 'callback_key', 'TENCENTCLOUD_TRTC_CALLBACK_KEY')
    insecure = args.get('insecure_accept_unsigned', False)
    if not isinstance(insecure, bool):
        raise ValueError('insecure_accept_unsigned: must be true or false')
    if key is None and not insecure:
        raise ValueError('callback_key: required (the key set in the TRTC console), unless '
                         'insecure_accept_unsigned: true is given plainly')
    if key is not None and (not isinstance(key, str) or not CALLBACK_KEY_PATTERN.fullmatch(key)):
        # A key the console cannot hold would refuse every callback (401); its value is never quoted.
        raise ValueError('callback_key: must be the key set in the TRTC console: 1 to 32 letters and digits '
                         '(the one given is not)')
    apps = args.get('sdk_app_ids')
    if isinstance(apps, int) and not isinstance(apps, bool):
        apps = [apps]
    if not isinstance(apps, list) or not apps or not all(
            isinstance(app, int) and not isinstance(app, bool) and app > 0 for app in apps):
        raise ValueError('sdk_app_ids: required, a list of the SdkAppIds (integers) served')
    port = args.get('port', 5000)
    if isinstance(port, str) and port.isdigit():
        port = int(port)
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise ValueError('port: must be a TCP port number, got %r' % (port,))
    return dict(key=None if key is None else key.encode('utf-8'), sdk_app_ids=apps, port=port,
                host=args.get('host') or '0.0.0.0', endpoint_urls=endpoint_urls(args))


def endpoint_urls(args):
    endpoints = option(args, 'endpoints', 'TENCENTCLOUD_TRTC_ENDPOINT')
    if endpoints is None:
        endpoints = [site['endpoint'] for site in SITES.values()]
    if isinstance(endpoints, str):
        endpoints = [endpoints]
    urls = []
    for endpoint in endpoints:
        try:
            urls.append(parse_endpoint(endpoint)[0])
        except (ValueError, AttributeError) as exc:
            raise ValueError('endpoints: %s' % exc)
    return urls


def open_record(args):
    """The collection's record, checked now: RecordError (naming it, never a password) when it cannot be used."""
    store_url = option(args, 'record_store', 'TENCENTCLOUD_TRTC_RECORD_STORE')
    if store_url is None:
        path = option(args, 'record_file', 'TENCENTCLOUD_TRTC_RECORD_FILE', record_code.DEFAULT_RECORD_FILE)
        record = record_code.LastAppliedRecord(path)
    else:
        from ansible_collections.tencentcloud.trtc.plugins.module_utils import _redis_store as store_code
        from ansible_collections.tencentcloud.trtc.plugins.module_utils._checks import ConfigurationError
        try:
            store_code.validate_store_url(store_url)
        except ConfigurationError as exc:
            raise record_code.RecordError(str(exc))
        if store_code.load_redis() is None:
            raise record_code.RecordError('record_store: needs the Python library redis (pip install redis)')
        record = record_code.LastAppliedRecord(backend=store_code.RedisStore.of(store_url))
    record.check()
    return record


def ssl_context(args):
    certfile = args.get('certfile')
    if not certfile:
        return None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        context.load_cert_chain(certfile, args.get('keyfile'))
    except (OSError, ssl.SSLError) as exc:
        raise ValueError('certfile/keyfile: cannot load the certificate: %s' % exc)
    return context


async def main(queue, args):
    """Listen for TRTC's relay callbacks and put one event on queue for each; runs until cancelled."""
    config = settings(args)
    record = Record(open_record(args), config['endpoint_urls'])
    listener = RelayEvents(queue, config['key'], config['sdk_app_ids'], record)
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app.router.add_post('/{path:.*}', listener.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, config['host'], config['port'], ssl_context=ssl_context(args))
        try:
            await site.start()
        except OSError as exc:  # a port taken or a host that does not resolve: named, not a traceback
            raise ValueError('host/port: cannot listen on %s:%s: %s'
                             % (config['host'], config['port'], exc.strerror or exc))
        logger.info('listening for TRTC relay callbacks on %s:%s', config['host'], config['port'])
        await asyncio.Future()
    finally:
        await runner.cleanup()


if __name__ == '__main__':
    # A quick try, alone: python relay_events.py PORT SDK_APP_ID (the key from TENCENTCLOUD_TRTC_CALLBACK_KEY).

    class PrintQueue(asyncio.Queue):
        """Prints each event instead of queueing it."""

        async def put(self, item):
            print(json.dumps(item), flush=True)

    logging.basicConfig(level=logging.INFO)
    try:
        asyncio.run(main(PrintQueue(), dict(port=int(sys.argv[1]), sdk_app_ids=[int(sys.argv[2])])))
    except (IndexError, ValueError, record_code.RecordError) as exc:
        sys.exit('usage: relay_events.py PORT SDK_APP_ID (key in TENCENTCLOUD_TRTC_CALLBACK_KEY): %s' % exc)
    except KeyboardInterrupt:
        pass
