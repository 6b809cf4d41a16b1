"""The engine is pure: importing it loads no Django (STYLE.md, "policies/evaluation/: the pure engine")."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parents[2]


def test_importing_the_engine_does_not_import_django():
    code = (
        "import sys\n"
        "import policies.evaluation, policies.evaluation.jsonapi, policies.evaluation.__main__\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(len(loaded))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT_DIR, capture_output=True, text=True, check=True, timeout=60)
    assert proc.stdout.strip() == "0"


def test_public_api_names():
    import policies.evaluation as engine

    for name in ("parse_policy", "PolicyParseError", "Policy", "Statement", "Request", "Decision", "evaluate",
                 "ALLOWED", "EXPLICIT_DENY", "IMPLICIT_DENY"):
        assert hasattr(engine, name), name
    assert (engine.ALLOWED, engine.EXPLICIT_DENY, engine.IMPLICIT_DENY) == ("allowed", "explicitDeny", "implicitDeny")
