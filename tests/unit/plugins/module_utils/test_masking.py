# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The collection's own no_log masking hides what ansible-core's remove_values() hid, the same way."""

from __future__ import annotations

import pytest

from ansible_collections.tencentcloud.trtc.plugins.module_utils._masking import masked

SECRETS = {'s3cret-value', 'abc', '4242'}


@pytest.mark.parametrize('value, expected', [
    ('s3cret-value', 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'),
    ('key=s3cret-value; and abc', 'key=********; and ********'),
    (b'raw s3cret-value', b'raw ********'),
    (4242, 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'),
    (142420, 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'),
    (17, 17),
    (1.5, 1.5),
    (True, True),
    (None, None),
    ({'abc': ['x', ('abc',), {'k': 'zabcz'}]}, {'abc': ['x', ['VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'], {'k': 'z********z'}]}),
    ({'abc', 'q'}, {'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER', 'q'}),
], ids=['whole', 'inside-text', 'bytes', 'number', 'number-holding-one', 'other-number', 'float', 'bool', 'none',
        'nested-keys-kept', 'set'])
def test_masked(value, expected):
    assert masked(value, SECRETS) == expected


def test_the_longest_secret_is_hidden_whole():
    """A secret that holds a shorter one leaves no piece of itself."""
    assert masked('token abc-and-more here', {'abc', 'abc-and-more'}) == 'token ******** here'


def test_nothing_to_hide_and_empty_values_change_nothing():
    value = {'a': 'text'}
    assert masked(value, set()) is value
    assert masked(value, {'', None}) is value


def test_a_value_of_an_unknown_type_is_refused_without_showing_it():
    with pytest.raises(TypeError) as raised:
        masked({'x': object()}, {'s3cret-value'})
    assert 'object' in str(raised.value) and 's3cret' not in str(raised.value)


def test_same_as_remove_values_where_ansible_core_still_has_it():
    """The oracle: ansible-core's remove_values() (deprecated in 2.22), on a result with nested secrets."""
    parameters = pytest.importorskip('ansible.module_utils.common.parameters')
    result = {'msg': 'failed for s3cret-value', 'n': 4242, 'ok': True, 'list': [{'t': 'abc'}, 'xabcx', 12],
              'none': None, 'nested': {'deep': ['s3cret-value and abc']}}
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        expected = parameters.remove_values(result, SECRETS)
    assert masked(result, SECRETS) == expected
