"""A user's own places, as a user adds them: a CSV beside the log or in $TADMUR_PLACES."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = "سيطرت فصائل المعارضة على تلة الزنبقة بعد اشتباكات عنيفة مع قوات النظام أمس.\n"


def tadmur(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    return subprocess.run([sys.executable, "-m", "engine.cli", *map(str, args)], check=False,
                          capture_output=True, text=True, timeout=120, env=environment)


def test_an_unknown_hill_is_reported_then_found_once_the_user_adds_it(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    before = tadmur("extract", article, "--published", "2016-05-01", XDG_CACHE_HOME=str(tmp_path / "cache"))
    assert before.returncode == 0 and before.stdout == ""
    assert "تلة الزنبقة" in before.stderr and "not in the gazetteer" in before.stderr

    log = tmp_path / "events"
    log.mkdir()
    (log / "places.csv").write_text("site_id,name_en,names_ar,kind,lat,lon\n"
                                    "tal_zanbaqa,Tal al-Zanbaqa,تلة الزنبقة|تل الزنبقة,hill,35.2,36.7\n",
                                    encoding="utf-8")
    after = tadmur("extract", article, "--published", "2016-05-01", TADMUR_LOG=str(log),
                   XDG_CACHE_HOME=str(tmp_path / "cache"))
    assert after.returncode == 0, after.stderr
    assert '"site_id": "tal_zanbaqa"' in after.stdout or "tal_zanbaqa" in after.stdout
    listed = tadmur("sites", TADMUR_LOG=str(log))
    assert "tal_zanbaqa,Tal al-Zanbaqa,user_places" in listed.stdout


def test_a_bad_row_stops_with_the_file_the_line_and_a_hint(tmp_path):
    places = tmp_path / "mine.csv"
    places.write_text("site_id,name_en,names_ar,kind,lat,lon\nok_hill,x,تلة,hill,35.0,37.0\n"
                      "bad_hill,y,تلة ثانية,hill,north,37.0\n", encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    out = tadmur("extract", article, "--published", "2016-05-01", TADMUR_PLACES=str(places),
                 XDG_CACHE_HOME=str(tmp_path / "cache"))
    assert out.returncode == 2
    assert "lat 'north' is not a number" in out.stderr and "mine.csv, line 3" in out.stderr
    assert "Hint:" in out.stderr
