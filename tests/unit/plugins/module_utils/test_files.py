# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Small shared files: private directories, no link followed where another user could plant it, byte locks shared
with other processes, and files replaced whole."""

from __future__ import annotations

import errno
import fcntl
import os
import stat

import pytest

from ansible_collections.tencentcloud.trtc.plugins.module_utils._files import (
    RangeLocks, make_private_dirs, open_own_file, read_regular_file, replace_file, replaceable_problem,
    unsafe_directory_problem, unsafe_link_problem,
)


def mode_of(path):
    return stat.S_IMODE(os.lstat(str(path)).st_mode)


@pytest.fixture
def shared_dir(tmp_path):
    """A directory every user may write, as /tmp is (sticky bit or not, a link may be planted there)."""
    path = tmp_path / 'shared'
    path.mkdir()
    path.chmod(0o777)
    return path


def test_private_dirs_are_made_0700_with_their_missing_parents(tmp_path):
    make_private_dirs(str(tmp_path / 'a' / 'b' / 'c'))
    assert [mode_of(tmp_path / part) for part in ('a', 'a/b', 'a/b/c')] == [0o700] * 3
    make_private_dirs(str(tmp_path / 'a' / 'b' / 'c'))  # there already: nothing to do


def test_a_directory_every_user_may_write_is_not_safe(tmp_path, shared_dir):
    assert 'writable by every user' in unsafe_directory_problem(str(shared_dir))
    assert unsafe_directory_problem(str(tmp_path)) is None
    assert unsafe_directory_problem(str(tmp_path / 'absent')) is None


def test_a_directory_below_one_every_user_may_write_without_the_sticky_bit_is_replaceable(tmp_path, shared_dir):
    """Any level up: another user may rename shared/a away and put a directory of theirs in its place."""
    (shared_dir / 'a' / 'b').mkdir(parents=True)
    for below in ('a', 'a/b', 'a/b/not-made-yet'):
        problem = replaceable_problem(str(shared_dir / below))
        assert problem == ('the directory %s is writable by every user without the sticky bit: another user could '
                           'replace %s' % (shared_dir, shared_dir / below))
    shared_dir.chmod(0o1777)
    assert replaceable_problem(str(shared_dir / 'a' / 'b')) is None
    assert replaceable_problem(str(tmp_path / 'absent' / 'deeper')) is None


@pytest.mark.skipif(os.geteuid() != 0, reason='only root can give a directory to another user')
def test_another_users_directory_is_not_safe(tmp_path):
    theirs = tmp_path / 'theirs'
    theirs.mkdir()
    os.chown(str(theirs), 4242, 4242)
    assert 'belongs to another user (uid 4242)' in unsafe_directory_problem(str(theirs))


def test_a_link_is_followed_only_where_no_other_user_could_have_planted_it(tmp_path, shared_dir):
    target = tmp_path / 'target'
    target.mkdir()
    (tmp_path / 'mine').symlink_to(target)
    (shared_dir / 'planted').symlink_to(target)
    assert unsafe_link_problem(str(tmp_path / 'mine' / 'record.json')) is None
    problem = unsafe_link_problem(str(shared_dir / 'planted' / 'record.json'))
    assert problem.startswith('%s is a symbolic link in a directory that is not safe' % (shared_dir / 'planted'))


def test_a_file_is_never_opened_through_a_link(tmp_path):
    (tmp_path / 'real').write_text('x')
    (tmp_path / 'link').symlink_to(tmp_path / 'real')
    with pytest.raises(OSError, match='is a symbolic link, which is not followed') as caught:
        open_own_file(str(tmp_path / 'link'), os.O_RDONLY)
    assert caught.value.errno == errno.ELOOP


def test_only_regular_files_are_read(tmp_path):
    os.mkfifo(str(tmp_path / 'fifo'))  # a plain open would block
    with pytest.raises(OSError, match='is not a regular file'):
        read_regular_file(str(tmp_path / 'fifo'))
    with pytest.raises(OSError, match='is not a regular file'):
        read_regular_file(str(tmp_path))
    assert read_regular_file(str(tmp_path / 'absent')) is None
    (tmp_path / 'file').write_bytes(b'\x00' * 3 + b'content')
    assert read_regular_file(str(tmp_path / 'file')) == b'\x00\x00\x00content'


def test_a_file_is_replaced_whole_and_private(tmp_path):
    path = tmp_path / 'record.json'
    path.write_text('old')
    replace_file(str(path), b'new', durable=False)
    assert path.read_bytes() == b'new' and mode_of(path) == 0o600
    assert os.listdir(str(tmp_path)) == ['record.json']


def test_a_link_planted_at_the_temporary_name_is_removed_never_written_through(tmp_path):
    victim = tmp_path / 'victim'
    victim.write_text('keep me')
    (tmp_path / '.record.json.tmp').symlink_to(victim)
    replace_file(str(tmp_path / 'record.json'), b'new')
    assert victim.read_text() == 'keep me' and (tmp_path / 'record.json').read_bytes() == b'new'


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path):
    path = tmp_path / 'record.json'
    path.write_text('old')
    with pytest.raises(TypeError):
        replace_file(str(path), 'text, not bytes')
    assert path.read_text() == 'old' and os.listdir(str(tmp_path)) == ['record.json']


def test_nothing_is_written_in_a_directory_every_user_may_write(shared_dir):
    with pytest.raises(OSError, match='writable by every user') as caught:
        replace_file(str(shared_dir / 'record.json'), b'new')
    assert caught.value.errno == errno.EPERM and os.listdir(str(shared_dir)) == []


def other_process_may_lock(path, offset):
    """Whether another process can take the byte at offset of path right now (without waiting)."""
    pid = os.fork()
    if pid == 0:
        fd = os.open(path, os.O_RDWR)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, offset)
            os._exit(0)
        except OSError:
            os._exit(1)
    return os.waitpid(pid, 0)[1] == 0


def test_a_held_byte_is_held_for_other_processes_and_only_that_byte(tmp_path):
    path = str(tmp_path / 'locks' / 'record.lock')
    locks = RangeLocks.of(path)
    assert RangeLocks.of(path) is locks and mode_of(tmp_path / 'locks') == 0o700
    with locks.hold(5, wait_seconds=10):
        assert not other_process_may_lock(path, 5)
        assert other_process_may_lock(path, 6)
    assert other_process_may_lock(path, 5)
    RangeLocks.forget_all()
