# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The docsite's environment variables: every variable the collection reads is on it, and nothing else."""

from __future__ import annotations

import os
import re

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
GUIDE = os.path.join(ROOT, 'docs', 'docsite', 'rst', 'guide_environment_variables.rst')
NAME = re.compile(r'''['"]((?:TENCENTCLOUD|TCCLI)_[A-Z0-9_]+)['"]''')


def variables_read():
    """The names of environment variables in the code of the plugins and the event source (string literals)."""
    found = set()
    for top in ('plugins', 'extensions'):
        for directory, dummy, files in os.walk(os.path.join(ROOT, top)):
            for name in files:
                if name.endswith('.py') and not directory.endswith('doc_fragments'):
                    with open(os.path.join(directory, name), encoding='utf-8') as handle:
                        found.update(NAME.findall(handle.read()))
    return found


def test_every_environment_variable_the_collection_reads_is_defined_on_the_docsite():
    with open(GUIDE, encoding='utf-8') as handle:
        defined = re.findall(r'^\.\. envvar:: (\S+)$', handle.read(), re.MULTILINE)
    with open(os.path.join(ROOT, 'docs', 'docsite', 'config.yml'), encoding='utf-8') as handle:
        declared = yaml.safe_load(handle)['envvar_directives']
    assert len(defined) == len(set(defined)), 'a variable is defined twice'
    assert sorted(defined) == sorted(variables_read())
    assert sorted(declared) == sorted(defined), 'docs/docsite/config.yml lists the variables the guide defines'
