"""``tadmur explore``: serve the explorer alone as a local web app (Solara), offline, on
127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from engine.domain.errors import TadmurError

#: Solara's own telemetry and update checks would call out: off, the app runs offline.
OFFLINE_ENV = {
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    "SOLARA_TELEMETRY_SERVER_USER_ID": "0",
    "SOLARA_CHECK_VERSION": "False",
}


def explore_command(host: str, port: int) -> list[str]:
    """The Solara command line that serves ``engine.explore.app``."""
    return [sys.executable, "-m", "solara", "run", "engine.explore.app", "--host", host,
            "--port", str(port), "--no-open", "--production", "--log-level", "warning"]


def serve(log_dir: Path | None, port: int, host: str = "127.0.0.1", target: str = "palmyra") -> int:
    """Run the explorer's web app until interrupted; return its exit code."""
    try:
        import solara  # noqa: F401 - only checking it is installed
    except ImportError as exc:
        raise TadmurError(
            "the explorer's web app needs Solara, which is not installed",
            where="tadmur explore",
            hint="pip install -e '.[explore]' (or use the explorer in a notebook)",
        ) from exc
    env = dict(os.environ, **OFFLINE_ENV, TADMUR_EXPLORE_LOG=str(log_dir or ""),
               TADMUR_EXPLORE_TARGET=target)
    print(f"explorer on http://{host}:{port}/ (Ctrl-C stops it)", file=sys.stderr)
    try:
        return subprocess.call(explore_command(host, port), env=env)
    except KeyboardInterrupt:
        return 0
