# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers of the trtc_record target: drive the emulator and hold the record against it.

  record_check.py vars PREFIX COUNT [FIRST_TASK]    extra vars naming the relays, as JSON
  record_check.py reset URL PREFIX COUNT [TASK...]  the emulator runs exactly these tasks
  record_check.py delay URL SECONDS                 every UpdateStreamIngest answers late
  record_check.py clear URL                         no more faults
  record_check.py agree URL RECORD                  fails when the record claims a volume the emulator lacks
  record_check.py volumes URL VOLUME                fails unless every task has this volume
"""

import json
import sys
import urllib.request

APP = 1400188366


def task_ids(prefix, count, extra=()):
    return list(extra) + ['%s-%02d' % (prefix, number) for number in range(int(count))]


def control(url, what, document=None):
    data = None if document is None else json.dumps(document).encode('utf-8')
    request = urllib.request.Request('%s/_emulator/%s' % (url, what), data=data,
                                     headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=10) as reply:
        return json.loads(reply.read().decode('utf-8'))


def emulator_volumes(url):
    return dict((task['task_id'], task.get('volume')) for task in control(url, 'state')['tasks'])


def recorded(record_path):
    """task_id -> the record's entry, for the tasks of APP."""
    with open(record_path) as handle:
        tasks = json.load(handle)['tasks']
    return dict((key.rsplit('|', 1)[1], entry) for key, entry in tasks.items() if key.split('|')[-2] == str(APP))


def agree(url, record_path):
    volumes, entries = emulator_volumes(url), recorded(record_path)
    lies = dict((task_id, (entry['volume'], volumes.get(task_id))) for task_id, entry in entries.items()
                if 'volume' in entry and entry['volume'] != volumes.get(task_id))
    pending = sorted(task_id for task_id, entry in entries.items() if 'volume' not in entry)
    print('record entries: %d, of which unknown volume (pending): %d %s; emulator volumes: %s' % (
        len(entries), len(pending), ' '.join(pending), json.dumps(volumes, sort_keys=True)))
    if lies:
        sys.exit('the record claims volumes the service does not hold (record, service): %s' % lies)


def main(command, *args):
    if command == 'vars':
        print(json.dumps({'relays': [{'task_id': task_id} for task_id in task_ids(args[0], args[1], args[2:])]}))
    elif command == 'reset':
        tasks = [dict(sdk_app_id=APP, task_id=task_id) for task_id in task_ids(args[1], args[2], args[3:])]
        control(args[0], 'reset', {'tasks': tasks})
    elif command == 'delay':
        control(args[0], 'faults', {'action': 'UpdateStreamIngest', 'kind': 'delay', 'seconds': float(args[1]),
                                    'count': 1000})
    elif command == 'clear':
        control(args[0], 'reset', {})
    elif command == 'agree':
        agree(args[0], args[1])
    elif command == 'volumes':
        volumes = emulator_volumes(args[0])
        wrong = dict((task_id, volume) for task_id, volume in volumes.items() if volume != int(args[1]))
        if wrong:
            sys.exit('tasks without volume %s: %s' % (args[1], wrong))
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main(*sys.argv[1:])
