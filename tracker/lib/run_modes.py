"""How `bin/run` runs the product on a laptop, and how `bin/run --dev` differs.

Product (the default): the production settings (DEBUG off, our own 404 and 500 pages,
whitenoise serving the collected static files, gunicorn), changed only where a laptop
differs from a server: plain HTTP on the loopback interface, so no redirect to HTTPS and
no Secure flag on cookies, which a browser would not send back over http://. Development
(`--dev`): DEBUG on, Django's own server with autoreload and its debug pages.

Plain code with no Django import, like tracker.lib.stack, which uses it.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Mapping
from pathlib import Path

LOCAL_HOSTS = "localhost,127.0.0.1,[::1]"
SECRET_KEY_FILE = "secret_key"
# Settings a laptop needs that production must not have; an operator's own value wins.
LOOPBACK_DEFAULTS = {
    "ALLOWED_HOSTS": LOCAL_HOSTS,
    "SECURE_SSL_REDIRECT": "false",  # there is no TLS on 127.0.0.1 to redirect to
    "SECURE_COOKIES": "false",  # a Secure cookie set over http:// may not come back: no admin login
}


def local_secret_key(data_dir: Path) -> str:
    """This machine's own secret key: made once, kept in the data folder, readable only by its
    owner. Not a constant in the code, so two clones never share sessions or signatures."""
    path = data_dir / SECRET_KEY_FILE
    try:
        key = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        key = ""
    if len(key) < 50:
        data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(key + "\n")
    return key


def children_env(env: Mapping[str, str], *, data_dir: Path, dev: bool) -> dict[str, str]:
    """The environment every child of the stack runs with. The mode decides DEBUG whatever
    the environment says; the rest of the environment is kept."""
    result = dict(env)
    if dev:
        result["DEBUG"] = "true"
        return result
    result["DEBUG"] = "false"
    for name, value in LOOPBACK_DEFAULTS.items():
        result.setdefault(name, value)
    if not result.get("SECRET_KEY"):
        result["SECRET_KEY"] = local_secret_key(data_dir)
    return result


def web_argv(base_dir: Path, port: int, *, dev: bool) -> list[str]:
    """The web server. Product: gunicorn, as in production (whitenoise serves the static
    files). Development: runserver with autoreload; the reloader's child stays in the group
    the supervisor stops, so Ctrl-C still stops it."""
    if dev:
        return [sys.executable, str(base_dir / "manage.py"), "runserver", f"127.0.0.1:{port}"]
    return [
        sys.executable, "-m", "gunicorn", "tracker.wsgi",
        "--bind", f"127.0.0.1:{port}",
        "--worker-class", "gthread", "--workers", "2", "--threads", "4",
        "--access-logfile", "-",
    ]  # fmt: skip
