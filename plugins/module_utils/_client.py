# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""HTTP client for the TRTC API: signs with _signer, retries faults, raises TencentCloudError."""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import socket
import ssl
import threading
import time
import traceback

from ansible_collections.tencentcloud.trtc.plugins.module_utils._signer import signed_headers

try:
    import requests
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
else:
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None

from urllib.parse import urlsplit

SERVICE = 'trtc'
API_VERSION = '2019-07-22'
DEFAULT_ENDPOINT = 'trtc.intl.tencentcloudapi.com'
DEFAULT_PORTS = {'http': 80, 'https': 443}

# Faults that may pass, in two families: those the service surely refused (it did nothing, so even a
# request that is not idempotent can be sent again), and those after which it may have applied the request.
# A code belongs to a family when it is one of these or starts with one of them and a dot.
REFUSED_FAULTS = ('RequestLimitExceeded', 'HTTPError.429', 'ClientError.ConnectionRefused')
# The service's refusals for the account's rate: retried longer than other faults (MAX_THROTTLED_ATTEMPTS against
# MAX_ATTEMPTS), as they say only that the account sent too much, which other machines using it may keep doing a while.
THROTTLED_FAULTS = ('RequestLimitExceeded', 'HTTPError.429')
MAX_ATTEMPTS = 6
MAX_THROTTLED_ATTEMPTS = 10
AMBIGUOUS_FAULTS = ('InternalError', 'HTTPError.5xx', 'ClientError.Timeout', 'ClientError.NetworkError')
# Failures before any request reached a server: nothing can have been applied.
# The API answers every request it reads with its JSON and never redirects: a redirect, or a page without that
# JSON (not a 5xx or 429, which a gateway in front of the API may give), comes from something else at the address.
NOT_SENT_FAULTS = ('ClientError.NameNotResolved', 'ClientError.NotTLS', 'ClientError.CertificateError',
                   'ClientError.InvalidURL', 'ClientError.InvalidHeader', 'ClientError.NotTheApi',
                   'ClientError.Redirect')
RETRY_MODES = (True, 'refused_only')

# OpenSSL's reasons when the other end answers the TLS handshake with something that is not TLS.
NOT_TLS_REASONS = ('WRONG_VERSION_NUMBER', 'RECORD_LAYER_FAILURE', 'UNKNOWN_PROTOCOL', 'PACKET_LENGTH_TOO_LONG',
                   'HTTP_REQUEST')


def in_family(code, families):
    return any(code == family or code.startswith(family + '.') for family in families)


def clock_hint():
    """What to check after AuthFailure.SignatureExpire: this host's clock, as it reads now."""
    return ("check this host's clock: the service accepts a request only when its timestamp is within 5 minutes of "
            "the service's own time, and this host's clock reads %s UTC (set it with NTP)"
            % time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime()))


# What to check, by error code, added to the message where the code alone does not say it.
HINTS = {'AuthFailure.SignatureExpire': clock_hint}


class TencentCloudError(Exception):
    """An API call that failed: the Tencent error code, its message and the RequestId.

    maybe_applied is True when an earlier attempt of the same call ended in a way after which the
    service may have applied the request (a timeout, a dropped connection, HTTP 5xx, InternalError*),
    so the error of the last attempt may be the consequence of an earlier one (a StopStreamIngest
    retried after a lost answer ends in FailedOperation.TaskFinished). ambiguous tells the same of
    this error's own attempt.
    """

    def __init__(self, code, message, request_id=None, action=None, attempts=1, maybe_applied=False):
        super().__init__(message)
        self.code = code
        self.message = message
        self.request_id = request_id
        self.action = action
        self.attempts = attempts
        self.maybe_applied = maybe_applied
        self.hint = HINTS[code]() if code in HINTS else None
        self.elapsed = None

    @property
    def retryable(self):
        return self.surely_refused or self.ambiguous

    @property
    def surely_refused(self):
        """A fault that may pass, and after which the service surely did nothing."""
        return in_family(self.code, REFUSED_FAULTS)

    @property
    def throttled(self):
        """The service refused this attempt for the account's rate (or a gateway in front of it did)."""
        return in_family(self.code, THROTTLED_FAULTS)

    @property
    def never_applied(self):
        """This attempt surely did nothing: refused, or never sent (an earlier attempt may have: maybe_applied)."""
        return self.surely_refused or in_family(self.code, NOT_SENT_FAULTS)

    @property
    def ambiguous(self):
        """A fault that may pass, and after which the service may have applied the request."""
        return in_family(self.code, AMBIGUOUS_FAULTS)

    def to_dict(self):
        return dict(code=self.code, message=self.message, request_id=self.request_id,
                    action=self.action, attempts=self.attempts, maybe_applied=self.maybe_applied)

    def reworded(self, message):
        """This error with another message: its code, RequestId, attempts, time taken and hint kept."""
        error = TencentCloudError(self.code, message)
        error.__dict__.update(self.__dict__, message=message)
        return error

    def __str__(self):
        where = '%s failed' % self.action if self.action else 'request failed'
        tries = ' after %d attempts' % self.attempts if self.attempts > 1 else ''
        if tries and self.elapsed is not None:
            tries += ' in %g s' % round(self.elapsed, 1)
        request_id = ' (RequestId: %s)' % self.request_id if self.request_id else ''
        hint = '; %s' % self.hint if self.hint else ''
        return '%s%s: %s: %s%s%s' % (where, tries, self.code, self.message, request_id, hint)


def parse_endpoint(endpoint):
    """(base URL, Host header) of an endpoint: a bare host means https, a URL is used as given.

    The URL is normalized (scheme and host in lower case, no default port, a trailing slash), so one
    service has one URL. Raises ValueError with a message a user can act on.
    """
    endpoint = (endpoint or '').strip()
    if not endpoint:
        raise ValueError('endpoint must not be empty')
    if '@' in endpoint:  # not shown: what precedes it may be a password
        raise ValueError('endpoint must not contain a user name or password (an "@")')
    if '://' not in endpoint:
        endpoint = 'https://' + endpoint
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        raise ValueError('endpoint has an invalid host or port: %r' % endpoint)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ValueError('endpoint must be a host name or an http(s) URL, got %r' % endpoint)
    if parts.path not in ('', '/') or parts.query or parts.fragment:
        raise ValueError('endpoint must not have a path or query, got %r' % endpoint)
    if port == 0:
        raise ValueError('endpoint has an invalid port: %r' % endpoint)
    host = '[%s]' % parts.hostname if ':' in parts.hostname else parts.hostname
    if port is not None and port != DEFAULT_PORTS[scheme]:
        host = '%s:%d' % (host, port)
    return '%s://%s/' % (scheme, host), host


def nothing():
    """What is told of an answer when no rate limit listens."""


def full_jitter_delay(attempt, base, cap, uniform=None):
    """Seconds to wait before retry number attempt+1: uniform in [0, min(cap, base * 2**attempt)]."""
    return (uniform or random.uniform)(0, min(cap, base * (2 ** attempt)))


def exception_chain(exc):
    """exc and what it wraps, outermost first: requests wraps urllib3, which wraps socket and ssl errors."""
    found = []
    pending = [exc]
    while pending:
        current = pending.pop(0)
        if not isinstance(current, BaseException) or any(current is seen for seen in found):
            continue
        found.append(current)
        pending.extend([current.__cause__, current.__context__, getattr(current, 'reason', None)])
        pending.extend(current.args)
    return found


def first_of(chain, kind):
    return next((exc for exc in chain if isinstance(exc, kind)), None)


def in_words(exc):
    """'Type: message' of an exception, for the innermost cause of a network failure."""
    return '%s: %s' % (type(exc).__name__, exc)


def network_failure(exc, url, host, timeout):
    """(code, message) for an exception of requests, naming its cause in words (never a header's value)."""
    if isinstance(exc, requests.exceptions.InvalidHeader):  # its text shows the header's value: a secret?
        return 'ClientError.InvalidHeader', ('a request header has a line break or leading space: check the '
                                             'credentials and session token')
    chain = exception_chain(exc)
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema,
                        requests.exceptions.MissingSchema, requests.exceptions.URLRequired)):
        return 'ClientError.InvalidURL', 'the endpoint URL %s cannot be used: %s' % (url, in_words(chain[-1]))
    if isinstance(exc, requests.exceptions.ProxyError):  # the innermost cause only: a proxy URL may hold a password
        return 'ClientError.ProxyError', ('cannot reach %s through the proxy set in HTTPS_PROXY, HTTP_PROXY or '
                                          'ALL_PROXY (see NO_PROXY): %s' % (url, in_words(chain[-1])))
    certificate = first_of(chain, ssl.SSLCertVerificationError)
    if certificate is not None:
        return 'ClientError.CertificateError', 'certificate verify failed for %s: %s' % (
            host, certificate.verify_message)
    reason = str(getattr(first_of(chain, ssl.SSLError), 'reason', None) or '')
    if reason in NOT_TLS_REASONS:
        return 'ClientError.NotTLS', ('%s does not speak TLS (SSL: %s): if it serves plain HTTP, write the endpoint '
                                      'as http://%s' % (host, reason.lower().replace('_', ' '), host))
    unresolved = first_of(chain, socket.gaierror)
    if unresolved is not None:
        return 'ClientError.NameNotResolved', 'name not resolved: %s (%s)' % (
            urlsplit(url).hostname, unresolved.strerror)
    if first_of(chain, ConnectionRefusedError) is not None:
        return 'ClientError.ConnectionRefused', 'connection refused by %s: nothing listens there' % host
    if isinstance(exc, requests.exceptions.Timeout) or first_of(chain, TimeoutError) is not None:
        return 'ClientError.Timeout', 'no answer from %s within %s seconds' % (url, timeout)
    return 'ClientError.NetworkError', 'connection to %s failed or was dropped: %s' % (host, in_words(chain[-1]))


class Answer(dict):
    """The Response object of a successful call, and whether an earlier attempt of it may still be applied."""

    def __init__(self, response, earlier_attempt_lost=False):
        super().__init__(response)
        self.earlier_attempt_lost = earlier_attempt_lost


class TrtcClient:
    """Signed calls to one TRTC endpoint and region with one set of credentials.

    clock, sleep and uniform default to time.time, time.sleep and random.uniform, looked up at each
    use so that patching those module attributes reaches every client.
    """

    def __init__(self, credentials, region, endpoint=DEFAULT_ENDPOINT, timeout=10, validate_certs=True,
                 max_attempts=MAX_ATTEMPTS, max_throttled_attempts=MAX_THROTTLED_ATTEMPTS, backoff_base=0.5,
                 backoff_cap=8.0, throttle=None, session=None,
                 clock=None, sleep=None, uniform=None, site='intl'):
        self.site = site
        self.credentials = credentials
        self.region = region
        self.url, self.host = parse_endpoint(endpoint)
        self.timeout = timeout
        self.validate_certs = validate_certs
        self.max_attempts = max_attempts
        self.max_throttled_attempts = max_throttled_attempts
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.throttle = throttle
        self.session = session
        self.local = threading.local()
        self.clock = clock
        self.sleep = sleep
        self.uniform = uniform

    def fingerprint(self, text):
        """An HMAC of text keyed with this client's secret key: what the record keeps of a URL with credentials."""
        return hmac.new(self.credentials[1].encode('utf-8'), b'tencentcloud.trtc stream_url\n' + text.encode('utf-8'),
                        hashlib.sha256).hexdigest()

    def call(self, action, params, retry=True, before_send=None):
        """The Answer (the Response object) of a successful call; TencentCloudError once retries are spent.

        retry=True retries every fault that may pass (throttling, HTTP 429 and 5xx, InternalError*,
        timeouts, dropped and refused connections); retry='refused_only' retries only faults after which
        the service surely did nothing (RequestLimitExceeded*, HTTP 429, a refused connection) and raises
        at once on the others: for actions that must not be applied twice.
        The error's maybe_applied, and the answer's earlier_attempt_lost, tell whether an earlier attempt
        whose answer was lost or broken may have been applied (or may still be, even after a retry
        succeeded). before_send, when
        given, is called when an attempt may go (the rate limit let it), right before it is sent: what it
        records is only ever recorded of a request about to be sent.
        """
        if retry not in RETRY_MODES:
            raise ValueError('retry must be one of %r, got %r' % (RETRY_MODES, retry))
        maybe_applied = False
        attempt = 0
        started = time.monotonic()
        while True:
            attempt += 1
            try:
                return Answer(self._send_once(action, params, before_send), earlier_attempt_lost=maybe_applied)
            except TencentCloudError as error:
                error.attempts = attempt
                error.maybe_applied = maybe_applied
                if attempt >= self._attempts_for(error) or not self._retries(error, retry):
                    self._given_up(error, started, retry)
                    raise
                maybe_applied = maybe_applied or error.ambiguous
            (self.sleep or time.sleep)(
                full_jitter_delay(attempt - 1, self.backoff_base, self.backoff_cap, self.uniform))

    def _attempts_for(self, error):
        """How many attempts a call may make when this error ended the last one."""
        return self.max_throttled_attempts if error.throttled else self.max_attempts

    def _given_up(self, error, started, retry):
        """The last error of a call: how long the call took, and after retries ending in a timeout, what bounds that."""
        error.elapsed = time.monotonic() - started
        if error.attempts > 1 and error.code == 'ClientError.Timeout':
            retried = ('a timeout is retried up to %d times with backoff' % (self.max_attempts - 1) if retry is True
                       else 'a %s whose answer is lost is not sent again (only refusals are)' % self._short(error.action))
            error.hint = ('each attempt waits for its answer up to timeout=%g s, and %s: at most %g s in all; lower '
                          'timeout to give up sooner' % (self.timeout, retried, self.longest_call_seconds()))

    @staticmethod
    def _short(action):
        """StartStreamIngest -> Start: the request as the messages name it."""
        return action[:-len('StreamIngest')] if action and action.endswith('StreamIngest') else action or 'request'

    def longest_call_seconds(self):
        """How long one call may take when its attempts time out, every retry and its backoff included (waits for the
        rate limit, and attempts the service throttled, aside)."""
        backoff = sum(min(self.backoff_cap, self.backoff_base * 2 ** attempt) for attempt in range(self.max_attempts - 1))
        return round(self.max_attempts * self.timeout + backoff, 1)

    @staticmethod
    def _retries(error, retry):
        if retry == 'refused_only':
            return error.surely_refused
        return retry and error.retryable

    def _send_once(self, action, params, before_send):
        payload = json.dumps(params).encode('utf-8')
        answered = (self.throttle(action) if self.throttle is not None else None) or nothing
        try:
            reply = self._post_within_timeout(action, payload, answered, before_send)
        except requests.exceptions.RequestException as exc:
            code, message = network_failure(exc, self.url, self.host, self.timeout)
            raise TencentCloudError(code, message, action=action)
        try:
            return self._response_of(action, reply)
        except TencentCloudError as error:
            told = getattr(self.throttle, 'throttled', None)
            if told is not None and error.throttled:
                told(action)  # evidence that requests bunched up at the service: the rate limit widens its margin
            raise

    def _post_within_timeout(self, action, payload, answered, before_send=None):
        """The reply of one POST that must end within self.timeout, reading included.

        requests' timeout bounds each socket operation, so a server trickling bytes could hold it for
        ever: the exchange runs in a daemon thread, left behind (with its session) if time runs out.
        answered, from the rate limit, is called exactly once: when the exchange really ends (even after
        it was left behind), or now if it never began (before_send or the thread failed).
        """
        outcome = {}
        ended = threading.Event()

        def exchange(session):
            try:
                # Signed again on every attempt: a retry must carry a fresh timestamp.
                headers = signed_headers(self.credentials, SERVICE, self.host, action, API_VERSION, self.region,
                                         payload, (self.clock or time.time)())
                # The rate limit measures round trips from here: the wait for the record or a thread is not one.
                getattr(answered, 'sending', nothing)()
                outcome['reply'] = session.post(self.url, data=payload, headers=headers, timeout=self.timeout,
                                                verify=self.validate_certs, allow_redirects=False)
            except BaseException as exc:  # pylint: disable=broad-exception-caught
                outcome['error'] = exc
            finally:
                ended.set()  # before answered, which may wait for the rate limit's file or store
                answered()

        try:
            if before_send is not None:
                before_send()
            worker = threading.Thread(target=exchange, args=(self._session(),), name='trtc-request', daemon=True)
            worker.start()
        except BaseException:
            answered()
            raise
        if not ended.wait(self.timeout):
            self.local.session = None
            raise requests.exceptions.Timeout('the whole request took more than %s seconds' % self.timeout)
        if 'error' in outcome:
            raise outcome['error']
        return outcome['reply']

    def _session(self):
        """The given session, else one per thread (a requests.Session is not meant to be shared)."""
        if self.session is not None:
            return self.session
        if getattr(self.local, 'session', None) is None:
            self.local.session = requests.Session()
        return self.local.session

    @staticmethod
    def _response_of(action, reply):
        """The Response object of an HTTP reply, or TencentCloudError; the Content-Type is not trusted."""
        if 300 <= reply.status_code < 400:
            target = reply.headers.get('Location') or '(no Location header)'
            raise TencentCloudError('ClientError.Redirect', 'HTTP %d redirect to %s, not followed: set endpoint to '
                                    'the service itself (the TRTC API never redirects: nothing reached the service)'
                                    % (reply.status_code, target), action=action)
        try:
            document = json.loads(reply.content.decode('utf-8'))
        except ValueError:
            document = None
        body = document.get('Response') if isinstance(document, dict) else None
        if isinstance(body, dict) and isinstance(body.get('Error'), dict):
            error = body['Error']
            raise TencentCloudError(str(error.get('Code') or 'UnknownError'), str(error.get('Message') or ''),
                                    body.get('RequestId'), action)
        if reply.status_code == 429:
            raise TencentCloudError('HTTPError.429', 'HTTP 429: too many requests', action=action)
        if reply.status_code >= 500:
            raise TencentCloudError('HTTPError.5xx', 'HTTP %d from the service' % reply.status_code, action=action)
        if not isinstance(body, dict):
            # The API answers every request it reads with its JSON: a page without it (HTTP 200 or 4xx) comes from
            # something else at that address (a wrong endpoint, a web server, a proxy), which did not pass it on.
            raise TencentCloudError('ClientError.NotTheApi', 'HTTP %d with no API response in the body: the endpoint '
                                    'does not look like the TRTC API (check endpoint); nothing reached the service'
                                    % reply.status_code, action=action)
        if reply.status_code != 200:
            raise TencentCloudError('ClientError.InvalidResponse', 'HTTP %d with an API response that holds no error'
                                    % reply.status_code, action=action)
        return body
