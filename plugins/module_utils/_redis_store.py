# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The last-applied record and the rate limit in Redis, shared by every controller that names one store.

The store offers what _record._RecordFile offers (check, get, entries, task_lock, commit), so
LastAppliedRecord keeps its rules over either, and reserve() for the rate limit. Keys, all under
KEY_PREFIX (``tencentcloud_trtc:``):

- ``tencentcloud_trtc:record:<sha256 of the record key>``: one entry, JSON ``{"key": ..., "entry": ...}``,
  no expiry; deleted when the task is stopped or found gone.
- ``tencentcloud_trtc:lock:<sha256 of the record key>``: the per-task lock, ``<host>:<pid>:<random>`` of
  its holder, set with NX and an expiry of LOCK_TTL_MS, renewed every RENEW_SECONDS while held and
  removed by a compare-and-delete script: a controller that dies holding it blocks others for at most
  LOCK_TTL_MS, and one alive but hung (it still renews) for LOCK_WAIT_SECONDS, after which they fail naming
  it. Every write of an entry checks, in the same script, that its lock is still the writer's.
- ``tencentcloud_trtc:store``: the store's identity, ``{"id": ..., "since": ...}``, written once by the first
  controller that uses the store. Each controller notes the identity it saw (STORE_NOTES, in its home
  directory): a store whose identity changed or vanished since has lost its data (a restart without
  persistence, a flush, an eviction), and is refused until the note is removed, since the relays it recorded
  may still run with TaskIds nobody knows.
- ``tencentcloud_trtc:rate:<action>-<sha256 of action and SecretId>``: a hash of the requests of one
  action and credential that still count or tell the round trip, by ticket, the margin throttled replies
  widened (field ``widened``) and the least round trip remembered (field ``least``), counted by one script
  (RESERVE_SCRIPT) exactly as the file limiter does; it expires when the last of them would stop counting,
  the least is forgotten and the widening has narrowed back.

Only settings, TaskIds and start options are stored: never a SecretKey, SDK secret key, UserSig, token
or the store's password. redis-py is imported only when a store is named (load_redis).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import socket
import threading
import time
import traceback

from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from ansible_collections.tencentcloud.trtc.plugins.module_utils._checks import ConfigurationError
from ansible_collections.tencentcloud.trtc.plugins.module_utils._files import (
    OnePerKey, make_private_dirs, read_regular_file, replace_file, unsafe_link_problem,
)
from ansible_collections.tencentcloud.trtc.plugins.module_utils import _ratelimit
from ansible_collections.tencentcloud.trtc.plugins.module_utils._record import (
    LOCK_WAIT_SECONDS, START_NOT_SENT, START_HEADROOM_BYTES, RecordError, key_label,
)

KEY_PREFIX = 'tencentcloud_trtc:'
RECORD_PREFIX = KEY_PREFIX + 'record:'
LOCK_PREFIX = KEY_PREFIX + 'lock:'
RATE_PREFIX = KEY_PREFIX + 'rate:'
IDENTITY_KEY = KEY_PREFIX + 'store'
STORE_NOTES = '~/.ansible/tencentcloud_trtc/stores.json'
SCHEMES = ('redis', 'rediss', 'unix')
# A lock lives this long unless its holder renews it; the holder renews it every RENEW_SECONDS.
LOCK_TTL_MS = 30000
RENEW_SECONDS = 10.0
CONNECT_TIMEOUT_SECONDS = 5.0
SOCKET_TIMEOUT_SECONDS = 10.0
FORMAT_VERSION = 1

# Delete the lock only when it is still ours.
RELEASE_SCRIPT = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

# Extend the lock only when it is still ours.
RENEW_SCRIPT = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""

# Write (or, given '', delete) an entry only while its lock is still ours: 1 written, 0 lock lost.
WRITE_SCRIPT = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[2]) else redis.call('SET', KEYS[2], ARGV[2]) end
return 1
"""

# The file limiter's rule (_ratelimit: RateState.take_turn and prune) in one atomic step, over a hash of
# ticket -> "sent,deadline,answered" ('' while not answered), "widened" -> "extra,since" and "least" ->
# "trip,when". ARGV: rate, longest request in seconds, ticket, now (seconds; '' for the server's clock, one
# clock for every controller), then the rule's constants (rule_constants). Returns {slot, now} as strings:
# at slot <= now, the ticket's request is counted and may go; else ask again at slot. Requests that neither
# count nor tell the round trip, or come from a clock stepped back, are removed; a key of another type
# (damaged, or written by something else) is replaced.
RATE_RULE = """
local window, clock_margin, sample = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local least_samples, least_memory = tonumber(ARGV[8]), tonumber(ARGV[9])
local most_least, narrow = tonumber(ARGV[10]), tonumber(ARGV[11])
local function finite(x) return x ~= nil and x == x and x ~= math.huge and x ~= -math.huge end
local now = tonumber(ARGV[4])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) + tonumber(t[2]) / 1000000
end
if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then redis.call('DEL', KEYS[1]) end
local function pair(field)
  local first, second = string.match(redis.call('HGET', KEYS[1], field) or '', '^([^,]+),([^,]+)$')
  first, second = tonumber(first), tonumber(second)
  if finite(first) and finite(second) and first >= 0 and second >= 0 then return {first, second} end
  return nil
end
local function margin_at(widened)
  if not widened then return clock_margin end
  return clock_margin + math.max(0, widened[1] - narrow * math.max(0, now - widened[2]))
end
local function fresh(remembered) return remembered ~= nil and remembered[2] >= now - least_memory end
"""

RESERVE_SCRIPT = RATE_RULE + """
local rate, longest, ticket = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local widened, remembered = pair('widened'), pair('least')
local margin = margin_at(widened)
local requests, trips = {}, {}
local stored = redis.call('HGETALL', KEYS[1])
for i = 1, #stored, 2 do
  if stored[i] ~= 'widened' and stored[i] ~= 'least' then
    local sent, deadline, answered = string.match(stored[i + 1], '^([^,]+),([^,]+),([^,]*)$')
    sent, deadline, answered = tonumber(sent), tonumber(deadline), tonumber(answered)
    if finite(sent) and finite(deadline) and (answered == nil or finite(answered)) then
      table.insert(requests, {sent, deadline, answered, stored[i]})
      if answered and now - sample <= sent and sent <= answered and answered <= now then
        table.insert(trips, answered - sent)
      end
    else
      redis.call('HDEL', KEYS[1], stored[i])
    end
  end
end
local shortest = nil
for _, trip in ipairs(trips) do
  if shortest == nil or trip < shortest then shortest = trip end
end
if shortest ~= nil and (not fresh(remembered) or shortest <= remembered[1]) then
  remembered = {shortest, now}
  redis.call('HSET', KEYS[1], 'least', string.format('%.17g,%.17g', shortest, now))
end
local least = 0
if #trips >= least_samples then
  least = shortest
  if fresh(remembered) then least = math.min(least, remembered[1]) end
  least = math.min(least, most_least)
end
local ends = {}
for _, request in ipairs(requests) do
  local sent, deadline, answered = request[1], request[2], request[3]
  local ends_at = now
  if sent <= now then
    local answer = math.min(answered or now, now)
    if not answered then answer = math.min(now, deadline) end
    ends_at = answer + window + margin - least
  end
  if ends_at > now then
    table.insert(ends, ends_at)
  elseif not (now - sample <= sent and sent <= now) then
    redis.call('HDEL', KEYS[1], request[4])
  end
end
table.sort(ends)
local slot = now
if #ends >= rate then slot = ends[#ends - rate + 1] end
if slot <= now then
  redis.call('HSET', KEYS[1], ticket, string.format('%.17g,%.17g,', now, now + longest))
end
if margin <= clock_margin then redis.call('HDEL', KEYS[1], 'widened') end
if not fresh(remembered) then redis.call('HDEL', KEYS[1], 'least') end
local lasts = math.max(longest + window + margin, sample, least_memory, (margin - clock_margin) / narrow)
redis.call('PEXPIRE', KEYS[1], math.ceil(lasts * 1000) + 1000)
return {string.format('%.17g', slot), string.format('%.17g', now)}
"""

# The request of a ticket was answered (_ratelimit.RateState.answered): ARGV ticket, now ('' for the server's
# clock), the seconds it left after it was let go.
ANSWERED_SCRIPT = """
local stored = redis.call('HGET', KEYS[1], ARGV[1])
if not stored then return 0 end
local now = tonumber(ARGV[2])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) + tonumber(t[2]) / 1000000
end
local sent, deadline, answered = string.match(stored, '^([^,]+),([^,]+),([^,]*)$')
sent = tonumber(sent)
if not sent or answered ~= '' then return 0 end
sent = math.min(sent + math.max(tonumber(ARGV[3]) or 0, 0), now)
redis.call('HSET', KEYS[1], ARGV[1], string.format('%.17g', sent) .. ',' .. deadline .. ',' .. string.format('%.17g', now))
return 1
"""

# A reply was throttled (_ratelimit.widen, once per window): ARGV[1] widen seconds, ARGV[2] most widened, ARGV[4]
# now ('' for the server's clock), then the rule's constants. The key lasts until the widening has narrowed back.
THROTTLED_SCRIPT = RATE_RULE + """
local widened = pair('widened')
if widened and now - widened[2] < window then return 0 end
local extra = math.min(tonumber(ARGV[2]), margin_at(widened) - clock_margin + tonumber(ARGV[1]))
redis.call('HSET', KEYS[1], 'widened', string.format('%.17g,%.17g', extra, now))
local lasts = math.ceil(extra / narrow * 1000) + 1000
if redis.call('PTTL', KEYS[1]) < lasts then redis.call('PEXPIRE', KEYS[1], lasts) end
return 1
"""

# What a store does before the request it serves: when it fails there, that request was not sent.
BEFORE_ANY_REQUEST = ('connecting', 'a test write', 'reserving a send time', 'reading its free memory')

_REDIS = {}


def load_redis():
    """The redis module, imported now; None (and the import's traceback in redis_import_error) without it."""
    if 'module' not in _REDIS:
        try:
            import redis  # pylint: disable=import-outside-toplevel
        except ImportError:
            _REDIS.update(module=None, error=traceback.format_exc())
        else:
            _REDIS.update(module=redis, error=None)
    return _REDIS['module']


def redis_import_error():
    """The traceback of a failed import of redis, or None when it imports."""
    load_redis()
    return _REDIS['error']


def split_url(url):
    """(scheme, user part or None, the rest, whether an @ lies beyond the host) of a store URL, or None.

    The user part is what a URL parser finds before the host; when an @ lies beyond that (a password whose
    / ? # cut the URL short, or an @ left unencoded in a query), it is all before the last @, so that no
    piece of a password is ever taken for a host, a path or a query.
    """
    scheme, separator, rest = url.partition('://')
    if not separator:
        return None
    netloc = re.split('[/?#]', rest, maxsplit=1)[0]
    if '@' in rest[len(netloc):] and not (scheme.lower() == 'unix' and not netloc):
        userinfo, dummy, after = rest.rpartition('@')
        return scheme, userinfo, after, True
    if '@' in netloc:
        userinfo = netloc.rpartition('@')[0]
        return scheme, userinfo, rest[len(userinfo) + 1:], False
    return scheme, None, rest, False


def masked_url(url):
    """The store's URL as it may be shown: no password, in the user part or the query; and never the URL as
    given, since Ansible hides every copy of a no_log value (a URL with no password would show as ********)."""
    parts = split_url(url)
    if parts is None:
        return '(a value with no "scheme://")'
    scheme, userinfo, rest, dummy = parts
    masked = userinfo is not None
    if masked:
        user, colon, dummy = userinfo.partition(':')
        # A user part with no colon may be a password written without one: it is masked too.
        rest = '%s@%s' % ('%s:***' % user if colon else '***', rest)
    location, question, query = rest.partition('?')
    if question:
        pairs = parse_qsl(query, keep_blank_values=True)
        masked = masked or any('pass' in name.lower() for name, value in pairs)
        query = urlencode([(name, '***' if 'pass' in name.lower() else value) for name, value in pairs], safe='*/')
    shown = location + question + query
    if masked:
        return '%s://%s' % (scheme, shown)
    return '%s (%s://, no password)' % (shown, scheme)


PERCENT_ENCODING_HINT = ('write / ? # @ : % and spaces in a password, or @ in a query value, percent-encoded '
                         '(%2F %3F %23 %40 %3A %25 %20)')
FILE_OPTIONS = ('ssl_ca_certs', 'ssl_certfile', 'ssl_keyfile')


def validate_store_url(url):
    """ConfigurationError, before any request, for a record_store that is no Redis URL.

    No message quotes a parser's words: they may hold a piece of the password."""
    shown = masked_url(url)
    if not url.strip():
        raise ConfigurationError('record_store: is empty; leave it out (and TENCENTCLOUD_TRTC_RECORD_STORE unset) '
                                 'for the local files, or name a Redis store such as '
                                 'redis://:PASSWORD@redis.example.com:6379/0')
    if url.partition('://')[0].lower() not in SCHEMES:
        raise ConfigurationError('record_store: must be a redis://, rediss:// or unix:// URL, such as '
                                 'redis://:PASSWORD@redis.example.com:6379/0, got %s' % shown)
    if split_url(url)[3]:
        raise ConfigurationError('record_store: %s is not a valid URL: an @ lies beyond its host; %s'
                                 % (shown, PERCENT_ENCODING_HINT))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ConfigurationError('record_store: %s is not a valid URL: its host or port cannot be read (a port is '
                                 'a number from 1 to 65535); %s' % (shown, PERCENT_ENCODING_HINT))
    if parts.scheme != 'unix' and not parts.hostname:
        raise ConfigurationError('record_store: %s names no host' % shown)
    if parts.scheme == 'unix' and not parts.path:
        raise ConfigurationError('record_store: %s names no socket path' % shown)
    database = parts.path.strip('/') if parts.scheme != 'unix' else ''
    query = dict(parse_qsl(parts.query))
    if not (database or '0').isdigit() or not query.get('db', '0').isdigit():
        raise ConfigurationError('record_store: %s: the database must be a number, such as /0' % shown)
    for name in FILE_OPTIONS:
        if name in query and not os.access(query[name], os.R_OK):
            raise ConfigurationError('record_store: %s names %s=%s, a file that cannot be read'
                                     % (shown, name, query[name]))
    return port


def without_password(text, url):
    """text with the URL's password, as written and decoded, replaced by ***."""
    password = urlsplit(url).password
    for form in filter(None, (password, password and unquote(password))):
        text = text.replace(form, '***')
    return text


def rule_constants():
    """The constants of the rate limit's rule, as the store's scripts take them (ARGV[5] on): one source, _ratelimit."""
    return [repr(float(value)) for value in (
        _ratelimit.WINDOW_SECONDS, _ratelimit.CLOCK_MARGIN_SECONDS, _ratelimit.SAMPLE_SECONDS,
        _ratelimit.LEAST_SAMPLES, _ratelimit.LEAST_MEMORY_SECONDS, _ratelimit.MOST_LEAST_SECONDS,
        _ratelimit.NARROW_PER_SECOND)]


def hashed(key):
    return hashlib.sha256(key.encode('utf-8')).hexdigest()


def new_token():
    """Who holds a lock: host and process for whoever looks at the store, and randomness to be unique."""
    return '%s:%d:%s' % (socket.gethostname(), os.getpid(), os.urandom(12).hex())


def token_holder(token):
    """Who holds a lock, in words, from its token (new_token): 'process PID on host HOST'."""
    text = token.decode('utf-8', 'replace') if isinstance(token, bytes) else str(token)
    host, pid = (text.rsplit(':', 2) + ['', ''])[:2]
    return 'process %s on host %s' % (pid, host) if pid.isdigit() else 'another run (%s)' % text


class RedisStore(OnePerKey):
    """One Redis store as seen by one process: its connection pool, scripts and the locks held here."""

    @classmethod
    def of(cls, url, validate_certs=True):  # pylint: disable=arguments-differ
        return super().of(url, bool(validate_certs))

    def __init__(self, url, validate_certs=True):
        self.name = masked_url(url)
        redis = load_redis()
        options = dict(socket_connect_timeout=CONNECT_TIMEOUT_SECONDS, socket_timeout=SOCKET_TIMEOUT_SECONDS)
        if urlsplit(url).scheme == 'rediss' and not validate_certs:
            options.update(ssl_cert_reqs='none', ssl_check_hostname=False)
        try:
            self.client = redis.Redis.from_url(url, **options)
        except (ValueError, TypeError) as exc:
            raise RecordError('record_store: %s cannot be used (%s)' % (self.name, without_password(str(exc), url)))
        self.release_script = self.client.register_script(RELEASE_SCRIPT)
        self.renew_script = self.client.register_script(RENEW_SCRIPT)
        self.write_script = self.client.register_script(WRITE_SCRIPT)
        self.reserve_script = self.client.register_script(RESERVE_SCRIPT)
        self.answered_script = self.client.register_script(ANSWERED_SCRIPT)
        self.throttled_script = self.client.register_script(THROTTLED_SCRIPT)
        self.mutex = threading.Lock()
        self.thread_locks = {}
        self.held = {}

    def _call(self, doing, function, *args, **kwargs):
        """function(*args, **kwargs); any Redis or socket failure becomes RecordError naming the store."""
        redis = load_redis()
        try:
            return function(*args, **kwargs)
        except (redis.exceptions.RedisError, OSError) as exc:
            raise RecordError('the record store %s cannot be used: %s failed (%s: %s)%s%s'
                              % (self.name, doing, type(exc).__name__, str(exc).rstrip('.'), self._hint(exc),
                                 '; nothing was sent' if doing in BEFORE_ANY_REQUEST else ''))

    def _hint(self, exc):
        """What the user may do about a failure, when its words suggest it."""
        text = str(exc)
        if 'CERTIFICATE_VERIFY_FAILED' in text:
            return ('; name the CA that signed the store\'s certificate in the URL (?ssl_ca_certs=/path/ca.pem), '
                    'or set validate_certs to false')
        if 'reset by peer' in text and 'redis://' in self.name:
            return '; if the store speaks TLS, its URL starts rediss://'
        if 'Timeout connecting' in text and 'rediss://' in self.name:
            return '; if the store does not speak TLS, its URL starts redis://'
        if 'HELLO must be called' in text or 'NOAUTH' in text:
            return '; the store requires a password: redis://:PASSWORD@host or redis://USER:PASSWORD@host'
        if 'NOPERM' in text or 'NoPermission' in type(exc).__name__ or "can't run this command" in text:
            return ('; the store\'s ACL user needs the keys ~tencentcloud_trtc:* and the commands +@read +@write '
                    '+@scripting +ping +time +info')
        return ''

    def check(self):
        """Fails now, before any request, when the store cannot be reached, authenticated or written, or has lost
        its data since this controller last used it."""
        self._call('connecting', self.client.ping)
        # A read-only replica or an account without write rights answers PING but refuses what we need.
        self._call('a test write', self.client.set, KEY_PREFIX + 'check', '1', px=60000)
        self._check_identity()

    def _identity(self):
        """The store's identity, written now by this controller if the store has none."""
        mine = json.dumps(dict(id=os.urandom(16).hex(), since=time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())))
        self._call('a test write', self.client.set, IDENTITY_KEY, mine, nx=True)
        found = self._call('connecting', self.client.get, IDENTITY_KEY)
        try:
            return json.loads(found.decode('utf-8'))
        except (AttributeError, ValueError, UnicodeDecodeError):
            raise RecordError('the record store %s holds at %s something that is no identity of this collection; '
                              'it is left untouched; nothing was sent' % (self.name, IDENTITY_KEY))

    def _check_identity(self):
        identity = self._identity()
        notes = StoreNotes(os.path.expanduser(STORE_NOTES))
        seen = notes.get(self.name)
        if seen is None:
            notes.put(self.name, identity)
        elif seen.get('id') != identity.get('id'):
            raise RecordError(
                'the record store %s has lost its data since this controller last used it: its identity (written %s) '
                'is gone (a restart without persistence, a flush, or an eviction), so every TaskId it held is lost '
                'and relays it recorded may still run (and be billed) with TaskIds nobody knows; nothing was sent. '
                'Check the TRTC console, run the store with persistence (appendonly yes) and maxmemory-policy '
                'noeviction, then remove %s to go on with the store as it is now' % (
                    self.name, seen.get('since', 'at an unknown time'), notes.path))

    def require_room_for_start(self):
        """RecordError, before a StartStreamIngest, when the store is too near its maxmemory to take what follows it."""
        memory = self._call('reading its free memory', self.client.info, 'memory')
        limit, used = int(memory.get('maxmemory') or 0), int(memory.get('used_memory') or 0)
        if limit and used + START_HEADROOM_BYTES > limit:
            raise RecordError(
                'the record store %s has %d KiB free below its maxmemory (%d KiB used of %d KiB, maxmemory-policy %s); '
                'a Start needs %d KiB there, so that the TaskId of the relay it starts is surely written: the relay is '
                'not started (%s). Raise maxmemory, or free the store of what is not this collection\'s'
                % (self.name, max(limit - used, 0) // 1024, used // 1024, limit // 1024,
                   memory.get('maxmemory_policy', 'unknown'), START_HEADROOM_BYTES // 1024, START_NOT_SENT))

    # The record: the interface of _record._RecordFile.

    def get(self, key):
        """The entry of key, or None."""
        return self._entry_of(key, self._call('reading the record', self.client.get, RECORD_PREFIX + hashed(key)))

    def _entry_of(self, key, value):
        if value is None:
            return None
        try:
            document = json.loads(value.decode('utf-8'))
        except (ValueError, UnicodeDecodeError, RecursionError):
            document = None
        if not isinstance(document, dict) or not isinstance(document.get('entry'), dict) or (
                key is not None and document.get('key') != key):
            raise RecordError('the record store %s holds at %s%s something that is no entry of this '
                              'collection (format version %d); it is left untouched'
                              % (self.name, RECORD_PREFIX, hashed(key or ''), FORMAT_VERSION))
        return document['entry']

    def entries(self):
        """Every entry of the store, {record key: entry}, read without locks (the list of trtc_stream_ingest_info)."""
        found = {}
        names = list(self._call('listing the record', self.client.scan_iter, match=RECORD_PREFIX + '*', count=1000))
        for start in range(0, len(names), 500):
            chunk = names[start:start + 500]
            for value in self._call('reading the record', self.client.mget, chunk):
                if value is not None:
                    try:
                        document = json.loads(value.decode('utf-8'))
                        found[document['key']] = document['entry']
                    except (ValueError, UnicodeDecodeError, KeyError, TypeError):
                        continue
        return found

    def task_lock(self, key):
        """A with-block lock on key, across threads, processes and controllers."""
        return _HeldKey(self, key)

    def commit(self, key, change):
        """Apply change(entry or None) -> entry or None to key's entry, under its lock, fenced by its token."""
        held = self.held.get(key)
        if held is not None and held[0] == threading.get_ident():
            self._write(key, change, held[1])
            return
        with self.task_lock(key) as hold:
            self._write(key, change, hold.holder)

    def _write(self, key, change, holder):
        if holder.lost:
            raise RecordError('the record store %s: the lock of %s expired while this run held it (the store '
                              'was out of reach for %d s); the entry is left for the next run'
                              % (self.name, key, LOCK_TTL_MS // 1000))
        entry = change(self.get(key))
        value = '' if entry is None else json.dumps(
            {'version': FORMAT_VERSION, 'key': key, 'entry': entry}, sort_keys=True)
        written = self._call('writing the record', self.write_script,
                             keys=[LOCK_PREFIX + hashed(key), RECORD_PREFIX + hashed(key)], args=[holder.token, value])
        if not written:
            holder.lost = True
            raise RecordError('the record store %s: the lock of %s is no longer this run\'s (it expired); '
                              'the entry is left for the next run' % (self.name, key))

    def _thread_lock(self, key):
        with self.mutex:
            return self.thread_locks.setdefault(key, threading.Lock())

    def _acquire(self, key, token, deadline):
        """Wait until the lock of key is set to token; a lock left by a dead holder expires by itself, one a live
        holder keeps (a run hung while holding it renews it) is given up at deadline, naming that holder."""
        name = LOCK_PREFIX + hashed(key)
        delay = 0.005
        while not self._call('taking a lock', self.client.set, name, token, nx=True, px=LOCK_TTL_MS):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                holder = self._call('reading a lock', self.client.get, name)
                if holder is not None:
                    raise self.lock_wait_error(key, token_holder(holder))
                continue  # released meanwhile: take it
            time.sleep(min(random.uniform(delay / 2, delay), remaining))
            delay = min(delay * 2, 0.2)

    def lock_wait_error(self, key, holder):
        return RecordError(
            'the record store %s: waited %g s for the lock of %s, still held by %s: another run is working on it (one '
            'that takes long, or one hung or stopped while holding it, which renews the lock so it does not expire); '
            'run again once that run has ended, or end it; nothing was sent for it'
            % (self.name, LOCK_WAIT_SECONDS, key_label(key), holder))

    def _renew(self, key, token):
        return self._call('renewing a lock', self.renew_script, keys=[LOCK_PREFIX + hashed(key)],
                          args=[token, LOCK_TTL_MS])

    def _release(self, key, token):
        self._call('releasing a lock', self.release_script, keys=[LOCK_PREFIX + hashed(key)], args=[token])

    # The rate limit.

    def reserve(self, name, rate, longest, ticket, now=None):
        """(slot, now) of the file limiter's rule, atomically in the store; now=None: the server's clock."""
        slot, now = self._call('reserving a send time', self.reserve_script, keys=[RATE_PREFIX + name],
                               args=[rate, repr(float(longest)), ticket, '' if now is None else repr(float(now))]
                               + rule_constants())
        return float(slot), float(now)

    def throttled(self, name, now=None):
        """A reply was throttled: the margin widens for every controller (at now; None: the server's clock)."""
        self._call('counting a throttled reply', self.throttled_script, keys=[RATE_PREFIX + name],
                   args=[repr(_ratelimit.WIDEN_SECONDS), repr(_ratelimit.MOST_WIDENED_SECONDS), '',
                         '' if now is None else repr(float(now))] + rule_constants())

    def answered(self, name, ticket, now=None, delay=0.0):
        """The request of ticket, which left delay seconds after it was let go, was answered (at now; None: the
        server's clock)."""
        self._call('counting an answer', self.answered_script, keys=[RATE_PREFIX + name],
                   args=[ticket, '' if now is None else repr(float(now)), repr(float(delay))])


class StoreNotes:
    """What this controller saw of each store: {store URL without its password: its identity}, in a private file."""

    def __init__(self, path):
        self.path = path

    def _all(self):
        if unsafe_link_problem(self.path):
            return {}
        try:
            content = read_regular_file(self.path)
            notes = json.loads(content.decode('utf-8')) if content else {}
        except (OSError, ValueError, UnicodeDecodeError):
            return {}
        return notes if isinstance(notes, dict) else {}

    def get(self, store):
        return self._all().get(store)

    def put(self, store, identity):
        """Kept if it can be (a controller that cannot write its notes only loses the detection)."""
        notes = self._all()
        notes[store] = identity
        if unsafe_link_problem(self.path):
            return
        try:
            make_private_dirs(os.path.dirname(self.path))
            replace_file(self.path, json.dumps(notes, indent=1, sort_keys=True).encode('utf-8'))
        except OSError:
            pass


class _Token:
    def __init__(self):
        self.token = new_token()
        self.lost = False


class _HeldKey:
    """Holding one key's lock: one thread of the process at a time, one process of all at a time."""

    def __init__(self, store, key):
        self.store = store
        self.key = key
        self.holder = None
        self.stop = None
        self.renewer = None

    def __enter__(self):
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        thread_lock = self.store._thread_lock(self.key)
        if not thread_lock.acquire(timeout=LOCK_WAIT_SECONDS):
            raise self.store.lock_wait_error(self.key, 'another thread of this process')
        try:
            holder = _Token()
            self.store._acquire(self.key, holder.token, deadline)
        except BaseException:
            thread_lock.release()
            raise
        self.holder = holder
        self.store.held[self.key] = (threading.get_ident(), holder)
        self.stop = threading.Event()
        self.renewer = threading.Thread(target=self._keep, name='trtc-record-lock', daemon=True)
        self.renewer.start()
        return self

    def _keep(self):
        """Renew the lock while it is held; a lock found gone is lost, and writes under it are refused."""
        while not self.stop.wait(RENEW_SECONDS):
            try:
                if not self.store._renew(self.key, self.holder.token):
                    self.holder.lost = True
                    return
            except Exception:  # pylint: disable=broad-exception-caught
                continue  # out of reach for now: try again; writes are fenced by the token anyway

    def __exit__(self, *exc_info):
        self.stop.set()
        self.store.held.pop(self.key, None)
        try:
            self.store._release(self.key, self.holder.token)
        except Exception:  # pylint: disable=broad-exception-caught
            pass  # the lock expires by itself within LOCK_TTL_MS
        finally:
            self.store._thread_lock(self.key).release()
