"""The ``qualitas`` console script: Django's management commands with Qualitas' own on top.

qualitas demo            create the embedded database, load the demo organization once, serve
qualitas serve           serve on 127.0.0.1:8000 with an in-process worker (embedded use; see docs/deploy.md)
qualitas worker          run background tasks and the scheduler (production: any number of them)
qualitas jobs list|run K the scheduled jobs with their last and next run; run one now
qualitas migrate         apply database migrations
qualitas createadmin     create an organization administrator (and optionally the organization)
qualitas createoperator  create an installation operator (read-only /admin/)
qualitas axes_reset_username NAME   release a login lockout (axes_reset_ip ADDRESS, axes_reset: all)
qualitas audit verify    verify every organization's audit hash chain (exit 1 names the break)
qualitas audit checkpoint  sign every chain head and keep it outside the database
qualitas export ORG F    export one organization with attachments to a ZIP archive
qualitas import F        import such an archive into an empty database
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path


def _prepare_embedded_environment() -> None:
    """The embedded installation (SQLite in the per-user data directory, no QUALITAS_DATABASE_URL)
    runs without configuration: its secret key is generated once and kept in the data directory.
    A server installation (QUALITAS_DATABASE_URL set) must name its own key."""
    from platformdirs import user_data_dir

    os.environ.setdefault("QUALITAS_EMBEDDED", "1")
    data_dir = Path(os.environ.get("QUALITAS_DATA_DIR") or user_data_dir("qualitas", appauthor=False))
    data_dir.mkdir(parents=True, exist_ok=True)
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    os.environ.setdefault("QUALITAS_SECRET_KEY", key_file.read_text().strip())


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qualitas.settings")
    if args[:1] == ["demo"]:
        os.environ.setdefault("QUALITAS_DEMO", "1")
    if not os.environ.get("QUALITAS_SECRET_KEY") and not os.environ.get("QUALITAS_DATABASE_URL"):
        _prepare_embedded_environment()
    if not args:
        print(__doc__)
        args = ["help"]
    from django.core.exceptions import ImproperlyConfigured

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["qualitas", *args])
    except ImproperlyConfigured as exc:
        print(f"qualitas: configuration error: {exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
