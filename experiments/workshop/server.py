"""Start the dashboard's web server (Solara on uvicorn) in this process."""

from __future__ import annotations

import errno
import os
import socket
from pathlib import Path

from ..errors import SamenError

APP = "experiments.workshop.app"


def check_port(host: str, port: int) -> None:
    """SamenError unless ``host:port`` can be bound now (a clear message beats uvicorn's
    traceback when a second dashboard is started on the same port)."""
    if not 1 <= port <= 65535:
        raise SamenError(f"port {port} must be from 1 to 65535")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise SamenError(f"host {host!r} is not a usable address: {exc.strerror}") from None
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise SamenError(f"port {port} on {host} is in use; choose another port") from None
            raise SamenError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def serve(host: str, port: int, lang: str, store: Path, code: str) -> None:
    """Serve the dashboard until interrupted (blocks); ``code`` is the facilitator code."""
    import warnings

    os.environ["SAMEN_WORKSHOP_LANG"] = lang
    os.environ["SAMEN_WORKSHOP_STORE"] = str(store)
    os.environ["SAMEN_WORKSHOP_CODE"] = code
    # Solara warns on every page load from an address other than "localhost" (127.0.0.1, the
    # room's network) that a plain-http session cookie falls back to SameSite=Lax. That is
    # what a workshop on a local network wants; the warning only fills the facilitator's terminal.
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https", category=UserWarning)
    # No usage statistics and no version check: workshops run offline, on loopback.
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    from solara.__main__ import run as solara_run

    solara_run.main(args=[APP, "--host", host, "--port", str(port), "--production", "--no-open",
                          "--no-check-version", "--log-level-uvicorn", "warning"],
                    standalone_mode=False)
