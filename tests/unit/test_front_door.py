"""``from engine import ...``: the names a newcomer needs, each imported on first use, so
``import engine`` (and ``tadmur --help``) loads nothing heavy."""

from __future__ import annotations

import subprocess
import sys

import pytest

import engine


def test_import_engine_loads_neither_polars_nor_numba_nor_altair():
    code = (
        "import sys, engine; engine.__version__; "
        "print(sorted(m for m in ('polars', 'numba', 'altair', 'engine.domain') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("name", [n for n in engine.__all__ if n != "__version__"])
def test_every_public_name_is_there_when_asked_for(name):
    value = getattr(engine, name)
    module = engine._PUBLIC.get(name, f"engine.{name}")
    assert getattr(value, "__module__", getattr(value, "__name__", "")).startswith(module)


def test_the_names_listed_are_the_names_served():
    assert sorted(engine.__all__) == sorted([*engine._PUBLIC, *engine._SUBMODULES, "__version__"])
    assert set(engine.__all__) <= set(dir(engine))


def test_an_unknown_name_is_an_attribute_error_naming_it():
    with pytest.raises(AttributeError, match="module 'engine' has no attribute 'replay_logs'"):
        engine.replay_logs  # noqa: B018


def test_the_front_door_serves_the_same_objects_as_their_modules():
    from engine.domain.policy import Policy
    from engine.project import replay_log

    assert engine.Policy is Policy and engine.replay_log is replay_log
    from engine import charts, explore

    assert engine.timeline_chart is charts.timeline_chart and engine.Explorer is explore.Explorer
