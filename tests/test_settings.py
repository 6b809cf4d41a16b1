"""Settings come from the environment; production-like settings pass Django's deploy checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG", "SECURE", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_production_like_settings(tmp_path):
    result = run_manage(
        {"SECURE": "1", "SECRET_KEY": "x" * 20 + "-production-secret-key-" + "y" * 30, "ALLOWED_HOSTS": "iam.example.com", "DATA_DIR": str(tmp_path)},
        "check", "--deploy", "--fail-level", "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_secret_key_is_generated_once_into_the_data_folder(tmp_path):
    script = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = run_manage({"DATA_DIR": str(tmp_path)}, "shell", "--no-imports", "-c", script)
    second = run_manage({"DATA_DIR": str(tmp_path)}, "shell", "--no-imports", "-c", script)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == second.stdout.strip() == (tmp_path / ".secret_key").read_text().strip()
    assert len(first.stdout.strip()) >= 50


def test_redis_url_moves_cache_and_sessions_to_redis(tmp_path):
    script = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE)"
    result = run_manage({"DATA_DIR": str(tmp_path), "REDIS_URL": "redis://127.0.0.1:6379/0"}, "shell", "--no-imports", "-c", script)
    assert result.stdout.split() == ["django.core.cache.backends.redis.RedisCache", "django.contrib.sessions.backends.cache"]


def test_debug_is_off_unless_asked(tmp_path):
    script = "from django.conf import settings; print(settings.DEBUG)"
    assert run_manage({"DATA_DIR": str(tmp_path)}, "shell", "--no-imports", "-c", script).stdout.strip() == "False"
    assert run_manage({"DATA_DIR": str(tmp_path), "DEBUG": "1"}, "shell", "--no-imports", "-c", script).stdout.strip() == "True"
