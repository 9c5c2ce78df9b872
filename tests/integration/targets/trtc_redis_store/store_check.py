# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers of the trtc_redis_store target.

  store_check.py port                                a free loopback port
  store_check.py vars PREFIX COUNT                   extra vars naming relay tasks, as JSON
  store_check.py reset URL [PREFIX COUNT]...         the emulator runs exactly these tasks, its log emptied
  store_check.py requests URL                        the emulator's log: {action: count}, throttled, most per second
  store_check.py expect URL JSON                     fails unless the log's counts per action are these
"""

import json
import socket
import sys
import urllib.request

APP = 1400188366


def control(url, what, document=None):
    data = None if document is None else json.dumps(document).encode('utf-8')
    request = urllib.request.Request('%s/_emulator/%s' % (url, what), data=data,
                                     headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=10) as reply:
        return json.loads(reply.read().decode('utf-8'))


def task_ids(prefix, count):
    return ['%s-%02d' % (prefix, number) for number in range(int(count))]


def summary(url):
    requests = control(url, 'state')['requests']
    counts = {}
    for request in requests:
        counts[request['action']] = counts.get(request['action'], 0) + 1
    most = 0
    for action in counts:
        times = sorted(request['time'] for request in requests if request['action'] == action)
        for index, start in enumerate(times):
            within = [moment for moment in times[index:] if moment < start + 1.0]
            most = max(most, len(within))
    throttled = sum(1 for request in requests if (request.get('code') or '').startswith('RequestLimitExceeded'))
    return dict(counts=counts, throttled=throttled, most_per_second=most)


def main(command, *args):
    if command == 'port':
        with socket.socket() as sock:
            sock.bind(('127.0.0.1', 0))
            print(sock.getsockname()[1])
    elif command == 'vars':
        print(json.dumps({'relays': [{'task_id': task_id} for task_id in task_ids(args[0], args[1])]}))
    elif command == 'reset':
        tasks = []
        for index in range(1, len(args), 2):
            tasks += [dict(sdk_app_id=APP, task_id=task_id) for task_id in task_ids(args[index], args[index + 1])]
        control(args[0], 'reset', {'tasks': tasks})
    elif command == 'requests':
        print(json.dumps(summary(args[0]), sort_keys=True))
    elif command == 'expect':
        found = summary(args[0])['counts']
        if found != json.loads(args[1]):
            sys.exit('the emulator received %s, expected %s' % (found, args[1]))
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main(*sys.argv[1:])
