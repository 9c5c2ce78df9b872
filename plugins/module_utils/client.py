# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""HTTP client for the TRTC API: signs with tc3_signer, retries faults, raises TencentCloudError."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import random
import threading
import time
import traceback

from ansible_collections.tencentcloud.trtc.plugins.module_utils.tc3_signer import signed_headers

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
RETRYABLE_CODE_PREFIXES = ('RequestLimitExceeded', 'InternalError')
CLIENT_FAULT_CODES = ('ClientError.Timeout', 'ClientError.NetworkError', 'HTTPError.5xx')


class TencentCloudError(Exception):
    """An API call that failed: the Tencent error code, its message and the RequestId."""

    def __init__(self, code, message, request_id=None, action=None, attempts=1):
        super(TencentCloudError, self).__init__(message)
        self.code = code
        self.message = message
        self.request_id = request_id
        self.action = action
        self.attempts = attempts

    @property
    def retryable(self):
        return self.code.startswith(RETRYABLE_CODE_PREFIXES) or self.code in CLIENT_FAULT_CODES

    def to_dict(self):
        return dict(code=self.code, message=self.message, request_id=self.request_id,
                    action=self.action, attempts=self.attempts)

    def __str__(self):
        where = '%s failed' % self.action if self.action else 'request failed'
        tries = ' after %d attempts' % self.attempts if self.attempts > 1 else ''
        return '%s%s: %s: %s (RequestId: %s)' % (where, tries, self.code, self.message, self.request_id or 'none')


def parse_endpoint(endpoint):
    """(base URL, Host header) of an endpoint: a bare host means https, a URL is used as given.

    Raises ValueError with a message a user can act on.
    """
    endpoint = (endpoint or '').strip()
    if not endpoint:
        raise ValueError('endpoint must not be empty')
    if '://' not in endpoint:
        endpoint = 'https://' + endpoint
    parts = urlsplit(endpoint)
    if parts.scheme not in ('http', 'https') or not parts.hostname:
        raise ValueError('endpoint must be a host name or an http(s) URL, got %r' % endpoint)
    if parts.path not in ('', '/') or parts.query or parts.fragment:
        raise ValueError('endpoint must not have a path or query, got %r' % endpoint)
    try:
        parts.port
    except ValueError:
        raise ValueError('endpoint has an invalid port: %r' % endpoint)
    return '%s://%s/' % (parts.scheme, parts.netloc), parts.netloc


def full_jitter_delay(attempt, base, cap, uniform=random.uniform):
    """Seconds to wait before retry number attempt+1: uniform in [0, min(cap, base * 2**attempt)]."""
    return uniform(0, min(cap, base * (2 ** attempt)))


class TrtcClient:
    """Signed calls to one TRTC endpoint and region with one set of credentials."""

    def __init__(self, credentials, region, endpoint=DEFAULT_ENDPOINT, timeout=10, validate_certs=True,
                 max_attempts=6, backoff_base=0.5, backoff_cap=8.0, throttle=None, session=None,
                 clock=time.time, sleep=time.sleep, uniform=random.uniform):
        self.credentials = credentials
        self.region = region
        self.url, self.host = parse_endpoint(endpoint)
        self.timeout = timeout
        self.validate_certs = validate_certs
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.throttle = throttle
        self.session = session
        self.local = threading.local()
        self.clock = clock
        self.sleep = sleep
        self.uniform = uniform

    def call(self, action, params):
        """The Response object of a successful call; TencentCloudError once retries are spent."""
        attempt = 0
        while True:
            try:
                return self._send_once(action, params)
            except TencentCloudError as error:
                attempt += 1
                error.attempts = attempt
                if not error.retryable or attempt >= self.max_attempts:
                    raise
                self.sleep(full_jitter_delay(attempt - 1, self.backoff_base, self.backoff_cap, self.uniform))

    def _send_once(self, action, params):
        if self.throttle is not None:
            self.throttle(action)
        payload = json.dumps(params).encode('utf-8')
        # Signed again on every attempt: a retry must carry a fresh timestamp.
        headers = signed_headers(self.credentials, SERVICE, self.host, action, API_VERSION, self.region,
                                 payload, self.clock())
        try:
            reply = self._session().post(self.url, data=payload, headers=headers, timeout=self.timeout,
                                         verify=self.validate_certs)
        except requests.exceptions.Timeout:
            raise TencentCloudError('ClientError.Timeout', 'no answer from %s within %s seconds'
                                    % (self.url, self.timeout), action=action)
        except requests.exceptions.RequestException as exc:
            raise TencentCloudError('ClientError.NetworkError', 'cannot reach %s: %s'
                                    % (self.url, type(exc).__name__), action=action)
        return self._response_of(action, reply)

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
        try:
            document = json.loads(reply.content.decode('utf-8'))
        except ValueError:
            document = None
        body = document.get('Response') if isinstance(document, dict) else None
        if isinstance(body, dict) and isinstance(body.get('Error'), dict):
            error = body['Error']
            raise TencentCloudError(str(error.get('Code') or 'UnknownError'), str(error.get('Message') or ''),
                                    body.get('RequestId'), action)
        if reply.status_code >= 500:
            raise TencentCloudError('HTTPError.5xx', 'HTTP %d from the service' % reply.status_code, action=action)
        if reply.status_code != 200 or not isinstance(body, dict):
            raise TencentCloudError('ClientError.InvalidResponse', 'HTTP %d with no API response in the body'
                                    % reply.status_code, action=action)
        return body
