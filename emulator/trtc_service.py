# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The service the emulator plays, without HTTP: its facts (actions, parameters, sites, limits), its checks of a
request (signature, region, rate, parameters, UserSig), its tasks, its pending faults and its request log.

trtc_server.py serves it over HTTP; trtc_emulator.py is the command line. A new API action is one row of
ACTION_TABLE and one method of Emulator. Standard library only.
"""

import base64
import collections
import datetime
import hashlib
import hmac
import json
import os
import re
import threading
import time
import uuid
import zlib
from urllib.parse import unquote, urlsplit

API_VERSION = '2019-07-22'
SERVICE = 'trtc'
# The two sites serve the same API version with their own regions (for every action) and Volume range.
SITES = {
    'intl': dict(regions=('ap-bangkok', 'ap-guangzhou', 'ap-jakarta', 'ap-mumbai', 'ap-singapore', 'ap-tokyo'),
                 max_volume=100),
    'china': dict(regions=('ap-beijing', 'ap-chongqing', 'ap-guangzhou', 'ap-shanghai', 'ap-singapore'),
                  max_volume=200),
}
DEFAULT_SITE = 'intl'
MAX_CLOCK_SKEW = 300
MAX_JSON_DEPTH = 64
MAX_FAULT_COUNT = 10000
MAX_FAULT_SECONDS = 600
FAULT_KINDS = ('http', 'drop', 'delay', 'error')
FAULT_FIELDS = ('action', 'kind', 'count', 'status', 'seconds', 'code', 'message')
NUMBER = (int, float)  # a JSON number: an integer or not
TASK_SETTINGS = {'stream_url': str, 'volume': int, 'paused': bool}
CHINA_TASK_SETTINGS = {'tempo': NUMBER, 'enable_progress': bool}
TEMPO_CHOICES = (0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0)
DEFAULT_TEMPO = 1.0
IDLE_TIMEOUT_RANGE = (0, 600)
TASK_ROOM_FIELDS = {'room_id': str, 'room_id_type': int, 'user_id': str}
END_FIELDS = ('sdk_app_id', 'task_id', 'how')
# How a control request ends a task: its source ended (702), or its start failed again and again (701 Status 1,
# then 2 and 1 for each of the service's three retries, and no 702: which ends send 702 is not documented).
END_HOWS = ('ended', 'start_failed')
# When a start fails, the service tries again 0, 1 and 3 seconds later; each try takes a moment to fail.
START_RETRY_SECONDS = (0.0, 1.0, 3.0)
ATTEMPT_SECONDS = 0.2
DEMO_SECRET_ID = 'AKIDEMULATORDEMOKEY0000000000000000'
DEMO_SECRET_KEY = 'emulator-demo-secret-key-not-real'
DEMO_SDK_SECRET_KEY = 'emulator-demo-sdk-secret-key-not-real'
MAX_INTEGER_ROOM_ID = 4294967294
MAX_STRING_ROOM_ID_LENGTH = 64
MAX_USER_SIG_JSON_BYTES = 64 * 1024
SECRET_PARAMETERS = ('UserSig', 'PrivateMapKey')  # never logged, never in the state
REDACTED = '<redacted>'
AUTH_PATTERN = re.compile(
    r'^TC3-HMAC-SHA256 Credential=(?P<secret_id>[^/\s]+)/(?P<date>\d{4}-\d{2}-\d{2})/(?P<service>[^/\s]+)/tc3_request, '
    r'SignedHeaders=(?P<signed>[a-z0-9;-]+), Signature=(?P<signature>[0-9a-f]{64})$')

# One row per API action: the parameters it takes on both sites ({name: type}), those it requires, those only the
# China site takes (UnknownParameter on the international site), those the service no longer accepts
# (InvalidParameter, saying what to do instead), and the name of the Emulator method that answers it.
Action = collections.namedtuple('Action', 'parameters required china_parameters deprecated answer')
ACTION_TABLE = {
    'StartStreamIngest': Action(
        parameters={'SdkAppId': int, 'RoomId': str, 'RoomIdType': int, 'UserId': str, 'UserSig': str,
                    'StreamUrl': str, 'PrivateMapKey': str, 'SeekSecond': int, 'AutoPush': bool, 'RepeatNum': int,
                    'MaxDuration': int, 'Volume': int},
        required=('SdkAppId', 'RoomId', 'UserId', 'UserSig', 'StreamUrl'),
        china_parameters={'EnableProgress': bool, 'Tempo': NUMBER, 'IdleTimeout': int},
        deprecated={'SourceUrl': 'use StreamUrl', 'VideoEncodeParams': 'do not send it',
                    'AudioEncodeParams': 'do not send it'},
        answer='start'),
    'UpdateStreamIngest': Action(
        parameters={'SdkAppId': int, 'TaskId': str, 'StreamUrl': str, 'Volume': int, 'IsPause': bool},
        required=('SdkAppId', 'TaskId'), china_parameters={'EnableProgress': bool, 'Tempo': NUMBER}, deprecated={},
        answer='update'),
    'DescribeStreamIngest': Action(
        parameters={'SdkAppId': int, 'TaskId': str}, required=('SdkAppId', 'TaskId'), china_parameters={},
        deprecated={}, answer='describe'),
    'StopStreamIngest': Action(
        parameters={'SdkAppId': int, 'TaskId': str}, required=('SdkAppId', 'TaskId'), china_parameters={},
        deprecated={}, answer='stop'),
}
ACTIONS = tuple(ACTION_TABLE)

# Missing parameters with a code of their own (the service's errorcodes.py); others get MissingParameter.
MISSING_PARAMETER_CODES = ('SdkAppId', 'TaskId', 'RoomId', 'UserId', 'UserSig')


class ApiError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


class ControlError(ValueError):
    """A malformed control request: answered with HTTP 400 and this message."""


def is_integer(value):
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def has_type(value, wanted):
    """Whether a JSON value has the type wanted (bool, int, str or NUMBER): true is no integer, 1 no boolean."""
    return isinstance(value, bool) == (wanted is bool) and isinstance(value, wanted)


def type_name(wanted):
    return 'number' if wanted is NUMBER else wanted.__name__


def parameter_types(action, site):
    """{parameter: type} of an action on a site."""
    types = dict(ACTION_TABLE[action].parameters)
    if site == 'china':
        types.update(ACTION_TABLE[action].china_parameters)
    return types


def tempo_problem(value):
    """Why value is not a Tempo the China site takes, or None."""
    if not is_number(value) or value not in TEMPO_CHOICES:
        return 'must be one of %s' % ', '.join(str(tempo) for tempo in TEMPO_CHOICES)
    return None


def site_of_seed(seed):
    """The site a seed names ("intl" or "china"), None when it names none, else ValueError."""
    site = seed.get('site')
    if site is not None and (not isinstance(site, str) or site not in SITES):
        raise ValueError('"site" must be one of %s' % ', '.join(sorted(SITES)))
    return site


def nests_deeper_than(document, limit):
    """True when JSON arrays and objects nest more than `limit` levels (checked without recursion)."""
    pending = [(document, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, (dict, list)):
            if depth > limit:
                return True
            pending.extend((item, depth + 1) for item in (value.values() if isinstance(value, dict) else value))
    return False


def decode_json(body):
    """The JSON document in body, else ValueError: not JSON, or nested deeper than MAX_JSON_DEPTH."""
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        raise ValueError('The request body is not valid JSON.')
    if nests_deeper_than(document, MAX_JSON_DEPTH):
        raise ValueError('The request body nests deeper than %d levels.' % MAX_JSON_DEPTH)
    return document


def control_document(body):
    """The JSON object of a control request (an empty body is {}), else ControlError."""
    try:
        document = decode_json(body or b'{}')
    except ValueError as exc:
        raise ControlError(str(exc))
    if not isinstance(document, dict):
        raise ControlError('The request body must be a JSON object.')
    return document


def task_key(task, where):
    """(sdk_app_id, task_id) of a task named in a control request or a seed, else ControlError."""
    if not isinstance(task, dict):
        raise ControlError('%s must be an object with sdk_app_id and task_id' % where)
    app = task.get('sdk_app_id')
    if isinstance(app, str) and app.isascii() and app.isdigit() and len(app) <= 18:
        app = int(app)  # a templated value may arrive as a string of digits
    if not is_integer(app) or app <= 0:
        raise ControlError('%s: sdk_app_id must be a positive integer' % where)
    task_id = task.get('task_id')
    if not isinstance(task_id, str) or not task_id:
        raise ControlError('%s: task_id must be a non-empty string' % where)
    return app, task_id


def task_entry(task, where, site=DEFAULT_SITE):
    """((sdk_app_id, task_id), settings) of a task given to the control API or in a seed, else ControlError.

    A task may name the room and robot user it runs for (room_id, user_id and room_id_type, default 1),
    as if StartStreamIngest had started it: a Start for the same room and user then answers TaskExist.
    On the China site it also has tempo (default 1.0) and enable_progress (default false).
    """
    key = task_key(task, where)
    entry = dict(stream_url='https://example.com/live/seed.flv', volume=100, paused=False)
    fields = list(TASK_SETTINGS.items()) + list(TASK_ROOM_FIELDS.items())
    if site == 'china':
        entry.update(tempo=DEFAULT_TEMPO, enable_progress=False)
        fields += list(CHINA_TASK_SETTINGS.items())
    else:
        given = sorted(name for name in CHINA_TASK_SETTINGS if name in task)
        if given:
            raise ControlError('%s: %s: settings of the China site only; this emulator plays the %s site '
                               '(start it with --site china)' % (where, ', '.join(given), site))
    for name, wanted in fields:
        if name in task:
            if not has_type(task[name], wanted):
                raise ControlError('%s: %s must be a %s' % (where, name, type_name(wanted)))
            entry[name] = task[name]
    if 'tempo' in entry:
        if tempo_problem(entry['tempo']):
            raise ControlError('%s: tempo %s' % (where, tempo_problem(entry['tempo'])))
        entry['tempo'] = float(entry['tempo'])
    if ('room_id' in entry) != ('user_id' in entry) or ('room_id_type' in entry and 'room_id' not in entry):
        raise ControlError('%s: a task names its room and robot user with both room_id and user_id '
                           '(and optionally room_id_type)' % where)
    if 'room_id' in entry:
        entry.setdefault('room_id_type', 1)
        if entry['room_id_type'] not in (0, 1) or not entry['room_id'] or not entry['user_id']:
            raise ControlError('%s: room_id_type must be 0 or 1, room_id and user_id non-empty' % where)
    return key, entry


def task_entries(tasks, site=DEFAULT_SITE):
    if not isinstance(tasks, list):
        raise ControlError('"tasks" must be a list of tasks')
    return [task_entry(task, 'tasks[%d]' % index, site) for index, task in enumerate(tasks)]


def end_request(document):
    """(sdk_app_id, task_id) of a POST /_emulator/end body, else ControlError naming the problem."""
    unknown = sorted(set(document) - set(END_FIELDS))
    if unknown:
        raise ControlError('unknown field(s) %s; an end request has %s' % (', '.join(unknown), ', '.join(END_FIELDS)))
    if document.get('how', 'ended') not in END_HOWS:
        raise ControlError('how must be one of %s' % ', '.join(END_HOWS))
    return task_key(dict((name, value) for name, value in document.items() if name != 'how'), 'the end request')


def sdk_secret_key_entries(mapping, where):
    """{sdk_app_id: key} of a seed's "sdk_secret_keys" ({"1400188366": "key", ...}), else ValueError."""
    if not isinstance(mapping, dict):
        raise ValueError('%s must be an object of SdkAppId (a string of digits) to SDK secret key' % where)
    keys = {}
    for app, key in mapping.items():
        if not (app.isascii() and app.isdigit() and 0 < int(app)) or not isinstance(key, str) or not key:
            raise ValueError('%s: each entry maps an SdkAppId (a string of digits) to a non-empty key' % where)
        keys[int(app)] = key
    return keys


def check_fault(fault):
    """The number of calls a fault request covers, else ControlError naming the field at fault."""
    unknown = sorted(set(fault) - set(FAULT_FIELDS))
    if unknown:
        raise ControlError('unknown fault field(s) %s; a fault has %s' % (', '.join(unknown), ', '.join(FAULT_FIELDS)))
    if fault.get('action') not in ACTIONS or fault.get('kind') not in FAULT_KINDS:
        raise ControlError('a fault needs an action among %s and a kind among %s'
                           % (', '.join(ACTIONS), ', '.join(FAULT_KINDS)))
    count = fault.get('count', 1)
    if not is_integer(count) or not 0 <= count <= MAX_FAULT_COUNT:
        raise ControlError('count must be an integer from 0 to %d' % MAX_FAULT_COUNT)
    status = fault.get('status', 503)
    if not is_integer(status) or not 200 <= status <= 599:
        raise ControlError('status must be an HTTP status code from 200 to 599')
    seconds = fault.get('seconds', 5)
    if not is_number(seconds) or not 0 <= seconds <= MAX_FAULT_SECONDS:
        raise ControlError('seconds must be a number from 0 to %d' % MAX_FAULT_SECONDS)
    if not isinstance(fault.get('code', 'InternalError'), str) or not fault.get('code', 'InternalError'):
        raise ControlError('code must be a non-empty string')
    if not isinstance(fault.get('message', ''), str):
        raise ControlError('message must be a string')
    return count


def expected_signature(secret_key, date, service, signed_names, headers, body, timestamp):
    """What the Authorization signature must be, computed independently of any client code."""
    canonical_headers = ''.join('%s:%s\n' % (name, headers.get(name, '').strip().lower()) for name in signed_names)
    canonical = 'POST\n/\n\n%s\n%s\n%s' % (canonical_headers, ';'.join(signed_names), hashlib.sha256(body).hexdigest())
    to_sign = 'TC3-HMAC-SHA256\n%s\n%s/%s/tc3_request\n%s' % (
        timestamp, date, service, hashlib.sha256(canonical.encode('utf-8')).hexdigest())
    key = ('TC3' + secret_key).encode('utf-8')
    for part in (date, service, 'tc3_request'):
        key = hmac.new(key, part.encode('utf-8'), hashlib.sha256).digest()
    return hmac.new(key, to_sign.encode('utf-8'), hashlib.sha256).hexdigest()


def bad_user_sig(reason):
    return ApiError('InvalidParameter.UserSig', 'The UserSig is invalid: %s.' % reason)


def decode_user_sig(user_sig):
    """The JSON document inside a UserSig (TLS sig v2), else ApiError saying what does not decode.

    base64 with "*" for "+", "-" for "/" and "_" for "="; then zlib; then a JSON object.
    """
    text = user_sig.replace('*', '+').replace('-', '/').replace('_', '=')
    try:
        raw = base64.b64decode((text + '=' * (-len(text) % 4)).encode('ascii'), validate=True)
    except ValueError:  # binascii.Error, UnicodeEncodeError
        raise bad_user_sig('it is not base64 (with * for +, - for / and _ for =)')
    inflater = zlib.decompressobj()
    try:
        content = inflater.decompress(raw, MAX_USER_SIG_JSON_BYTES)
    except zlib.error:
        raise bad_user_sig('it is not zlib-compressed')
    if inflater.unconsumed_tail or not inflater.eof or inflater.unused_data:
        raise bad_user_sig('it is not whole zlib data of at most %d bytes' % MAX_USER_SIG_JSON_BYTES)
    try:
        document = decode_json(content.decode('utf-8'))
    except (ValueError, UnicodeDecodeError):
        raise bad_user_sig('its content is not JSON')
    if not isinstance(document, dict):
        raise bad_user_sig('its content is not a JSON object')
    if document.get('TLS.ver') != '2.0':
        raise bad_user_sig('TLS.ver is not "2.0"')
    for name, wanted in (('TLS.identifier', str), ('TLS.sdkappid', int), ('TLS.time', int), ('TLS.expire', int),
                         ('TLS.sig', str)):
        value = document.get(name)
        if isinstance(value, bool) or not isinstance(value, wanted):
            raise bad_user_sig('%s is missing or not %s' % (name, 'an integer' if wanted is int else 'a string'))
    if 'TLS.userbuf' in document and not isinstance(document['TLS.userbuf'], str):
        raise bad_user_sig('TLS.userbuf is not a string')
    return document


def user_sig_summary(user_sig):
    """What a UserSig says, without its signature (for the request log); None when it does not decode."""
    try:
        document = decode_user_sig(user_sig)
    except ApiError:
        return None
    return dict((name, document['TLS.' + name]) for name in ('identifier', 'sdkappid', 'time', 'expire'))


def verify_user_sig(user_sig, user_id, sdk_app_id, key, now):
    """Nothing when user_sig is a valid TLS sig v2 of user_id in sdk_app_id made with key, else
    ApiError InvalidParameter.UserSig saying which check failed (never the key)."""
    document = decode_user_sig(user_sig)
    if document['TLS.identifier'] != user_id:
        raise bad_user_sig('it was made for the user `%s`, not for the UserId `%s`'
                           % (document['TLS.identifier'], user_id))
    if document['TLS.sdkappid'] != sdk_app_id:
        raise bad_user_sig('it was made for the SdkAppId %d, not for %d' % (document['TLS.sdkappid'], sdk_app_id))
    expires = document['TLS.time'] + document['TLS.expire']
    if expires <= now:
        raise bad_user_sig('it expired at %d (TLS.time + TLS.expire), the server time is %d' % (expires, int(now)))
    if key is None:
        raise bad_user_sig('the emulator knows no SDK secret key for the SdkAppId %d (give one with '
                           '--sdk-secret-key or the seed\'s sdk_secret_keys)' % sdk_app_id)
    content = 'TLS.identifier:%s\nTLS.sdkappid:%d\nTLS.time:%d\nTLS.expire:%d\n' % (
        document['TLS.identifier'], document['TLS.sdkappid'], document['TLS.time'], document['TLS.expire'])
    if 'TLS.userbuf' in document:
        content += 'TLS.userbuf:%s\n' % document['TLS.userbuf']
    # surrogatepass: a lone surrogate (JSON "\ud800") in a field must fail the check, not the emulator
    expected = base64.b64encode(hmac.new(key.encode('utf-8', 'surrogateescape'),
                                         content.encode('utf-8', 'surrogatepass'), hashlib.sha256).digest())
    if not hmac.compare_digest(expected, document['TLS.sig'].encode('utf-8', 'surrogatepass')):
        raise bad_user_sig('its signature (TLS.sig) does not match: it was not made with the SDK secret key of '
                           'the SdkAppId %d' % sdk_app_id)


def new_task_id():
    """A TaskId shaped like the service's: 83 characters of base64 with "+", "/" and a final "."."""
    part = [base64.b64encode(os.urandom(size)).decode('ascii') for size in (12, 24, 24)]
    return '%s+%s/%s.' % tuple(part)


def relay_name(app, entry):
    """(sdk_app_id, room_id_type, room_id, user_id) of a task started for a room and user, else None."""
    if 'room_id' not in entry:
        return None
    return app, entry['room_id_type'], entry['room_id'], entry['user_id']


def redacted(params):
    """params as logged: the values of UserSig and PrivateMapKey replaced, so the log says they were sent, and the
    credentials of a StreamUrl masked."""
    logged = dict((name, REDACTED if name in SECRET_PARAMETERS else value) for name, value in params.items())
    if isinstance(logged.get('StreamUrl'), str):
        logged['StreamUrl'] = masked_stream_url(logged['StreamUrl'])
    return logged


def shown_task(app, task_id, entry):
    """A task as the state shows it: its stream URL's credentials masked."""
    task = dict(sdk_app_id=app, task_id=task_id, **entry)
    if isinstance(task.get('stream_url'), str):
        task['stream_url'] = masked_stream_url(task['stream_url'])
    return task


SECRET_QUERY_WORDS = ('secret', 'sig', 'token', 'auth', 'key', 'pass', 'pwd', 'credential')


def masked_stream_url(url):
    """A stream URL as the state shows it: the password of its user part (or the user part alone) and the values
    of query parameters named like credentials (txSecret, auth_key, sign, ...) replaced by ***."""
    rest, hash_mark, fragment = url.partition('#')
    rest, question_mark, query = rest.partition('?')
    scheme, separator, after = rest.partition('://')
    if separator:
        authority, slash, path = after.partition('/')
        if '@' in authority:
            userinfo, host = authority.rsplit('@', 1)
            authority = ('%s:***' % userinfo.split(':', 1)[0] if ':' in userinfo else '***') + '@' + host
        rest = scheme + separator + authority + slash + path
    return masked_pairs(rest) + question_mark + masked_pairs(query) + hash_mark + masked_pairs(fragment)


def masked_pairs(text):
    """text with the values of name=value pairs (split at & and ;) named like credentials replaced by ***."""
    pieces = []
    for piece in re.split('([&;])', text):
        name, equals, value = piece.partition('=')
        words = unquote(name.rsplit('/', 1)[-1]).lower()
        if equals and any(word in words for word in SECRET_QUERY_WORDS):
            value = '***'
        pieces.append(name + equals + value)
    return ''.join(pieces)


class Emulator:
    """The service's state: credentials, tasks, rate windows, pending faults and a log of requests."""

    def __init__(self, credentials, rate_limit=20, clock=time.time, sdk_secret_keys=None, site=DEFAULT_SITE):
        if site not in SITES:
            raise ValueError('site must be one of %s' % ', '.join(sorted(SITES)))
        self.site = site
        self.regions = SITES[site]['regions']
        self.credentials = credentials  # secret_id -> {"secret_key": ..., "token": ... or None}
        self.sdk_secret_keys = dict(sdk_secret_keys or {})  # sdk_app_id -> SDK secret key; none: the demo one
        self.rate_limit = rate_limit
        self.clock = clock
        self.lock = threading.Lock()
        self.tasks = {}
        self.requests = []
        self.faults = collections.defaultdict(collections.deque)
        self.windows = collections.defaultdict(collections.deque)
        self.ends = {}  # (sdk_app_id, task_id) -> when its MaxDuration ends it
        self.callbacks = None  # trtc_callbacks.Callbacks, which sends each event to the callback URL

    def notify(self, sdk_app_id, task_id, event_type, status, after=0.0):
        """A relay event (701 or 702 with its Status) happens, after that many seconds: its callback goes out then,
        if callbacks are set."""
        if self.callbacks is not None:
            self.callbacks.emit(sdk_app_id, task_id, event_type, status, after)

    # ---- control ------------------------------------------------------------------------
    def put_tasks(self, tasks):
        """Add or replace tasks; ControlError (and no change) when any of them is malformed."""
        entries = task_entries(tasks, self.site)
        with self.lock:
            self.tasks.update(entries)

    def reset(self, tasks=None):
        entries = task_entries(tasks, self.site) if tasks is not None else None
        with self.lock:
            self.requests = []
            self.faults.clear()
            self.windows.clear()
            if entries is not None:
                self.tasks = dict(entries)
        if self.callbacks is not None:
            self.callbacks.clear()

    def add_fault(self, fault):
        count = check_fault(fault)
        with self.lock:
            pending = self.faults[fault['action']]
            if len(pending) + count > MAX_FAULT_COUNT:
                raise ControlError('at most %d faults may be pending for %s (%d are)'
                                   % (MAX_FAULT_COUNT, fault['action'], len(pending)))
            pending.extend([dict(fault)] * count)

    def end(self, document):
        """End a task as the service does when its source ends (702), or when its start fails and its retries too
        ("how": "start_failed"); False when none runs."""
        key = end_request(document)
        with self.lock:
            if self.tasks.pop(key, None) is None:
                return False
        if document.get('how') == 'start_failed':
            self.notify(key[0], key[1], 701, 1)
            for retry_at in START_RETRY_SECONDS:
                self.notify(key[0], key[1], 701, 2, ATTEMPT_SECONDS + retry_at)
                self.notify(key[0], key[1], 701, 1, 2 * ATTEMPT_SECONDS + retry_at)
        else:
            self.notify(key[0], key[1], 702, 0)
        return True

    def expire(self):
        """End the tasks whose MaxDuration has passed, as the service does (702)."""
        now = self.clock()
        with self.lock:
            ended = [key for key, moment in self.ends.items() if moment <= now and key in self.tasks]
            for key in ended:
                del self.tasks[key]
            self.ends = dict((key, moment) for key, moment in self.ends.items() if key in self.tasks)
        for app, task_id in ended:
            self.notify(app, task_id, 702, 0)

    def sdk_secret_key(self, sdk_app_id):
        """The SDK secret key UserSigs of sdk_app_id are checked with (None: unknown)."""
        if not self.sdk_secret_keys:
            return DEMO_SDK_SECRET_KEY
        return self.sdk_secret_keys.get(sdk_app_id)

    def take_fault(self, action):
        with self.lock:
            pending = self.faults.get(action)
            return pending.popleft() if pending else None

    def snapshot(self):
        with self.lock:
            return {
                'site': self.site,
                'tasks': [shown_task(app, task_id, entry) for (app, task_id), entry in sorted(self.tasks.items())],
                'requests': [dict(entry) for entry in self.requests],
                'faults': dict((action, len(pending)) for action, pending in self.faults.items() if pending),
                'callbacks': self.callbacks.snapshot() if self.callbacks is not None else None,
            }

    def log(self, entry):
        with self.lock:
            self.requests.append(entry)

    # ---- the signed API -----------------------------------------------------------------
    def authenticate(self, headers, body):
        """The secret_id of a correctly signed request, else ApiError as the service answers."""
        authorization = headers.get('authorization', '')
        match = AUTH_PATTERN.match(authorization)
        if not match:
            raise ApiError('AuthFailure.InvalidAuthorization', 'The Authorization header is malformed.')
        signed_names = match.group('signed').split(';')
        if 'content-type' not in signed_names or 'host' not in signed_names:
            raise ApiError('AuthFailure.InvalidAuthorization', 'SignedHeaders must include content-type and host.')
        try:
            timestamp = int(headers.get('x-tc-timestamp', ''))
        except ValueError:
            raise ApiError('AuthFailure.InvalidAuthorization', 'X-TC-Timestamp is missing or not an integer.')
        if abs(self.clock() - timestamp) > MAX_CLOCK_SKEW:
            raise ApiError('AuthFailure.SignatureExpire', 'The request timestamp is more than 5 minutes from the '
                           'server time (%d).' % int(self.clock()))
        date = datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).strftime('%Y-%m-%d')
        if match.group('date') != date or match.group('service') != SERVICE:
            raise ApiError('AuthFailure.SignatureFailure', 'The credential scope must be %s/%s/tc3_request.'
                           % (date, SERVICE))
        credential = self.credentials.get(match.group('secret_id'))
        if credential is None:
            raise ApiError('AuthFailure.SecretIdNotFound', 'The SecretId is not found.')
        expected = expected_signature(credential['secret_key'], date, SERVICE, signed_names, headers, body, timestamp)
        if not hmac.compare_digest(expected, match.group('signature')):
            raise ApiError('AuthFailure.SignatureFailure', 'The provided credentials could not be validated.')
        if credential.get('token') is not None and headers.get('x-tc-token') != credential['token']:
            raise ApiError('AuthFailure.TokenFailure', 'The token of the temporary credentials is missing or invalid.')
        return match.group('secret_id')

    def admit(self, action):
        """RequestLimitExceeded past rate_limit requests of one action within any second."""
        if not self.rate_limit:
            return
        now = self.clock()
        with self.lock:
            window = self.windows[action]
            while window and window[0] <= now - 1.0:
                window.popleft()
            if len(window) >= self.rate_limit:
                raise ApiError('RequestLimitExceeded', 'Your current request frequency exceeds the limit of %d '
                               'per second.' % self.rate_limit)
            window.append(now)

    def check_region(self, region):
        """UnsupportedRegion for a region this site does not serve (a hint when the other site does)."""
        if region in self.regions:
            return
        others = [site for site, facts in sorted(SITES.items()) if site != self.site and region in facts['regions']]
        hint = (' (the emulator plays the %s site; %s is a region of the %s site: start it with --site %s)'
                % (self.site, region, others[0], others[0])) if others else ''
        raise ApiError('UnsupportedRegion', 'The region `%s` is not supported by this API%s.' % (region, hint))

    def arrived(self, headers):
        """The log entry of an API request, logged on arrival (the log keeps the order in which requests came) and
        completed by answer()."""
        entry = {'request_id': str(uuid.uuid4()), 'action': headers.get('x-tc-action', ''), 'time': time.time(),
                 'code': None, 'region': headers.get('x-tc-region'), 'token_sent': 'x-tc-token' in headers}
        self.log(entry)
        return entry

    def answer(self, entry, headers, body):
        """The Response of a signed API request (headers named in lower case), as the service gives it."""
        action = entry['action']
        try:
            entry['secret_id'], params = self.check_request(headers, action, body)
            entry['params'] = redacted(params)
            if action == 'StartStreamIngest' and isinstance(params.get('UserSig'), str):
                entry['user_sig'] = user_sig_summary(params['UserSig'])
            response = self.dispatch(action, params)
        except ApiError as error:
            entry['code'] = error.code
            response = {'Error': {'Code': error.code, 'Message': error.message}}
        response['RequestId'] = entry['request_id']
        return response

    def check_request(self, headers, action, body):
        """(secret_id, parameters) of a request the service takes up, else ApiError as the service answers."""
        if action not in ACTIONS:
            raise ApiError('InvalidAction', 'The action `%s` is not found.' % action)
        if headers.get('x-tc-version') != API_VERSION:
            raise ApiError('NoSuchVersion', 'The API version `%s` does not exist.' % headers.get('x-tc-version'))
        if headers.get('content-type', '').split(';')[0].strip().lower() != 'application/json':
            raise ApiError('InvalidParameter', 'Content-Type must be application/json.')
        secret_id = self.authenticate(headers, body)
        region = headers.get('x-tc-region')
        if not region:
            raise ApiError('MissingParameter', 'The parameter `Region` is missing.')
        self.check_region(region)
        self.admit(action)
        try:
            params = decode_json(body)
        except ValueError as exc:
            raise ApiError('InvalidParameter.BodyParamsError', str(exc))
        if not isinstance(params, dict):
            raise ApiError('InvalidParameter.BodyParamsError', 'The request body must be a JSON object.')
        return secret_id, params

    def dispatch(self, action, params):
        """The answer of the method of action's row in ACTION_TABLE, once the parameters pass their checks."""
        check_parameters(action, params, self.site)
        self.expire()
        return getattr(self, ACTION_TABLE[action].answer)(params)

    def describe(self, params):
        with self.lock:
            return {'Status': 'InProgress' if task_key_of(params) in self.tasks else 'NotExist'}

    def update(self, params):
        with self.lock:
            task = self.tasks.get(task_key_of(params))
            if task is None:
                raise ApiError('FailedOperation.TaskNotExist', 'The task does not exist.')
            for name, field in (('stream_url', 'StreamUrl'), ('volume', 'Volume'), ('paused', 'IsPause'),
                                ('tempo', 'Tempo'), ('enable_progress', 'EnableProgress')):
                if field in params:
                    task[name] = float(params[field]) if name == 'tempo' else params[field]
            return {'Status': 'InProgress'}

    def stop(self, params):
        with self.lock:
            if self.tasks.pop(task_key_of(params), None) is None:
                raise ApiError('FailedOperation.TaskFinished', 'The task has finished or does not exist.')
        self.notify(params['SdkAppId'], params['TaskId'], 702, 0)
        return {}

    def start(self, params):
        """A new task for a room and robot user, whose UserSig must be valid; TaskExist while one runs."""
        check_start_values(params)
        app = params['SdkAppId']
        verify_user_sig(params['UserSig'], params['UserId'], app, self.sdk_secret_key(app), self.clock())
        entry = dict(stream_url=params['StreamUrl'], volume=params.get('Volume', 100), paused=False,
                     room_id=params['RoomId'], room_id_type=params.get('RoomIdType', 1), user_id=params['UserId'],
                     seek_second=params.get('SeekSecond', 0), auto_push=params.get('AutoPush', False),
                     repeat_num=params.get('RepeatNum', 1), max_duration=params.get('MaxDuration'),
                     private_map_key_sent='PrivateMapKey' in params)
        if self.site == 'china':
            entry.update(tempo=float(params.get('Tempo', DEFAULT_TEMPO)),
                         enable_progress=params.get('EnableProgress', False), idle_timeout=params.get('IdleTimeout'))
        name = relay_name(app, entry)
        with self.lock:
            if any(relay_name(other_app, other) == name for (other_app, dummy), other in self.tasks.items()):
                raise ApiError('FailedOperation.TaskExist', 'A relay task already runs for the UserId `%s` in the '
                               'room `%s` (RoomIdType %d): stop it before starting another.'
                               % (entry['user_id'], entry['room_id'], entry['room_id_type']))
            task_id = new_task_id()
            while (app, task_id) in self.tasks:  # 480 random bits: never, in practice
                task_id = new_task_id()
            self.tasks[(app, task_id)] = entry
            if entry['repeat_num'] == -1 and entry['max_duration']:
                self.ends[(app, task_id)] = self.clock() + 60 * entry['max_duration']
        self.notify(app, task_id, 701, 0)
        return {'TaskId': task_id}


def task_key_of(params):
    """(sdk_app_id, task_id) of the task an API request names."""
    return params['SdkAppId'], params.get('TaskId')


def check_parameters(action, params, site=DEFAULT_SITE):
    """Nothing when params are what action takes on site, typed and ranged, else ApiError as the service answers
    (StartStreamIngest's own ranges are checked by Emulator.start)."""
    row = ACTION_TABLE[action]
    types = parameter_types(action, site)
    for name in params:
        if name in row.deprecated:
            raise ApiError('InvalidParameter', 'The parameter `%s` is deprecated and no longer accepted: %s.'
                           % (name, row.deprecated[name]))
        if name not in types:
            raise ApiError('UnknownParameter', 'The parameter `%s` is not recognized%s.' % (
                name, ' (on the China site only)' if name in row.china_parameters else ''))
    for name in row.required:
        if name not in params:
            raise ApiError('MissingParameter.%s' % name if name in MISSING_PARAMETER_CODES else 'MissingParameter',
                           'The parameter `%s` is missing.' % name)
    for name, value in params.items():
        wanted = types[name]
        if not has_type(value, wanted):
            raise ApiError('InvalidParameterValue', 'The value of `%s` has the wrong type: %s expected.'
                           % (name, type_name(wanted)))
    if params['SdkAppId'] <= 0:
        raise ApiError('InvalidParameter.SdkAppId', 'SdkAppId is invalid.')
    if 'TaskId' in params and not params['TaskId'].strip():
        raise ApiError('InvalidParameter.TaskId', 'TaskId parameter error.')
    if 'StreamUrl' in params and not is_stream_url(params['StreamUrl']):
        raise ApiError('InvalidParameter.StreamUrl', 'Invalid StreamUrl format.')
    max_volume = SITES[site]['max_volume']
    if 'Volume' in params and not 0 <= params['Volume'] <= max_volume:
        raise ApiError('InvalidParameterValue', 'Volume must be within [0, %d].' % max_volume)
    if 'Tempo' in params and tempo_problem(params['Tempo']):
        raise ApiError('InvalidParameterValue', 'Tempo %s.' % tempo_problem(params['Tempo']))
    low, high = IDLE_TIMEOUT_RANGE
    if 'IdleTimeout' in params and not low <= params['IdleTimeout'] <= high:
        raise ApiError('InvalidParameterValue', 'IdleTimeout must be within [%d, %d] seconds.' % (low, high))


def check_start_values(params):
    """The ranges of StartStreamIngest's own parameters (both sites), else ApiError naming the parameter."""
    room_id_type, room_id = params.get('RoomIdType', 1), params['RoomId']
    if room_id_type not in (0, 1):
        raise ApiError('InvalidParameterValue', 'RoomIdType must be 0 (a string room id) or 1 (an integer room id).')
    if room_id_type == 1 and not (re.fullmatch(r'[1-9][0-9]{0,9}', room_id) and int(room_id) <= MAX_INTEGER_ROOM_ID):
        raise ApiError('InvalidParameterValue.RoomId', 'With RoomIdType 1, RoomId must be an integer from 1 to %d '
                       'written in decimal.' % MAX_INTEGER_ROOM_ID)
    if room_id_type == 0 and not 1 <= len(room_id) <= MAX_STRING_ROOM_ID_LENGTH:
        raise ApiError('InvalidParameterValue.RoomId', 'With RoomIdType 0, RoomId must be 1 to %d characters.'
                       % MAX_STRING_ROOM_ID_LENGTH)
    if not params['UserId'].strip():
        raise ApiError('InvalidParameter.UserId', 'UserId must not be empty.')
    if not params['UserSig']:
        raise ApiError('InvalidParameter.UserSig', 'UserSig must not be empty.')
    if params.get('SeekSecond', 0) < 0:
        raise ApiError('InvalidParameterValue', 'SeekSecond must be 0 or more.')
    repeat_num = params.get('RepeatNum', 1)
    if not -1 <= repeat_num <= 1000 or repeat_num == 0:
        raise ApiError('InvalidParameterValue', 'RepeatNum must be within [-1, 1000] and not 0 (-1 loops).')
    if 'MaxDuration' in params:
        if not 1 <= params['MaxDuration'] <= 10080:
            raise ApiError('InvalidParameterValue', 'MaxDuration must be within [1, 10080] minutes.')
        if repeat_num != -1:
            raise ApiError('InvalidParameterValue', 'MaxDuration is only valid with RepeatNum -1.')


def is_stream_url(text):
    try:
        parts = urlsplit(text)
        return parts.scheme in ('http', 'https', 'rtmp', 'rtmps') and bool(parts.hostname)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return False
