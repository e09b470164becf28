"""One real-browser journey: Playwright drives Debian's Chromium (found on PATH; never a downloaded
browser) against `qualitas serve` running on a throwaway database: log in, open My tasks, create an
action, complete it, see it leave My tasks."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from qualitas.core.testing.databases import migrated_copy

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"
    ),
]
PASSWORD = "browser-test-password-1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _database_url(tmp: Path) -> tuple[str, str | None]:
    """SQLite file by default; a throwaway PostgreSQL database when the suite runs on PostgreSQL."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        return f"sqlite:///{tmp / 'browser.sqlite3'}", None
    import psycopg

    name = f"qualitas_browser_{uuid.uuid4().hex[:10]}"
    params = {
        "host": db.get("HOST") or "127.0.0.1",
        "port": db.get("PORT") or 5432,
        "user": db.get("USER"),
        "password": db.get("PASSWORD") or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    auth = db.get("USER") or "postgres"
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    return f"postgres://{auth}@{params['host']}:{params['port']}/{name}", name


def _drop_pg(name: str) -> None:
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    params = {
        "host": db.get("HOST") or "127.0.0.1",
        "port": db.get("PORT") or 5432,
        "user": db.get("USER"),
        "password": db.get("PASSWORD") or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def server(django_db_setup: None) -> Iterator[str]:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        url, pg_name = _database_url(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("QUALITAS_")}
        env.update(
            QUALITAS_DATABASE_URL=url,
            QUALITAS_SECRET_KEY="browser-test-" + "k" * 40,
            QUALITAS_DEBUG="1",
            QUALITAS_DATA_DIR=str(tmp),
            QUALITAS_MEDIA_DIR=str(tmp / "media"),
            QUALITAS_ADMIN_PASSWORD=PASSWORD,
            DJANGO_SETTINGS_MODULE="qualitas.settings",
        )
        cli = [sys.executable, "-m", "qualitas.cli"]
        try:
            if pg_name is None:
                migrated_copy(tmp / "browser.sqlite3")  # migrate then has nothing left to apply
            subprocess.run([*cli, "migrate", "-v0"], env=env, check=True, timeout=300)
            subprocess.run(
                [*cli, "createadmin", "--username", "maria", "--organization", "Browser Works"],
                env=env,
                check=True,
                timeout=120,
                capture_output=True,
            )
            port = _free_port()
            proc = subprocess.Popen(
                [*cli, "serve", f"127.0.0.1:{port}"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/health/", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            try:
                yield base
            finally:
                proc.terminate()
                proc.wait(timeout=20)
        finally:
            if pg_name:
                _drop_pg(pg_name)


def test_log_in_create_and_complete_an_action(server: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page()
        page.goto(server + "/")
        page.get_by_label("Username").fill("maria")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="My tasks")).to_be_visible()
        expect(page.get_by_text("Nothing owed today")).to_be_visible()

        page.get_by_role("link", name="Actions", exact=True).click()
        page.get_by_role("link", name="New action").click()
        page.get_by_label("Title").fill("Calibrate the height gauge")
        page.get_by_label("Owner").select_option(label="maria")
        page.get_by_label("Due date").fill("2030-06-30")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("heading", name="Calibrate the height gauge")).to_be_visible()

        page.get_by_role("link", name="My tasks", exact=True).click()
        expect(page.get_by_role("link", name="Calibrate the height gauge")).to_be_visible()
        page.get_by_role("link", name="Calibrate the height gauge").click()
        page.get_by_label("What was done").fill("Calibrated against gauge blocks; certificate attached.")
        page.get_by_role("button", name="Mark done").click()
        expect(page.get_by_text("Done", exact=True).first).to_be_visible()
        expect(page.get_by_text("action.complete")).to_be_visible()

        page.get_by_role("link", name="My tasks", exact=True).click()
        expect(page.get_by_text("Nothing owed today")).to_be_visible()
        browser.close()
