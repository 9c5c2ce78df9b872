# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:

    # The connection and credential options of every module of tencentcloud.trtc.
    DOCUMENTATION = r'''
options:
  secret_id:
    description:
      - The SecretId of a Tencent Cloud API key.
      - If neither O(secret_id) nor O(secret_key) is set, they are read from the tccli profile (see O(profile)).
      - If not set, the environment variable E(TENCENTCLOUD_SECRET_ID) is used.
    type: str
  secret_key:
    description:
      - The SecretKey of a Tencent Cloud API key. It is never logged nor returned.
      - If not set, the environment variable E(TENCENTCLOUD_SECRET_KEY) is used.
    type: str
  session_token:
    description:
      - The token of temporary credentials (STS), sent as the C(X-TC-Token) header.
      - Only needed with temporary credentials. It is never logged nor returned.
      - If not set, the environment variable E(TENCENTCLOUD_SESSION_TOKEN) or E(TENCENTCLOUD_SECURITY_TOKEN) or E(TENCENTCLOUD_TOKEN) is used.
    type: str
  profile:
    description:
      - The name of a tccli profile. Its C(~/.tccli/<profile>.credential) file supplies C(secretId),
        C(secretKey) and C(token) when no key is given, and its C(~/.tccli/<profile>.configure) file
        supplies the region (C(_sys_param.region)) and endpoint (C(trtc.endpoint)) when those options are not set.
      - When no key and no profile are given, the profile C(default) is tried.
      - If not set, the environment variable E(TCCLI_PROFILE) is used.
    type: str
  site:
    description:
      - Which Tencent Cloud site serves the application - V(intl), the international site
        (C(trtc.intl.tencentcloudapi.com)), or V(china), the China site (C(trtc.tencentcloudapi.com)).
      - The site decides the default endpoint, the regions, the volume range (V(0) to V(100) on V(intl), V(0) to
        V(200) on V(china)) and the options only the China site accepts (O(ignore:tempo),
        O(ignore:enable_progress), O(ignore:idle_timeout)). They are checked before any request.
      - When not set, the site follows from the endpoint when it is one of the two sites' hosts (from O(endpoint),
        E(TENCENTCLOUD_TRTC_ENDPOINT) or the tccli profile), else it is V(intl). A site that contradicts the
        endpoint's host is refused.
      - If not set, the environment variable E(TENCENTCLOUD_TRTC_SITE) is used.
    type: str
    choices: [intl, china]
    version_added: 1.1.0
  region:
    description:
      - The region of the API call. Required, from this option, E(TENCENTCLOUD_REGION) or the tccli profile.
      - 'The international site (O(site=intl)) supports V(ap-bangkok), V(ap-guangzhou), V(ap-jakarta),
        V(ap-mumbai), V(ap-singapore) and V(ap-tokyo); the China site (O(site=china)) V(ap-beijing),
        V(ap-chongqing), V(ap-guangzhou), V(ap-shanghai) and V(ap-singapore).'
      - If not set, the environment variable E(TENCENTCLOUD_REGION) is used.
    type: str
  endpoint:
    description:
      - The API endpoint. A bare host name means HTTPS; a URL such as V(http://127.0.0.1:8080) is used as given,
        which is how the collection's emulator is reached.
      - If not set, the environment variable E(TENCENTCLOUD_TRTC_ENDPOINT) is used, then C(trtc.endpoint) in the
        C(.configure) file of the tccli profile in use (see O(profile)).
      - When none of them sets it, the endpoint is the site's (see O(site)) - V(trtc.intl.tencentcloudapi.com) for the
        international site, V(trtc.tencentcloudapi.com) for the China site - over HTTPS. This default is applied
        when the module runs, after the tccli profile has been read, which is why the option itself shows no
        default.
      - The endpoint is part of the key of the last-applied record.
    type: str
  validate_certs:
    description:
      - Whether to verify the TLS certificate of an HTTPS endpoint, and of a V(rediss://) O(record_store).
    type: bool
    default: true
  timeout:
    description:
      - Seconds each HTTP request may take, the reading of its answer included. A request that times out is
        retried (up to 5 times, with backoff), so a call to an endpoint that never answers fails after at most
        6 x O(timeout) + 15.5 seconds (75.5 at the default); its message says how long it took and why.
    type: float
    default: 10
  rate_limit:
    description:
      - The most requests per second of each API action this host sends with one SecretId, shared by every
        process of the user on the host that runs the modules (forks, loop items, several playbooks, whatever their
        C(HOME)) through small files in O(rate_limit_dir). With O(record_store), it lives in the store instead and
        holds for every controller that names it.
      - The service allows 20 per second for each stream-ingest action; requests beyond it would be throttled and
        retried. V(0) turns the limit off.
      - A request counts from its sending until a second after its answer, less the shortest round trip seen
        lately (it reaches the service at least half that before its answer, and the next request at least half that
        after its sending), so a distant service costs little pace and slow answers never let more than
        O(rate_limit) arrive within a second. A throttled reply widens the margin for a while.
      - If not set, the environment variable E(TENCENTCLOUD_TRTC_RATE_LIMIT) is used.
    type: int
    default: 20
  rate_limit_dir:
    description:
      - The directory of the files of O(rate_limit), on the host that runs the module. Every process of the host
        that names the same directory shares one limit. A relative path starts where the module runs, which on the
        controller (a local connection) is the playbook's directory.
      - When not set, C(/tmp/tencentcloud_trtc-UID), UID being the user's numeric ID; so one directory per user of the
        host, whatever C(HOME) each run has. It is made private (mode 0700). A directory of that name that belongs
        to another user, is writable by every user, or is a link planted in a directory every user may write, is
        not used, nor one below a directory every user may write without the sticky bit; then the limit holds
        within the module run only, with a warning.
      - If not set, the environment variable E(TENCENTCLOUD_TRTC_RATE_LIMIT_DIR) is used.
    type: path
    version_added: 1.1.0
  record_store:
    description:
      - A Redis store shared by every controller and execution node that names it, holding the last-applied record
        B(and) the rate limit in place of the local files (O(record_file) and O(rate_limit_dir)).
        Use it where the local files do not last or are not shared - AWX and Ansible Automation Platform jobs,
        CI runners, several controllers at once.
      - 'A URL in redis-py''s form: V(redis://[[user]:password@]host[:port][/db]), V(rediss://...) for TLS
        (the certificate is verified against the system''s CAs or the one named by V(?ssl_ca_certs=/path/to/ca.pem)
        unless O(validate_certs=false)), or V(unix://[[user]:password@]/path/to/socket?db=0).'
      - Needs the Python library C(redis) (redis-py) on the host that runs the module, and only then.
      - Keys live under C(tencentcloud_trtc:). Work on one task takes turns across every controller through a lock
        in the store that expires 30 seconds after its holder stops renewing it (a controller that dies holding one
        delays that task by at most 30 seconds). The limit of O(rate_limit) holds for all controllers together.
      - It fails closed. When the store cannot be reached, authenticated or written, the module fails before any
        API request, naming the store (password masked) and the cause; it never falls back to the local files.
      - Its URL may hold a password, so it is never logged nor returned. No credential is ever written to the store.
      - If not set, the environment variable E(TENCENTCLOUD_TRTC_RECORD_STORE) is used.
    type: str
    version_added: 1.1.0
notes:
  - Every call is signed with TC3-HMAC-SHA256 by the collection's own signer; the Tencent Cloud SDK is not needed.
  - C(InternalError*), HTTP 5xx answers, dropped and refused connections and timeouts are retried up to 5 times
    with capped exponential backoff and full jitter; throttling (C(RequestLimitExceeded*), HTTP 429) up to 9 times
    (at most 47.5 seconds of backoff), as other machines using the account may hold it at its ceiling a while.
    Authentication, parameter and C(FailedOperation) errors are not retried, nor are certificate, name resolution,
    proxy and redirect failures.
  - The connection options (O(secret_id), O(secret_key), O(session_token), O(profile), O(region), O(endpoint),
    O(validate_certs), O(timeout), O(rate_limit), O(rate_limit_dir) and O(record_store)) and O(record_file) can be set once for every module of the
    collection with C(module_defaults) and the group C(group/tencentcloud.trtc.trtc).
requirements:
  - requests
  - redis (redis-py), only when O(record_store) names a Redis store
'''

    # The last-applied record, shared by the modules that read or write it.
    RECORD = r'''
options:
  record_file:
    description:
      - The JSON file holding the last-applied record, on the host that runs the module. A relative path starts
        where the module runs, which on the controller (a local connection) is the playbook's directory.
      - No Tencent API reads back a relay task's stream URL, volume or pause state, so idempotency and diff rest on
        what this collection last applied, kept in this file under a key made of the endpoint, the SdkAppId and the
        task ID. It never holds credentials.
      - The record never claims a value the service may not hold. Work on one task takes turns across runs of the
        host; settings about to be sent are marked unknown first, and settled as soon as the answer arrives, so a
        run that is killed or times out leaves them unknown and the next run sends them again.
      - A symlink along the path is followed only where it lives in a directory of this user (or root) that not
        every user may write. The record, its lock file and its temporary file must be in such a directory (not
        C(/tmp) itself), and no lock or temporary file is opened through a link; a record or lock file of another
        user is refused, and so is a record below a directory that every user may write without the sticky bit
        (another user could rename what it holds and put their own record in its place). A file that cannot be
        read as a record (not JSON, another layout, not a regular file, not readable) is never overwritten;
        M(tencentcloud.trtc.trtc_stream_ingest) fails naming it.
      - The directories of the path that do not exist yet are created with mode 0700, and the file is written with
        mode 0600. A directory that already exists keeps its mode, such as a C(~/.ansible) that Ansible itself
        created with mode 0755.
      - Before each Start, the file system of the file must have free the record's size plus 1 MiB, and the inodes
        its writes need (3 when neither the record nor its lock file exists yet); if not, the relay is not started
        and the run (and check mode) fails, naming the file, before the Start is sent. A Start whose TaskId could not
        be written would be a running relay that no record holds.
      - Not used when O(record_store) names a shared store, which then holds the record.
      - If not set, the environment variable E(TENCENTCLOUD_TRTC_RECORD_FILE) is used.
    type: path
    default: ~/.ansible/tencentcloud_trtc/last_applied.json
'''

    ATTRIBUTES = r'''
attributes:
  action_group:
    description: Use C(group/tencentcloud.trtc.trtc) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - tencentcloud.trtc.trtc
'''
