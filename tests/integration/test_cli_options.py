"""The options every command shares (engine/cli/options.py): --site a b, --log on
`sites`, --min-confidence, one error format, and the explorer's "rebuild this view"
command read back by the CLI as the very policy the explorer replayed."""

from __future__ import annotations

import argparse
import datetime as dt
import fcntl
import os
import pty
import shlex
import struct
import subprocess
import sys
import termios

import pytest

from engine.cli import build_parser
from engine.cli.options import add_policy_arguments, policy_from_args
from engine.domain import Policy
from tests.integration.conftest import ROOT, tadmur

PLACES = "site_id,name_en,names_ar,kind,lat,lon\ntal_test,Tal Test,تلة الاختبار,hill,35.2,36.7\n"


def test_site_takes_several_ids_after_one_flag_as_after_several_flags():
    one_flag = tadmur("timeline", "--site", "palmyra", "t4_airbase")
    two_flags = tadmur("timeline", "--site", "palmyra", "--site", "t4_airbase")
    assert one_flag.returncode == 0, one_flag.stderr
    assert one_flag.stdout == two_flags.stdout
    sites = {line.split(",")[0] for line in one_flag.stdout.splitlines()[1:]}
    assert sites == {"palmyra", "t4_airbase"}


def test_sites_takes_log_and_lists_that_folders_own_places(tmp_path):
    (tmp_path / "places.csv").write_text(PLACES, encoding="utf-8")
    mine = tadmur("sites", "--log", str(tmp_path))
    shipped = tadmur("sites")
    assert mine.returncode == 0, mine.stderr
    assert mine.stdout.splitlines()[-1] == "tal_test,Tal Test,user_places,approximate"
    assert "tal_test" not in shipped.stdout
    assert mine.stdout.splitlines()[:-1] == shipped.stdout.splitlines()


def test_sites_lists_what_the_gazetteer_table_holds():
    from engine.reference import load_sites

    listed = tadmur("sites").stdout
    assert (
        listed
        == load_sites().select("site_id", "name_en", "region_id", "coord_quality").write_csv()
    )


@pytest.mark.parametrize(
    "command",
    [
        "timeline",
        "verify",
        "log",
        "sites",
        "repair",
        "demo",
        "chart",
        "explore",
        "explain",
        "extract",
        "ingest",
        "review",
        "claims import",
        "export",
        "import",
        "synth",
    ],
)
def test_every_command_that_touches_a_log_takes_log(command):
    parser = build_parser(command.split()[0])
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    chosen = sub.choices[command.split()[0]]
    if " " in command:
        inner = next(a for a in chosen._actions if isinstance(a, argparse._SubParsersAction))
        chosen = inner.choices[command.split()[1]]
    assert "--log" in chosen._option_string_actions, command


def test_min_confidence_reaches_the_policy_and_a_bad_one_is_refused():
    kept = tadmur(
        "timeline", "--site", "palmyra", "--min-confidence", "0.99", "--include-candidates"
    )
    assert kept.returncode == 0, kept.stderr
    bad = tadmur("timeline", "--min-confidence", "2")
    assert bad.returncode == 2
    assert bad.stderr.startswith("tadmur timeline: error: min_confidence must be in [0, 1]")
    assert "Hint:" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.parametrize(
    "args, start",
    [
        (
            ["timeline", "--site", "tadmor"],
            "tadmur timeline: error: unknown site id 'tadmor' (at --site). Hint:",
        ),
        (
            ["extract", "/no/such/article.txt", "--published", "2016-05-01"],
            "tadmur extract: error: ",
        ),
        (
            ["claims", "import", "/no/such.jsonl", "--log", "/no/such/log"],
            "tadmur claims import: error: ",
        ),
        (["review", "--log", "/no/such/log"], "tadmur review: error: "),
    ],
)
def test_every_refusal_has_one_format(args, start):
    done = tadmur(*args)
    assert done.returncode == 2 and done.stderr.startswith(start), done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Hint:" in done.stderr


def test_the_explorers_rebuild_command_gives_the_cli_the_explorers_policy():
    from engine.explore.explorer import chart_command

    policy = Policy(
        as_of_seq=40,
        known_by=dt.date(2016, 3, 21),
        distrust=frozenset({"sana", "amaq"}),
        include_denied=True,
        min_confidence=0.5,
        weights={"sohr": 2.0},
        mode="strict",
    )
    words = shlex.split(chart_command("palmyra", policy))
    parser = argparse.ArgumentParser()
    add_policy_arguments(parser)
    known, _ = parser.parse_known_args(words)
    assert policy_from_args(known) == policy


def test_synth_draws_a_progress_bar_on_a_terminal_and_none_in_a_pipe(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "engine.cli", "synth", "--claims", "3000", "--sites", "5"]
    piped = subprocess.run(
        [*command, "--log", str(tmp_path / "a")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert piped.returncode == 0 and "\r" not in piped.stderr and "line/s" not in piped.stderr
    main, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 100 columns
    with subprocess.Popen(
        [*command, "--log", str(tmp_path / "b")],
        stdout=subprocess.DEVNULL,
        stderr=terminal,
        env=env,
    ) as run:
        os.close(terminal)
        seen = b""
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
    os.close(main)
    assert run.returncode == 0
    assert b"synth" in seen and b"line" in seen and b"\r" in seen
    assert (tmp_path / "a" / "log.jsonl").read_bytes() == (
        tmp_path / "b" / "log.jsonl"
    ).read_bytes()


def test_extract_with_log_finds_that_folders_own_places(tmp_path):
    (tmp_path / "events").mkdir()
    (tmp_path / "events" / "places.csv").write_text(PLACES, encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text(
        "سيطرت فصائل المعارضة على تلة الاختبار بعد اشتباكات مع قوات النظام أمس.\n", encoding="utf-8"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("TADMUR_LOG", None)

    def extract(*more: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "engine.cli", "extract", str(article), *more]
        return subprocess.run(
            command, capture_output=True, text=True, env=env, timeout=300, check=False
        )

    without = extract("--published", "2016-05-01")
    found = extract("--published", "2016-05-01", "--log", str(tmp_path / "events"))
    assert found.returncode == 0, found.stderr
    assert '"site_id": "tal_test"' in found.stdout and "tal_test" not in without.stdout
