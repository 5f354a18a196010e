#!/usr/bin/env bash
# Set up the project's virtual environment in .venv: find a Python >= 3.12, create the
# venv, install the project with its test extra. Idempotent: when .venv exists and
# pyproject.toml has not changed since the last successful install, it returns at once.
#
# Python is searched in this order (the first that runs and is >= 3.12 wins):
#   $SAMEN_PYTHON, python3, python3.13, python3.12, python3.14, then pyenv's installed
#   versions ($PYENV_ROOT/versions/3.1[2-9]*/bin/python). pyenv shims are tried but a shim
#   that pyenv cannot resolve in this directory simply fails the check, so no
#   .python-version is needed (and none is shipped, so the user's pyenv setup is untouched).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
venv="$root/.venv"
stamp="$venv/.samen-installed"

die() { echo "bootstrap: error: $*" >&2; exit 1; }

is_suitable() {  # a runnable interpreter of version >= 3.12
    "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}

want_stamp() {  # what must match for the installed venv to count as up to date
    local py_version
    py_version=$("$venv/bin/python" -c 'import sys; print(sys.version.split()[0])' 2>/dev/null) || return 1
    printf '%s python-%s\n' "$(sha256sum pyproject.toml | cut -d' ' -f1)" "$py_version"
}

# Fast path: nothing changed since the last successful install.
if [ -x "$venv/bin/python" ] && is_suitable "$venv/bin/python" && [ -f "$stamp" ] \
    && [ "$(want_stamp)" = "$(cat "$stamp")" ]; then
    exit 0
fi

find_python() {
    local c
    for c in "${SAMEN_PYTHON:-}" python3 python3.13 python3.12 python3.14; do
        [ -n "$c" ] || continue
        if command -v "$c" >/dev/null 2>&1 && is_suitable "$c"; then command -v "$c"; return 0; fi
    done
    for c in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3; do
        if [ -x "$c" ] && is_suitable "$c"; then echo "$c"; return 0; fi
    done
    return 1
}

if [ -x "$venv/bin/python" ] && is_suitable "$venv/bin/python"; then
    echo "bootstrap: updating $venv (pyproject.toml changed or last install incomplete)"
else
    rm -rf "$venv"
    python=$(find_python) || die "no Python >= 3.12 found (tried \$SAMEN_PYTHON, python3, python3.13, python3.12, python3.14 and ~/.pyenv/versions); install one, or set SAMEN_PYTHON=/path/to/python3.12"
    # Debian ships venv and ensurepip separately (python3-venv); without them `-m venv` fails.
    if ! "$python" -c 'import venv, ensurepip' >/dev/null 2>&1; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            echo "bootstrap: $python lacks venv; installing python3-venv with apt-get"
            apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null \
                || die "apt-get install python3-venv failed"
        else
            die "$python cannot create virtual environments; run: sudo apt-get install python3-venv"
        fi
    fi
    echo "bootstrap: creating $venv with $python ($("$python" --version 2>&1))"
    "$python" -m venv "$venv" || { rm -rf "$venv"; die "could not create $venv with $python"; }
fi

"$venv/bin/python" -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
"$venv/bin/python" -m pip install --quiet -e ".[test]" || die "pip install -e \".[test]\" failed (see the messages above)"
want_stamp > "$stamp"
echo "bootstrap: ready ($("$venv/bin/python" --version 2>&1) in .venv)"
