"""The running product: a real Celery worker, deploy checks, migrations, the health check."""

import os
import re
import secrets
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from triangle.celery import app as celery_app
from triangle.tasks import HEARTBEAT_KEY, heartbeat

ROOT = Path(__file__).resolve().parent.parent


def _database_url() -> str:
    """The URL of the database this test runs against (the test database, not the dev one)."""
    s = connection.settings_dict
    auth = s["USER"] or ""
    if s["PASSWORD"]:
        auth += f":{s['PASSWORD']}"
    host = s["HOST"] or "127.0.0.1"
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgres://{auth}@{host}{port}/{s['NAME']}"


def _production_env(**extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env.update(
        DEBUG="0",
        TRIANGLE_TESTING="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="triangle.example.org",
        SITE_URL="https://triangle.example.org",
    )
    for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_COOKIES", "REQUIRE_MFA"):
        env.pop(name, None)
    env.update(extra)
    return env


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_executes_a_task_enqueued_after_commit(settings, tmp_path):
    queue = f"test-{uuid.uuid4().hex[:12]}"  # our own queue: no other worker can take the task
    cache.delete(HEARTBEAT_KEY)
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "TRIANGLE_TESTING": "1",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DATA_DIR": str(tmp_path),
    }
    log = (tmp_path / "worker.log").open("w+")
    worker = subprocess.Popen(  # noqa: S603
        [
            *(sys.executable, "-m", "celery", "-A", "triangle", "worker"),
            *("--pool=solo", "--loglevel=INFO", "-Q", queue),
            *("--without-mingle", "--without-gossip", "--without-heartbeat"),
            f"--hostname=test-{queue}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        with transaction.atomic():
            transaction.on_commit(lambda: heartbeat.apply_async(queue=queue))
            # Not sent before the commit: nothing may have run yet.
            assert cache.get(HEARTBEAT_KEY) is None

        deadline = time.monotonic() + 90
        while cache.get(HEARTBEAT_KEY) is None and time.monotonic() < deadline:
            assert worker.poll() is None, "the worker died"
            time.sleep(0.25)
        log.seek(0)
        output = log.read()
        assert cache.get(HEARTBEAT_KEY), f"the worker did not run the task:\n{output[-3000:]}"
    finally:
        celery_app.conf.task_always_eager = eager
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        log.close()
    log_text = (tmp_path / "worker.log").read_text()
    assert "heartbeat: worker and beat are running" in log_text


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(DATA_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    env = _production_env(DATA_DIR=str(tmp_path))
    env.pop("SECRET_KEY")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    except SystemExit as exc:
        pytest.fail(f"makemigrations --check found missing migrations (exit {exc.code})")


@pytest.mark.django_db
def test_health_check_answers_ok_without_login(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


def test_every_setting_from_the_environment_is_documented():
    source = (ROOT / "triangle" / "settings.py").read_text()
    names = set(re.findall(r"env_\w+\(\s*\"([A-Z0-9_]+)\"", source))
    assert "SECRET_KEY" in names
    env_example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    missing_example = sorted(n for n in names if f"{n}=" not in env_example)
    missing_readme = sorted(n for n in names if f"`{n}`" not in readme)
    assert not missing_example, f"not in .env.example: {missing_example}"
    assert not missing_readme, f"not in README.md (configuration table): {missing_readme}"


def test_compose_file_runs_exactly_one_beat_and_keeps_uploads_in_a_volume():
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "migrate", "web", "worker", "beat"} <= services.keys()
    assert services["beat"]["deploy"]["replicas"] == 1
    for name in ("web", "worker", "beat"):
        assert "healthcheck" in services[name], name
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
    assert "uploads:/data/uploads" in services["web"]["volumes"]
    assert {"pgdata", "uploads"} <= compose["volumes"].keys()
