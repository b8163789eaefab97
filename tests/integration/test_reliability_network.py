"""No command opens a network connection: the CLI runs under an audit hook that refuses
(and records) every connection or name lookup that is not loopback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.fuzz.harness import COMMITTED_LOG, NETWORK_GUARD, PROJECT, copy_log


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    """(env, attempts file) for subprocesses with networking denied."""
    folder = tmp_path_factory.mktemp("netguard")
    (folder / "sitecustomize.py").write_text(NETWORK_GUARD, "utf-8")
    attempts = folder / "attempts.log"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), str(PROJECT)]),
           "TADMUR_NET_LOG": str(attempts)}
    return env, attempts


def _run(env, *args, cwd=PROJECT):
    return subprocess.run([sys.executable, *args], check=False, capture_output=True, text=True,
                          env=env,
                          cwd=cwd, timeout=600)


def test_the_guard_itself_refuses_and_records_a_connection(guarded):
    env, attempts = guarded
    probe = ("import socket\n"
             "try:\n"
             "    socket.create_connection(('93.184.216.34', 80), timeout=2)\n"
             "except PermissionError as e:\n"
             "    print('refused', e)\n"
             "import urllib.request\n"
             "try:\n"
             "    urllib.request.urlopen('http://example.org', timeout=2)\n"
             "except Exception as e:\n"
             "    print('refused', type(e).__name__)\n"
             "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(); "
             "socket.create_connection(s.getsockname()); print('loopback ok')\n")
    run = _run(env, "-c", probe)
    assert run.stdout.count("refused") == 2 and "loopback ok" in run.stdout, run.stderr
    assert "93.184.216.34" in attempts.read_text() and "example.org" in attempts.read_text()
    attempts.unlink()


def test_no_command_touches_the_network(guarded, tmp_path):
    env, attempts = guarded
    root = copy_log(tmp_path / "events")
    article = tmp_path / "article.txt"
    # a text of its own: the seed's own bytes are registered already (refused as a twin)
    article.write_bytes((COMMITTED_LOG / "sources" / "001_7330fd54346dc119.txt").read_bytes()
                        + "\nنهاية\n".encode())
    cli = ["-m", "engine.cli"]
    commands = [
        ["verify", "--log", str(root)],
        ["verify", "--print-head", "--log", str(root)],
        ["log", "--log", str(root)],
        ["sites"],
        ["timeline", "--log", str(root), "--site", "palmyra"],
        ["timeline", "--log", str(root), "--format", "parquet", "--out", str(tmp_path / "t.pq")],
        ["repair", "--log", str(root)],
        ["extract", str(article), "--published", "2016-12-12"],
        ["ingest", str(article), "--published", "2016-12-12", "--doc-id", "net", "--log",
         str(root)],
        ["review", "--log", str(root)],
        ["chart", "palmyra", "--log", str(root), "--out", str(tmp_path / "p.html")],
        ["chart", "palmyra", "--log", str(root), "--out", str(tmp_path / "p.svg")],
        ["chart", "all", "--on", "2016-12-12", "--log", str(root), "--out",
         str(tmp_path / "m.png")],
    ]
    for args in commands:
        run = _run(env, *cli, *args)
        assert run.returncode == 0, (args, run.stderr[-2000:])
    assert not attempts.exists(), attempts.read_text()
