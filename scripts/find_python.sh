#!/usr/bin/env bash
# Prints a Python 3.12+ interpreter, or explains which one is missing and exits 1.
set -u
want=$(cat "$(dirname "$0")/../.python-version" 2>/dev/null || echo 3.12)
candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
command -v pyenv >/dev/null 2>&1 && candidates+=("$(pyenv root)/versions/$want/bin/python")
candidates+=("$HOME/.pyenv/versions/$want/bin/python" python3.13 python3.12 python3)
for ls in "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python; do [ -x "$ls" ] && candidates+=("$ls"); done
for py in "${candidates[@]}"; do
  if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
    command -v "$py"
    exit 0
  fi
done
echo "No Python 3.12 or newer found (Django 6.1 needs it). Install one, e.g. 'pyenv install $want', or set PYTHON=/path/to/python3.12." >&2
exit 1
