# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A local emulator of the TRTC stream-ingest API (Start/Update/Describe/StopStreamIngest).

Run:  python3 emulator/trtc_emulator.py --port 8080      (port 0 picks a free port and prints it)
Stop: Ctrl-C or SIGTERM.
In the background (what the demo, the integration targets and the benchmark do):
      python3 emulator/trtc_emulator.py --background --state-dir DIR [--port 0] [flags]   prints the URL
      python3 emulator/trtc_emulator.py --stop --state-dir DIR
From an installed collection: ansible-playbook tencentcloud.trtc.emulator (see docs: the emulator guide).

It checks TC3-HMAC-SHA256 signatures the way the service does, with its own code (not the
collection's signer), holds relay tasks in memory, limits each action to 20 requests per
second, and injects faults on demand. Standard library only.

It plays one of Tencent Cloud's two sites (--site, or the seed's "site"): "intl" (the default), the
international site, or "china", the China site, which has other regions, a Volume of 0 to 200 and the
parameters Tempo, EnableProgress (Start and Update) and IdleTimeout (Start); the international site
answers UnknownParameter to those three, as the service does.

StartStreamIngest takes the parameters of its site, typed and ranged as the service
documents them, and checks the UserSig (TLS sig v2) with its own code against the SDK secret key of
the SdkAppId (--sdk-secret-key or the seed's "sdk_secret_keys"; without any, the demo SDK secret key
below is accepted for every SdkAppId). Its TaskIds look like the service's: long, with "+", "/" and
".". A second Start for the same SdkAppId, RoomIdType, RoomId and UserId while the first task runs
answers FailedOperation.TaskExist. UserSig and PrivateMapKey are never logged nor shown in the state.

Malformed requests get an API error or an HTTP 4xx, never a dropped connection: bodies are at most
1 MiB (413 beyond, before reading them) and need a Content-Length (411), JSON nests at most 64 levels,
at most 10000 faults are pending per action, methods other than GET and POST get 405, and a request
must arrive whole within --idle-timeout seconds (default 10) or its connection is closed.

The service model (its facts, checks, tasks and faults) is trtc_service.py, its HTTP server trtc_server.py; this
file is the command line.

Control endpoints (not signed, for tests). They answer only a request with the header X-Emulator-Token holding
the token the emulator writes, at each start, to a file only its owner can read: emulator.token in --state-dir,
else --token-file, else a private temporary directory (named at start); HTTP 401 without it. The file is removed
on exit.
  GET  /_emulator/state             tasks, every API request received, and pending faults
  POST /_emulator/reset             {"tasks": [...]} (optional): clear the request log and faults, replace tasks
  POST /_emulator/tasks             {"tasks": [...]}: add or replace tasks
  POST /_emulator/faults            {"action": A, "kind": K, "count": N, ...}: fault the next N calls of A
      kind: "http" (with "status", default 503), "drop" (close the connection without an answer),
            "delay" (with "seconds": answer normally, but late), "error" (with "code" and optional "message")
  POST /_emulator/end               {"sdk_app_id": ..., "task_id": ...}: end a task as the service does when its
                                    source ends (404 when no such task runs); with "how": "start_failed", as when its
                                    start fails and the service's three retries fail too
  POST /_emulator/callbacks         {"url": ..., "key": ..., "hold": true|false, "reversed": true|false}: where relay
                                    callbacks go and their key (null: none); hold them, then release them (newest
                                    first with "reversed": out of order, as the service may deliver them)
Relay callbacks (--callback-url, --callback-key, or the control above), as the service sends them: 701 (Status 0
when a task starts; 1, then 2 and 1 for each of the service's retries 0, 1 and 3 s later, when a start fails) and
702 (Status 0, when a task is stopped, its source ends, or its MaxDuration passes), signed with both headers,
retried at once and then every 10 s until a minute old when not answered 200 within 5 s (trtc_callbacks.py). The
state shows each with its answers.
"""

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time

from trtc_callbacks import Callbacks
from trtc_server import DEFAULT_IDLE_TIMEOUT, Distance, EmulatorServer
from trtc_service import (DEFAULT_SITE, DEMO_SDK_SECRET_KEY, DEMO_SECRET_ID, DEMO_SECRET_KEY, SITES, Emulator,
                          site_of_seed, sdk_secret_key_entries, task_entries)


def load_seed(path):
    with open(path) as handle:
        return json.load(handle)


def parse_credential(text):
    parts = text.split(':', 2)
    if len(parts) < 2:
        raise argparse.ArgumentTypeError('a credential is SECRET_ID:SECRET_KEY[:TOKEN]')
    return parts[0], {'secret_key': parts[1], 'token': parts[2] if len(parts) == 3 else None}


def parse_sdk_secret_key(text):
    app, dummy, key = text.partition(':')
    if not (app.isascii() and app.isdigit() and int(app) > 0) or not key:
        raise argparse.ArgumentTypeError('an SDK secret key is SDK_APP_ID:SDK_SECRET_KEY')
    return int(app), key


def parse_task(text):
    app, dummy, task_id = text.partition(':')
    if not app.isdigit() or not task_id:
        raise argparse.ArgumentTypeError('a task is SDK_APP_ID:TASK_ID')
    return {'sdk_app_id': int(app), 'task_id': task_id}


def positive_seconds(text):
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0
    if not 0 < seconds < float('inf'):
        raise argparse.ArgumentTypeError('a number of seconds greater than 0 is needed')
    return seconds


def duration(text):
    """Seconds of a duration written 130ms, 0.13s or 0.13 (seconds), at least 0."""
    number, scale = (text[:-2], 0.001) if text.endswith('ms') else (text[:-1], 1.0) if text.endswith('s') else (text, 1.0)
    try:
        seconds = float(number) * scale
    except ValueError:
        seconds = -1
    if not 0 <= seconds < float('inf'):
        raise argparse.ArgumentTypeError('a duration such as 130ms or 0.13s is needed, got %r' % text)
    return seconds


def build_parser():
    parser = argparse.ArgumentParser(description='A local emulator of the TRTC stream-ingest API.')
    parser.add_argument('--host', default='127.0.0.1', help='address to listen on (default 127.0.0.1)')
    parser.add_argument('--port', type=int, default=8080, help='port; 0 picks a free one (default 8080)')
    parser.add_argument('--seed', help='JSON file with "site", "credentials", "sdk_secret_keys" and "tasks" to start '
                                       'with')
    parser.add_argument('--credential', action='append', type=parse_credential, default=[],
                        help='SECRET_ID:SECRET_KEY[:TOKEN] accepted by the emulator; repeatable. '
                             'Without any, a demo key is accepted: %s:%s' % (DEMO_SECRET_ID, DEMO_SECRET_KEY))
    parser.add_argument('--sdk-secret-key', action='append', type=parse_sdk_secret_key, default=[],
                        metavar='SDK_APP_ID:KEY',
                        help='the SDK secret key of an application, which the UserSig of StartStreamIngest must be '
                             'made with; repeatable. Without any, the demo SDK secret key %s is accepted for every '
                             'SdkAppId' % DEMO_SDK_SECRET_KEY)
    parser.add_argument('--site', choices=sorted(SITES),
                        help='the site to play: intl, the international site (the default), or china, the China '
                             'site (its regions, Volume 0 to 200, Tempo, EnableProgress and IdleTimeout); '
                             'overrides the seed\'s "site"')
    parser.add_argument('--task', action='append', type=parse_task, default=[],
                        help='SDK_APP_ID:TASK_ID of a running relay task; repeatable')
    parser.add_argument('--rate-limit', type=int, default=20, help='requests per second per action; 0 for none')
    parser.add_argument('--latency', type=duration, default=0.0, metavar='DURATION',
                        help='stand this far away: each API request arrives (and is counted by the rate limit) this '
                             'long after it is sent, and its answer comes back as long after that, such as 130ms '
                             '(default 0)')
    parser.add_argument('--jitter', type=duration, default=0.0, metavar='DURATION',
                        help='each way takes --latency give or take up to this much, uniformly, such as 40ms '
                             '(default 0)')
    parser.add_argument('--port-file', help='write the port to this file once listening; removed on exit')
    parser.add_argument('--token-file', metavar='FILE',
                        help='write the control API\'s token to FILE, readable by its owner only (default: '
                             'emulator.token in --state-dir, else in a private temporary directory); removed on exit')
    parser.add_argument('--idle-timeout', type=positive_seconds, default=DEFAULT_IDLE_TIMEOUT, metavar='SECONDS',
                        help='close a connection that sends nothing, or not a whole request, within this many '
                             'seconds (default %g)' % DEFAULT_IDLE_TIMEOUT)
    parser.add_argument('--callback-url', metavar='URL',
                        help='send relay callbacks (701, 702) to this URL, as the service does to the one set in the '
                             'TRTC console')
    parser.add_argument('--callback-key', metavar='KEY',
                        help='sign relay callbacks with this key (the Sign header), as the console\'s key does')
    parser.add_argument('--verbose', action='store_true', help='log every HTTP request to stderr')
    parser.add_argument('--state-dir', metavar='DIR',
                        help='keep emulator.port, emulator.pid and (with --background) emulator.log in DIR')
    parser.add_argument('--background', action='store_true',
                        help='start detached (needs --state-dir), print the URL once listening, and return')
    parser.add_argument('--stop', action='store_true', help='stop the emulator started with --state-dir DIR')
    return parser


def state_files(state_dir):
    return dict((name, os.path.join(state_dir, 'emulator.' + name)) for name in ('port', 'pid', 'log', 'token'))


def running_pid(state_dir):
    """The pid of the emulator of state_dir, or None when none runs (a stale pid file may name another process)."""
    try:
        with open(state_files(state_dir)['pid']) as handle:
            pid = int(handle.read().strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid if is_this_emulator(pid) else None


def is_this_emulator(pid):
    """Whether process pid runs this emulator's file (where /proc tells; elsewhere, trusted)."""
    try:
        with open('/proc/%d/cmdline' % pid, 'rb') as handle:
            arguments = handle.read().split(b'\0')
    except FileNotFoundError:
        return not os.path.isdir('/proc/self')
    except OSError:
        return False
    return any(os.path.basename(argument) == os.path.basename(__file__).encode() for argument in arguments)


def running_url(state_dir, host):
    try:
        with open(state_files(state_dir)['port']) as handle:
            return 'http://%s:%s' % (host, handle.read().strip())
    except OSError:
        return None


def start_in_background(argv, state_dir, host):
    """Start this emulator detached, with the same flags; print its URL once it listens."""
    files = state_files(state_dir)
    if running_pid(state_dir) and running_url(state_dir, host):
        # Already started: the same answer as a start, said so (the launcher playbook reports no change).
        print('already running (pid file %s)' % files['pid'], flush=True)
        print(running_url(state_dir, host), flush=True)
        return 0
    os.makedirs(state_dir, exist_ok=True)
    if os.path.exists(files['port']):
        os.unlink(files['port'])
    command = [sys.executable, os.path.abspath(__file__)] + [arg for arg in argv if arg != '--background']
    with open(files['log'], 'ab') as log:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and process.poll() is None:
        if os.path.exists(files['port']):
            with open(files['port']) as handle:
                print('http://%s:%s' % (host, handle.read().strip()), flush=True)
            return 0
        time.sleep(0.05)
    process.kill()
    with open(files['log']) as log:
        sys.stderr.write(log.read()[-4000:])
    sys.exit('the emulator did not start; its log is %s' % files['log'])


def stop_background(state_dir):
    """Stop the emulator of state_dir (SIGTERM, then SIGKILL after 10 seconds); nothing to do is no error."""
    pid = running_pid(state_dir)
    if not pid:
        print('not running', flush=True)
    if pid:
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while running_pid(state_dir) and time.monotonic() < deadline:
            time.sleep(0.05)
        if running_pid(state_dir):
            os.kill(pid, signal.SIGKILL)
    for path in (state_files(state_dir)['pid'], state_files(state_dir)['port'], state_files(state_dir)['token']):
        if os.path.exists(path):
            os.unlink(path)
    return 0


def main(argv=None):
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(argv)
    if (args.background or args.stop) and not args.state_dir:
        parser.error('--background and --stop need --state-dir')
    if args.jitter > args.latency:
        parser.error('--jitter must not exceed --latency: a way cannot take less than no time')
    if args.stop:
        return stop_background(args.state_dir)
    if args.background:
        return start_in_background(argv, args.state_dir, args.host)
    if args.state_dir:
        os.makedirs(args.state_dir, exist_ok=True)
        args.port_file = args.port_file or state_files(args.state_dir)['port']
    try:
        seed = load_seed(args.seed) if args.seed else {}
        credentials = dict((c['secret_id'], {'secret_key': c['secret_key'], 'token': c.get('token')})
                           for c in seed.get('credentials', []))
        sdk_secret_keys = sdk_secret_key_entries(seed.get('sdk_secret_keys', {}), 'sdk_secret_keys')
        seed_site = site_of_seed(seed)  # checked even when --site overrides it
        site = args.site or seed_site or DEFAULT_SITE
        seed_tasks = task_entries(seed.get('tasks', []), site)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        parser.error('--seed %s: %s' % (args.seed, exc))
    credentials.update(dict(args.credential))
    if not credentials:
        credentials[DEMO_SECRET_ID] = {'secret_key': DEMO_SECRET_KEY, 'token': None}
    sdk_secret_keys.update(dict(args.sdk_secret_key))
    emulator = Emulator(credentials, rate_limit=args.rate_limit, sdk_secret_keys=sdk_secret_keys, site=site)
    emulator.tasks.update(seed_tasks)
    emulator.callbacks = Callbacks(args.callback_url, args.callback_key)
    threading.Thread(target=emulator.callbacks.run, args=(emulator,), name='callbacks', daemon=True).start()
    emulator.put_tasks(args.task)

    if args.host not in ('127.0.0.1', 'localhost', '::1'):
        sys.stderr.write('warning: --host %s: the emulator answers anyone who reaches this address, over plain HTTP '
                         '(API requests and the control API\'s token travel unencrypted); listen on 127.0.0.1 unless '
                         'others must reach it\n' % args.host)
    control_token = secrets.token_urlsafe(32)
    token_file, private_dir = token_file_of(args)
    server = EmulatorServer((args.host, args.port), emulator, control_token=control_token,
                            idle_timeout=args.idle_timeout, verbose=args.verbose,
                            distance=Distance(args.latency, args.jitter))
    port = server.server_address[1]

    def stop(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    try:
        if args.state_dir:
            with open(state_files(args.state_dir)['pid'], 'w') as handle:
                handle.write('%d\n' % os.getpid())
        try:
            write_private(token_file, control_token)  # before the port file: once that is there, so is the token
        except OSError as exc:
            sys.exit('cannot write the control API\'s token to %s: %s' % (token_file, exc.strerror or exc))
        if args.port_file:
            with open(args.port_file + '.tmp', 'w') as handle:
                handle.write('%d\n' % port)
            os.replace(args.port_file + '.tmp', args.port_file)
        where = ' (China site)' if site == 'china' else ''
        print('TRTC emulator listening on http://%s:%d%s' % (args.host, port, where), flush=True)
        print('control API token in %s (send it in the header X-Emulator-Token)' % token_file, flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        for path in (args.port_file, args.state_dir and state_files(args.state_dir)['pid'], token_file):
            if path and os.path.lexists(path):
                os.unlink(path)
        if private_dir:
            os.rmdir(private_dir)
    return 0


def token_file_of(args):
    """(where the control token goes, the private temporary directory made for it or None)."""
    if args.token_file:
        return args.token_file, None
    if args.state_dir:
        return state_files(args.state_dir)['token'], None
    private_dir = tempfile.mkdtemp(prefix='trtc-emulator-')
    return os.path.join(private_dir, 'emulator.token'), private_dir


def write_private(path, text):
    """text in a new file that only its owner can read, put in place whole (a link at path is replaced, never
    followed)."""
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)), prefix='.emulator.token.')
    try:
        with os.fdopen(handle, 'w') as stream:
            stream.write(text + '\n')
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


if __name__ == '__main__':
    sys.exit(main())
