# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The list form: many relays converged at once, each by the executor, paced by the client's rate limit."""

from __future__ import annotations

import concurrent.futures

from ansible_collections.tencentcloud.trtc.plugins.module_utils._executor import Executor
from ansible_collections.tencentcloud.trtc.plugins.module_utils._plan import (
    Target, desired_settings, unlisted_relays, unlisted_unknown_warning,
)
from ansible_collections.tencentcloud.trtc.plugins.module_utils._record import held

# Threads of the list form; the rate limit, not this, sets the pace.
MAX_WORKERS = 16


def target_of(client, sdk_app_id, spec):
    """The Target a spec (see _trtc_stream_ingest.task_specs) names: a relay by room and user, or a task by TaskId."""
    if spec.get('user_id') is not None:
        return Target(client.url, sdk_app_id, task_id=spec.get('task_id'), name=spec['name'])
    return Target(client.url, sdk_app_id, task_id=spec['task_id'])


def converge_one(executor, target, spec, state, check_mode):
    return executor.converge(target, state, desired_settings(spec), spec.get('start') or {}, spec.get('secrets'),
                             spec.get('force', False), spec.get('replace', False), check_mode)


def converge_many(client, record, sdk_app_id, specs, state, check_mode):
    """The outcome of each relay spec, in order.

    The service limits each action on its own, so relays about to be started and the others go in two lanes, each
    with its own threads: threads waiting for the budget of StartStreamIngest never hold back updates.
    """
    executor = Executor(client, record)
    targets = [target_of(client, sdk_app_id, spec) for spec in specs]
    if len(specs) == 1:
        return [converge_one(executor, targets[0], specs[0], state, check_mode)]
    lanes = {}
    for index, target in enumerate(targets):
        lanes.setdefault(lane_of(record, target), []).append(index)
    outcomes = [None] * len(specs)
    pools = [concurrent.futures.ThreadPoolExecutor(min(MAX_WORKERS, len(indexes))) for indexes in lanes.values()]
    try:
        futures = dict((pool.submit(converge_one, executor, targets[index], specs[index], state, check_mode), index)
                       for pool, indexes in zip(pools, lanes.values()) for index in indexes)
        for future in concurrent.futures.as_completed(futures):
            outcomes[futures[future]] = future.result()
    finally:
        for pool in pools:
            pool.shutdown(wait=True)
    return outcomes


def stop_unlisted(client, record, sdk_app_id, specs, check_mode):
    """exclusive=true, after the listed relays converged: (outcomes, warnings) of stopping the relays the record
    holds in the rooms the list names that it does not name (in check mode, what stopping them would do)."""
    relays, dummy = held(record.entries(), client.url, sdk_app_id)
    to_stop, unknown = unlisted_relays([spec['name'] for spec in specs], relays)
    warnings = [unlisted_unknown_warning(name) for name in unknown]
    if not to_stop:
        return [], warnings
    executor = Executor(client, record)
    targets = [Target(client.url, sdk_app_id, name=name) for name in to_stop]
    with concurrent.futures.ThreadPoolExecutor(min(MAX_WORKERS, len(targets))) as pool:
        futures = [pool.submit(executor.converge, target, 'absent', {}, check_mode=check_mode) for target in targets]
        return [future.result() for future in futures], warnings


def lane_of(record, target):
    """'start' for a relay named by room and user that the record does not know, else 'task'."""
    if not target.by_name:
        return 'task'
    return 'task' if record.entry(target.key).get('task_id') else 'start'


def list_result(outcomes, stopped=None):
    """The module result of the list form: one entry per relay (and, with exclusive=true, per relay stopped as not
    listed), a diff per change, failures named in msg."""
    result = dict(tasks=entries_of(outcomes))
    if stopped is not None:
        result['stopped'] = entries_of(stopped)
        outcomes = list(outcomes) + list(stopped)
    result.update(changed=any(outcome.changed for outcome in outcomes),
                  diff=[outcome.diff for outcome in outcomes if outcome.changed and outcome.diff])
    failed = [outcome for outcome in outcomes if outcome.error is not None]
    if failed:
        result['msg'] = '%d of %d relay tasks failed: %s' % (
            len(failed), len(outcomes), '; '.join(labelled(outcome) for outcome in failed))
    return result


def entries_of(outcomes):
    entries = []
    for outcome in outcomes:
        entry = outcome.result()
        entry.pop('diff', None)
        entry.pop('msg', None)
        entries.append(entry)
    return entries


def labelled(outcome):
    """A failure's message, naming its relay once (most messages of relays named by room and user start with it)."""
    message = str(outcome.error)
    return message if message.startswith(outcome.label) else '%s: %s' % (outcome.label, message)
