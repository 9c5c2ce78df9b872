#!/usr/bin/env bash
# ansible-lint's production profile over the example playbooks and every module's EXAMPLES
# (each EXAMPLES block is wrapped in a play of its own first).
# Usage: scripts/lint-examples.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_venv "$REPO_ROOT/tests/requirements-tools.txt"
copy_collection

lint_dir=$WORK_DIR/lint
rm -rf "$lint_dir"
mkdir -p "$lint_dir"
"$VENV/bin/python" - "$REPO_ROOT/plugins/modules" "$lint_dir" <<'PY'
import ast, pathlib, sys, textwrap
modules, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
for source in sorted(modules.glob('*.py')):
    tree = ast.parse(source.read_text())
    examples = next(node.value.value for node in tree.body if isinstance(node, ast.Assign)
                    and getattr(node.targets[0], 'id', None) == 'EXAMPLES')
    play = ('---\n- name: EXAMPLES of %s\n  hosts: localhost\n  gather_facts: false\n  tasks:\n%s'
            % (source.stem, textwrap.indent(examples.strip('\n') + '\n', '    ')))
    (out / ('examples_%s.yml' % source.stem)).write_text(play)
PY
cp "$REPO_ROOT"/examples/*.yml "$REPO_ROOT"/playbooks/*.yml "$lint_dir/"

log "ansible-lint --profile production on examples/ and the modules' EXAMPLES"
cd "$lint_dir" || exit 1
ANSIBLE_COLLECTIONS_PATH=$COLLECTION_ROOT ansible-lint --offline --profile production --project-dir "$lint_dir" ./*.yml
