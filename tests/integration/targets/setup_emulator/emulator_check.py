# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Drive the emulator and hold the last-applied record against it, for the targets' runme.sh.

TASKS is a list of task IDs, each followed or not by a count: "o 40 x" is o-00 ... o-39 and x.

  emulator_check.py port                        a free loopback port
  emulator_check.py vars TASKS                  extra vars naming the relays, as JSON
  emulator_check.py reset URL TASKS             the emulator runs exactly these tasks, its log emptied
  emulator_check.py delay URL SECONDS           every UpdateStreamIngest answers late
  emulator_check.py clear URL                   no more faults, the log emptied
  emulator_check.py requests URL                the log: {action: count}, throttled, most per second
  emulator_check.py expect URL JSON             fails unless the log's counts per action are these
  emulator_check.py volumes URL VOLUME          fails unless every task has this volume
  emulator_check.py landed URL VOLUME           waits (at most 60 s) until some task has this volume
  emulator_check.py running URL                 waits (at most 60 s) until the emulator runs some task
  emulator_check.py agree URL RECORD            fails when the record claims a volume the emulator lacks;
                                                RECORD is a record file or a redis:// record_store
"""

import json
import os
import socket
import sys
import time
import urllib.request

APP = 1400188366
RECORD_PREFIX = 'tencentcloud_trtc:record:'


def task_ids(words):
    found = []
    for index, word in enumerate(words):
        if word.isdigit():
            continue
        if index + 1 < len(words) and words[index + 1].isdigit():
            found += ['%s-%02d' % (word, number) for number in range(int(words[index + 1]))]
        else:
            found.append(word)
    return found


def control(url, what, document=None):
    data = None if document is None else json.dumps(document).encode('utf-8')
    request = urllib.request.Request('%s/_emulator/%s' % (url, what), data=data, headers={
        'Content-Type': 'application/json', 'X-Emulator-Token': os.environ.get('EMULATOR_TOKEN', '')})
    with urllib.request.urlopen(request, timeout=10) as reply:
        return json.loads(reply.read().decode('utf-8'))


def emulator_volumes(url):
    return dict((task['task_id'], task.get('volume')) for task in control(url, 'state')['tasks'])


def wait_until_one_has_volume(url, volume, patience=60.0):
    """Returns once some task has VOLUME: a run is then surely midway, however slowly this machine started it."""
    deadline = time.monotonic() + patience
    while volume not in emulator_volumes(url).values():
        if time.monotonic() > deadline:
            sys.exit('no task reached volume %s in %d s' % (volume, patience))
        time.sleep(0.05)


def wait_until_one_runs(url, patience=60.0):
    """Returns once the emulator runs a task: a run starting relays is then surely midway, however slowly this
    machine started it."""
    deadline = time.monotonic() + patience
    while not control(url, 'state')['tasks']:
        if time.monotonic() > deadline:
            sys.exit('the emulator ran no task in %d s' % patience)
        time.sleep(0.05)


def record_entries(record):
    """{record key: entry} of a record file or a Redis store."""
    if not record.startswith(('redis://', 'rediss://')):
        with open(record) as handle:
            return json.load(handle)['tasks']
    import redis
    client = redis.Redis.from_url(record)
    documents = [json.loads(client.get(name)) for name in client.scan_iter(match=RECORD_PREFIX + '*')]
    return dict((document['key'], document['entry']) for document in documents)


def recorded(record):
    """task_id -> the record's entry, for the task entries of APP (not relay names, nor a TaskId's link to one)."""
    return dict((key.rsplit('|', 1)[1], entry) for key, entry in record_entries(record).items()
                if not key.startswith('[') and key.split('|')[-2] == str(APP) and 'relay' not in entry)


def agree(url, record):
    volumes, entries = emulator_volumes(url), recorded(record)
    lies = dict((task_id, (entry['volume'], volumes.get(task_id))) for task_id, entry in entries.items()
                if 'volume' in entry and entry['volume'] != volumes.get(task_id))
    pending = sorted(task_id for task_id, entry in entries.items() if 'volume' not in entry)
    print('record entries: %d, of which unknown volume (pending): %d %s; emulator volumes: %s' % (
        len(entries), len(pending), ' '.join(pending), json.dumps(volumes, sort_keys=True)))
    if lies:
        sys.exit('the record claims volumes the service does not hold (record, service): %s' % lies)


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
        print(json.dumps({'relays': [{'task_id': task_id} for task_id in task_ids(args)]}))
    elif command == 'reset':
        control(args[0], 'reset', {'tasks': [dict(sdk_app_id=APP, task_id=task_id) for task_id in task_ids(args[1:])]})
    elif command == 'delay':
        control(args[0], 'faults', {'action': 'UpdateStreamIngest', 'kind': 'delay', 'seconds': float(args[1]),
                                    'count': 1000})
    elif command == 'clear':
        control(args[0], 'reset', {})
    elif command == 'requests':
        print(json.dumps(summary(args[0]), sort_keys=True))
    elif command == 'expect':
        found = summary(args[0])['counts']
        if found != json.loads(args[1]):
            sys.exit('the emulator received %s, expected %s' % (found, args[1]))
    elif command == 'volumes':
        volumes = emulator_volumes(args[0])
        wrong = dict((task_id, volume) for task_id, volume in volumes.items() if volume != int(args[1]))
        if wrong:
            sys.exit('tasks without volume %s: %s' % (args[1], wrong))
    elif command == 'landed':
        wait_until_one_has_volume(args[0], int(args[1]))
    elif command == 'running':
        wait_until_one_runs(args[0])
    elif command == 'agree':
        agree(args[0], args[1])
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main(*sys.argv[1:])
