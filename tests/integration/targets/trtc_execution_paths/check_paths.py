# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Reads an ansible-playbook -vvv log of playbooks/paths.yml: did each task run on the path its name says?

At -vvv, Ansible prints "Using module file .../plugins/modules/<module>.py" whenever it runs a module
in its own process; the action plugins print nothing of the kind when they run it inside the
controller. A task named "[in-controller] ..." must show no such line, one named "[module] ..." at
least one (with --all-module, every task must). Every such task must have run (not been skipped)
unless --may-skip names it. (The warnings are checked in the playbook: Ansible 2.19 shows a warning
once per run, however many tasks report it.)
"""

from __future__ import annotations

import argparse
import re
import sys

TASK_LINE = re.compile(r'^TASK \[(?P<name>.*)\] \**$')
MODULE_FILE = re.compile(r'Using module file \S*/plugins/modules/trtc_stream_ingest(_info)?\.py')
RAN = re.compile(r'^(ok|changed): \[')
PATHS = {'[in-controller]': 'in-controller', '[module]': 'module'}


def sections(lines):
    """(task name, its lines) for each TASK of the log."""
    name, body = None, []
    for line in lines:
        match = TASK_LINE.match(line)
        if match:
            if name is not None:
                yield name, body
            name, body = match.group('name'), []
        elif name is not None:
            body.append(line)
    if name is not None:
        yield name, body


def check(lines, all_module=False, may_skip=()):
    """Problems found, and one line per task saying which path ran it."""
    problems, report = [], []
    for name, body in sections(lines):
        expected = next((path for prefix, path in PATHS.items() if name.startswith(prefix)), None)
        if expected is None:
            continue
        if all_module:
            expected = 'module'
        if not any(RAN.match(line) for line in body):
            if any(word in name for word in may_skip):
                report.append('skipped        %s' % name)
                continue
            problems.append('%s: did not run' % name)
            continue
        ran = 'module' if any(MODULE_FILE.search(line) for line in body) else 'in-controller'
        report.append('%-14s %s' % (ran, name))
        if ran != expected:
            problems.append('%s: ran %s, expected %s' % (name, ran, expected))
    if not report:
        problems.append('no task of playbooks/paths.yml in the log')
    return problems, report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('log')
    parser.add_argument('--all-module', action='store_true', help='every task must run as a module')
    parser.add_argument('--may-skip', action='append', default=[], help='a word of the names of tasks that may be skipped')
    args = parser.parse_args(argv)
    with open(args.log) as handle:
        problems, report = check(handle.read().splitlines(), args.all_module, args.may_skip)
    print('\n'.join(report))
    for problem in problems:
        print('FAIL: %s' % problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
