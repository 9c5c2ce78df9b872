# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Bulk-work figures against the local emulator. Run through scripts/benchmark.sh, which sets the stage.

1. a loop of 20 updates through the module (inside the controller, and as a plain module) and through
   ansible.builtin.command running tccli, per update, and their ratio;
2. 200 tasks through the list form: wall time, the API floor (requests / 20 per second), their ratio,
   throttled replies, failures;
3. 40 hosts with forks 40, one task each: wall time, throttled replies, failures;
4. the peak memory of one module run;
5. three controllers at once through one Redis store;
6. the service at a distance (the emulator's --latency and --jitter, 0, 50, 130 and 300 ms one way): the list
   form's ratio judged by the arrivals at the service, their pace (the mean time from each arrival to the 20th after
   it), throttled share and most arrivals in any second; at 130 ms also Starts, a loop of single tasks on the
   controller and three controllers (200 updates among them) through one Redis store.
"""

import argparse
import json
import os
import platform
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

SECRET_ID = 'AKIDBENCHMARK000000000000000000000'
SECRET_KEY = 'benchmark-secret-key-not-real'
APP = 1400000001
RATE = 20
SDK_SECRET_KEY = 'benchmark-sdk-secret-key-not-real'


LOOP_PLAYBOOK = '''
- name: Loop
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Start
      ansible.builtin.set_fact:
        started: "{{ lookup('ansible.builtin.pipe', 'date +%%s.%%N') }}"
    - name: Loop of updates
      %(task)s
      loop: "{{ range(%(count)d) | list }}"
    - name: Loop time
      ansible.builtin.debug:
        msg: "LOOP_SECONDS={{ lookup('ansible.builtin.pipe', 'date +%%s.%%N') | float - started | float }}"
'''

MODULE_TASK = '''tencentcloud.trtc.trtc_stream_ingest:
        sdk_app_id: %d
        task_id: loop-task
        volume: "{{ item }}"''' % APP

TCCLI_TASK = '''ansible.builtin.command:
        argv: [%(tccli)s, trtc, UpdateStreamIngest, --SdkAppId, "%(app)d", --TaskId, loop-task,
               --Volume, "{{ item }}", --region, ap-singapore, --endpoint, "%(url)s",
               --secretId, "%(secret_id)s", --secretKey, "%(secret_key)s"]
      changed_when: true'''

LIST_PLAYBOOK = '''
- name: List form
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Update %(count)d tasks in one module run
      tencentcloud.trtc.trtc_stream_ingest:
        sdk_app_id: %(app)d
        volume: 33
        tasks: %(tasks)s
'''

RELAYS_PLAYBOOK = '''
- name: Relays in one module run
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Start (or update) %(count)d relays in one module run
      tencentcloud.trtc.trtc_stream_ingest:
        sdk_app_id: %(app)d
        room_id: "8888"
        stream_url: https://live.example.com/live/event.flv
        volume: 33
        tasks: %(tasks)s
'''

HOSTS_PLAYBOOK = '''
- name: Many hosts
  hosts: relays
  gather_facts: false
  tasks:
    - name: Update this host's task
      tencentcloud.trtc.trtc_stream_ingest:
        sdk_app_id: %d
        task_id: "host-{{ inventory_hostname }}"
        volume: 44
''' % APP


class Stage:
    """The emulator, the environment and the files of one benchmark run."""

    def __init__(self, emulator_script, work_dir, latency_ms=0, jitter_ms=0):
        self.work_dir = work_dir
        self.emulator = [sys.executable, emulator_script]
        self.state_dir = os.path.join(work_dir, 'emulator-%dms' % latency_ms)
        # The one way to start the emulator that the demo and the integration targets use too; at a distance,
        # each request arrives latency (give or take jitter) after its sending, and its answer as long after that.
        started = subprocess.run(self.emulator + ['--background', '--state-dir', self.state_dir, '--port', '0',
                                                  '--rate-limit', str(RATE), '--credential',
                                                  '%s:%s' % (SECRET_ID, SECRET_KEY),
                                                  '--sdk-secret-key', '%d:%s' % (APP, SDK_SECRET_KEY),
                                                  '--latency', '%dms' % latency_ms, '--jitter', '%dms' % jitter_ms],
                                 check=True, stdout=subprocess.PIPE, universal_newlines=True)
        self.url = started.stdout.strip().splitlines()[-1]
        with open(os.path.join(self.state_dir, 'emulator.token')) as handle:
            self.control_token = handle.read().strip()  # the control API's, written by the emulator for its owner
        self.env = dict(os.environ, TENCENTCLOUD_SECRET_ID=SECRET_ID, TENCENTCLOUD_SECRET_KEY=SECRET_KEY,
                        TENCENTCLOUD_REGION='ap-singapore', TENCENTCLOUD_TRTC_ENDPOINT=self.url,
                        TENCENTCLOUD_TRTC_SDK_SECRET_KEY=SDK_SECRET_KEY,
                        ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false',
                        HOME=os.path.join(work_dir, 'home'),
                        TENCENTCLOUD_TRTC_RATE_LIMIT_DIR=os.path.join(work_dir, 'rate'))
        os.makedirs(self.env['HOME'], exist_ok=True)

    def stop(self):
        subprocess.run(self.emulator + ['--stop', '--state-dir', self.state_dir], check=True)

    def control(self, what, document=None):
        data = json.dumps(document).encode() if document is not None else None
        request = urllib.request.Request(self.url + '/_emulator/' + what, data=data, method='POST' if data else 'GET',
                                         headers={'X-Emulator-Token': self.control_token})
        with urllib.request.urlopen(request) as reply:
            return json.load(reply)

    def reset(self, task_ids):
        """Fresh tasks, an empty request log and an empty last-applied record."""
        self.control('reset', {'tasks': [{'sdk_app_id': APP, 'task_id': task_id} for task_id in task_ids]})
        shutil.rmtree(os.path.join(self.env['HOME'], '.ansible', 'tencentcloud_trtc'), ignore_errors=True)
        shutil.rmtree(self.env['TENCENTCLOUD_TRTC_RATE_LIMIT_DIR'], ignore_errors=True)

    def playbook(self, text, *args, **env):
        path = os.path.join(self.work_dir, 'playbook.yml')
        with open(path, 'w') as handle:
            handle.write(text)
        started = time.monotonic()
        run = subprocess.run(['ansible-playbook', path] + list(args), env=dict(self.env, **env),
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
        return time.monotonic() - started, run

    def replies(self):
        """(throttled replies, failed API requests) in the emulator's log."""
        requests = self.control('state')['requests']
        throttled = sum(1 for entry in requests if (entry.get('code') or '').startswith('RequestLimitExceeded'))
        failed = sum(1 for entry in requests if entry.get('code') and not entry['code'].startswith('RequestLimit'))
        return len(requests), throttled, failed


def loop_seconds(run):
    for line in run.stdout.splitlines():
        if 'LOOP_SECONDS=' in line:
            return float(line.split('LOOP_SECONDS=')[1].strip().strip('"'))
    raise SystemExit('the loop playbook failed:\n' + run.stdout[-3000:])


def bench_loop(stage, count):
    figures = {}
    tccli = json.dumps(shutil.which('tccli') or 'tccli')
    for label, task, env in (
            ('module, inside the controller', MODULE_TASK, {}),
            ('module, as a plain module', MODULE_TASK, {'TENCENTCLOUD_TRTC_IN_PROCESS': '0'}),
            ('tccli through ansible.builtin.command', TCCLI_TASK % dict(
                tccli=tccli, app=APP, url=stage.url, secret_id=SECRET_ID, secret_key=SECRET_KEY), {})):
        stage.reset(['loop-task'])
        dummy, run = stage.playbook(LOOP_PLAYBOOK % dict(task=task, count=count), **env)
        requests, throttled, failed = stage.replies()
        figures[label] = (loop_seconds(run) / count, requests, throttled, failed)
    return figures


def seed_record(stage, count):
    """A last-applied record that already holds count entries of other tasks, as a busy controller's would."""
    directory = os.path.join(stage.env['HOME'], '.ansible', 'tencentcloud_trtc')
    os.makedirs(directory, exist_ok=True)
    key = '%s/|%d|other-%%06d' % (stage.url, APP)
    tasks = dict((key % number, {'stream_url': 'https://cdn.example.com/live/%d.flv' % number, 'volume': 80,
                                 'paused': False, 'applied_at': '2026-11-25T00:00:00Z'}) for number in range(count))
    with open(os.path.join(directory, 'last_applied.json'), 'w') as handle:
        json.dump({'version': 1, 'tasks': tasks}, handle)


def bench_list(stage, count, record_entries=0):
    task_ids = ['list-%03d' % number for number in range(count)]
    stage.reset(task_ids)
    if record_entries:
        seed_record(stage, record_entries)
    entries = json.dumps([{'task_id': task_id} for task_id in task_ids])
    seconds, run = stage.playbook(LIST_PLAYBOOK % dict(count=count, app=APP, tasks=entries))
    requests, throttled, failed = stage.replies()
    return dict(seconds=seconds, requests=requests, throttled=throttled, failed=failed + (run.returncode != 0))


def bench_relays(stage, starts, updates):
    """One list-form run starting `starts` relays and updating `updates` running tasks."""
    task_ids = ['mixed-%03d' % number for number in range(updates)]
    stage.reset(task_ids)
    entries = [{'user_id': 'relay-%03d' % number} for number in range(starts)]
    entries += [{'task_id': task_id} for task_id in task_ids]
    seconds, run = stage.playbook(RELAYS_PLAYBOOK % dict(count=len(entries), app=APP, tasks=json.dumps(entries)))
    requests, throttled, failed = stage.replies()
    by_action = {}
    for entry in stage.control('state')['requests']:
        by_action[entry['action']] = by_action.get(entry['action'], 0) + 1
    return dict(seconds=seconds, requests=requests, throttled=throttled, failed=failed + (run.returncode != 0),
                by_action=by_action)


def start_redis(work_dir):
    """A real redis-server on a free loopback port with a password, or None when none is installed."""
    server = shutil.which('redis-server')
    if not server:
        return None, None
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        port = sock.getsockname()[1]
    password = 'benchmark-store-password-not-real'
    process = subprocess.Popen([server, '--port', str(port), '--bind', '127.0.0.1', '--requirepass', password,
                                '--save', '', '--appendonly', 'no', '--dir', work_dir],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for dummy in range(100):
        try:
            socket.create_connection(('127.0.0.1', port), timeout=0.5).close()
            return process, 'redis://:%s@127.0.0.1:%d/0' % (password, port)
        except OSError:
            time.sleep(0.05)
    process.kill()
    return None, None


def most_in_one_second(requests, action='UpdateStreamIngest'):
    times = sorted(entry['time'] for entry in requests if entry['action'] == action)
    return max([len([later for later in times[index:] if later < start + 1.0]) for index, start in enumerate(times)]
               or [0])


def shares(total, controllers):
    """The updates of each controller when total are split among them as evenly as may be."""
    return [total // controllers + (1 if controller < total % controllers else 0) for controller in range(controllers)]


def bench_controllers(stage, controllers, total):
    """Several controllers (each its own HOME and ansible-playbook) at once through one Redis store, total updates
    among them."""
    server, url = start_redis(stage.work_dir)
    if server is None:
        return None
    try:
        counts = shares(total, controllers)
        names = ['c%d-%02d' % (controller, number) for controller in range(controllers)
                 for number in range(counts[controller])]
        stage.reset(names)
        runs = []
        started = time.monotonic()
        for controller in range(controllers):
            home = os.path.join(stage.work_dir, 'controller-%d' % controller)
            # A new store each time: a controller's notes of the last one would say this one lost its data.
            shutil.rmtree(home, ignore_errors=True)
            os.makedirs(home)
            path = os.path.join(home, 'playbook.yml')
            entries = json.dumps([{'task_id': 'c%d-%02d' % (controller, number)}
                                  for number in range(counts[controller])])
            with open(path, 'w') as handle:
                handle.write(LIST_PLAYBOOK % dict(count=counts[controller], app=APP, tasks=entries))
            env = dict(stage.env, HOME=home, TENCENTCLOUD_TRTC_RECORD_STORE=url)
            runs.append(subprocess.Popen(['ansible-playbook', path], env=env, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.STDOUT))
        failed = sum(1 for run in runs if run.wait() != 0)
        seconds = time.monotonic() - started
        requests = stage.control('state')['requests']
        throttled = sum(1 for entry in requests if (entry.get('code') or '').startswith('RequestLimitExceeded'))
        return dict(seconds=seconds, requests=len(requests), throttled=throttled, failed=failed,
                    most=most_in_one_second(requests))
    finally:
        server.terminate()
        server.wait()


def by_arrivals(stage, action='UpdateStreamIngest'):
    """The figures of action's requests as the service saw them: the span of the arrivals it took in against the
    floor ((n - 1) / RATE), their pace, the throttled replies and their share, and the most arrivals (throttled ones
    included) within any second."""
    requests = [entry for entry in stage.control('state')['requests'] if entry['action'] == action]
    taken = sorted(entry['time'] for entry in requests
                   if not (entry.get('code') or '').startswith('RequestLimitExceeded'))
    throttled = len(requests) - len(taken)
    ratio = (taken[-1] - taken[0]) / ((len(taken) - 1) / float(RATE)) if len(taken) > 1 else float('nan')
    return dict(ratio=ratio, pace=pace(taken), throttled=throttled, share=100.0 * throttled / max(len(requests), 1),
                most=most_in_one_second(requests, action))


def pace(times):
    """The mean time from each arrival to the RATE-th after it: how long RATE requests take once under way, which the
    ratio to the floor flatters when arrivals come in bunches (the last bunch counts only its own spread)."""
    spans = [later - earlier for earlier, later in zip(times, times[RATE:])]
    return sum(spans) / len(spans) if spans else float('nan')


def bench_loop_on_controller(stage, count):
    """(seconds per item, figures by arrivals) of a loop of count updates, one task each, inside the controller."""
    stage.reset(['loop-task'])
    dummy, run = stage.playbook(LOOP_PLAYBOOK % dict(task=MODULE_TASK, count=count))
    return loop_seconds(run) / count, by_arrivals(stage)


def bench_distance(emulator_script, work_dir, latency_ms, jitter_ms, tasks, full):
    """The list form at one distance (and, when full, Starts, a loop and three controllers through one store)."""
    stage = Stage(emulator_script, work_dir, latency_ms, jitter_ms)
    try:
        figures = dict(listed=dict(bench_list(stage, tasks), **by_arrivals(stage)))
        if full:
            started = bench_relays(stage, tasks, 0)
            figures.update(started=dict(started, **by_arrivals(stage, 'StartStreamIngest')),
                           loop=bench_loop_on_controller(stage, 20))
            controllers = bench_controllers(stage, 3, tasks)
            if controllers is not None:
                figures.update(controllers=dict(controllers, **by_arrivals(stage)))
        return figures
    finally:
        stage.stop()


def print_distances(distances, tasks):
    print('\n6. the service at a distance (emulator --latency, --jitter; each figure judged by the arrivals at the '
          'service: their span against the floor, (n - 1) / %d s)' % RATE)
    for (latency_ms, jitter_ms), figures in distances:
        listed = figures['listed']
        print('   %3d ms +- %2d ms one way: %d updates through the list form: ratio %.2f (pace %.2f s per %d), '
              'throttled %d (%.1f%%), most in any second %d, failures %d (wall time %.2f s)'
              % (latency_ms, jitter_ms, tasks, listed['ratio'], listed['pace'], RATE, listed['throttled'],
                 listed['share'], listed['most'], listed['failed'], listed['seconds']))
        if 'started' in figures:
            started = figures['started']
            print('      %d relays started: ratio %.2f (pace %.2f s per %d), throttled %d (%.1f%%), most in any second '
                  '%d, failures %d' % (tasks, started['ratio'], started['pace'], RATE, started['throttled'],
                                       started['share'], started['most'], started['failed']))
            seconds, loop = figures['loop']
            print('      a loop of 20 single updates on the controller: %.3f s per update (a round trip is about '
                  '%.2f s), throttled %d, most in any second %d'
                  % (seconds, 2 * latency_ms / 1000.0, loop['throttled'], loop['most']))
        if 'controllers' in figures:
            controllers = figures['controllers']
            print('      three controllers at once, %d updates among them (%s), one Redis store: ratio %.2f (pace '
                  '%.2f s per %d), throttled %d (%.1f%%), most in any second %d, failed runs %d'
                  % (tasks, ', '.join(str(count) for count in shares(tasks, 3)), controllers['ratio'],
                     controllers['pace'], RATE, controllers['throttled'], controllers['share'], controllers['most'],
                     controllers['failed']))


def bench_hosts(stage, count):
    hosts = ['h%02d' % number for number in range(count)]
    stage.reset(['host-' + host for host in hosts])
    inventory = os.path.join(stage.work_dir, 'hosts.ini')
    with open(inventory, 'w') as handle:
        handle.write('[relays]\n%s\n[relays:vars]\nansible_connection=local\nansible_python_interpreter=%s\n'
                     % ('\n'.join(hosts), sys.executable))
    seconds, run = stage.playbook(HOSTS_PLAYBOOK, '-i', inventory, '--forks', str(count))
    requests, throttled, failed = stage.replies()
    return dict(seconds=seconds, requests=requests, throttled=throttled, failed=failed + (run.returncode != 0))


def module_peak_memory(stage):
    """Peak RSS (MiB) of one run of the module file as its own process, as on a remote host."""
    collections_root = os.environ['ANSIBLE_COLLECTIONS_PATH'].split(os.pathsep)[0]
    module = os.path.join(collections_root, 'ansible_collections', 'tencentcloud', 'trtc', 'plugins', 'modules',
                          'trtc_stream_ingest.py')
    stage.reset(['memory-task'])
    with tempfile.NamedTemporaryFile('w', suffix='.json', delete=False) as args:
        json.dump({'ANSIBLE_MODULE_ARGS': {'sdk_app_id': APP, 'task_id': 'memory-task', 'volume': 12}}, args)
    env = dict(stage.env, PYTHONPATH=collections_root)
    subprocess.run([sys.executable, module, args.name], env=env, check=True, stdout=subprocess.DEVNULL)
    os.unlink(args.name)
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--emulator', required=True)
    parser.add_argument('--work-dir', required=True)
    parser.add_argument('--loop', type=int, default=20)
    parser.add_argument('--tasks', type=int, default=200)
    parser.add_argument('--hosts', type=int, default=40)
    parser.add_argument('--record-entries', type=int, default=20000)
    parser.add_argument('--distances', default='0:0,50:15,130:40,300:40', metavar='MS:MS,...',
                        help='one-way latency:jitter in milliseconds of each distance measured (section 6); the '
                             'one of 130 ms also measures Starts, a loop and three controllers; "" for none')
    args = parser.parse_args()
    distances = [tuple(int(part) for part in pair.split(':')) for pair in args.distances.split(',') if pair]

    stage = Stage(args.emulator, args.work_dir)
    try:
        memory = module_peak_memory(stage)
        loop = bench_loop(stage, args.loop)
        listed = bench_list(stage, args.tasks)
        big_record = bench_list(stage, args.tasks, args.record_entries)
        started = bench_relays(stage, args.tasks, 0)
        mixed = bench_relays(stage, args.tasks // 2, args.tasks // 2)
        hosts = bench_hosts(stage, args.hosts)
        controllers = bench_controllers(stage, 3, 120)
    finally:
        stage.stop()
    at_distances = [((latency, jitter), bench_distance(args.emulator, args.work_dir, latency, jitter, args.tasks,
                                                       full=latency == 130)) for latency, jitter in distances]

    print('machine: %s, %d cores, Python %s' % (platform.machine(), os.cpu_count(), platform.python_version()))
    print('\n1. a loop of %d updates, wall time per update' % args.loop)
    tccli = loop['tccli through ansible.builtin.command'][0]
    for label, (seconds, requests, throttled, failed) in loop.items():
        print('   %-40s %7.3f s   %.2f x tccli   (%d requests, %d throttled, %d failed)'
              % (label, seconds, seconds / tccli, requests, throttled, failed))
    floor = listed['requests'] / float(RATE)
    print('\n2. %d tasks through the list form (one module run)' % args.tasks)
    print('   wall time %.2f s, API floor %.2f s (%d requests / %d per second), ratio %.2f'
          % (listed['seconds'], floor, listed['requests'], RATE, listed['seconds'] / floor))
    print('   throttled replies %d (%.1f%%), failures %d'
          % (listed['throttled'], 100.0 * listed['throttled'] / max(listed['requests'], 1), listed['failed']))
    print('   the same with %d other entries in the last-applied record: wall time %.2f s, ratio %.2f, '
          'throttled %d, failures %d' % (args.record_entries, big_record['seconds'],
                                         big_record['seconds'] / floor, big_record['throttled'], big_record['failed']))
    floor = started['by_action'].get('StartStreamIngest', 0) / float(RATE)
    print('\n2b. %d relays started through the list form (StartStreamIngest, with a UserSig each)' % args.tasks)
    print('   wall time %.2f s, API floor %.2f s, ratio %.2f, throttled replies %d, failures %d'
          % (started['seconds'], floor, started['seconds'] / floor, started['throttled'], started['failed']))
    floor = args.tasks // 2 / float(RATE)
    print('\n2c. one list-form run: %d Starts and %d Updates (each action has its own budget)'
          % (args.tasks // 2, args.tasks // 2))
    print('   wall time %.2f s, floor of one action\'s %d requests %.2f s, ratio %.2f, throttled %d, failures %d, %s'
          % (mixed['seconds'], args.tasks // 2, floor, mixed['seconds'] / floor, mixed['throttled'], mixed['failed'],
             ', '.join('%d %s' % (count, action) for action, count in sorted(mixed['by_action'].items()))))
    print('\n3. %d hosts, forks %d, one task each' % (args.hosts, args.hosts))
    print('   wall time %.2f s for %d requests, throttled replies %d (%.1f%%), failures %d'
          % (hosts['seconds'], hosts['requests'], hosts['throttled'],
             100.0 * hosts['throttled'] / max(hosts['requests'], 1), hosts['failed']))
    print('\n4. peak memory of one module run (its own process): %.1f MiB' % memory)
    if controllers is None:
        print('\n5. three controllers through one Redis store: skipped (no redis-server installed)')
    else:
        floor = 120 / float(RATE)
        print('\n5. three controllers at once, 40 updates each, through one Redis store (record_store)')
        print('   wall time %.2f s, floor of 120 requests %.2f s, ratio %.2f; throttled replies %d, most '
              'UpdateStreamIngest in any second %d, failed runs %d'
              % (controllers['seconds'], floor, controllers['seconds'] / floor, controllers['throttled'],
                 controllers['most'], controllers['failed']))

    if at_distances:
        print_distances(at_distances, args.tasks)


if __name__ == '__main__':
    main()
