# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# The checks antsibull-nox runs for the collection, as configured in antsibull-nox.toml; scripts/test-all.sh
# runs them (nox -e extra-checks build-import-check), beside ansible-test in its own venvs.

import sys

import nox

try:
    import antsibull_nox
except ImportError:
    print("You need to install antsibull-nox in the same Python environment as nox.")
    sys.exit(1)


antsibull_nox.load_antsibull_nox_toml()


if __name__ == "__main__":
    nox.main()
