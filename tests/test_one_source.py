"""Each fact is written once: the limits, the findings JSON, the same-file check."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from partnership_xl.config import HELP, Limits, Settings, settings_from_dict
from partnership_xl.workbook import sniff

PACKAGE = Path(__file__).resolve().parents[1] / "partnership_xl"


def test_the_settings_limits_are_the_safety_limits():
    assert sniff.Limits is Limits
    settable = [f.name for f in fields(Limits) if f.name != "max_rows"]
    assert Settings().limits() == Limits()
    for name in settable:
        assert getattr(Settings(), name) == getattr(Limits(), name) and name in HELP
    raised = settings_from_dict({name: 7 for name in settable}).limits()
    assert [getattr(raised, name) for name in settable] == [7] * len(settable) and raised.max_rows == Limits().max_rows


def test_only_outputs_asks_whether_two_paths_are_one_file():
    asking = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if "samefile" in p.read_text(encoding="utf-8"))
    assert asking == ["outputs.py"]


def test_only_the_model_turns_a_finding_into_json():
    building = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if '"severity": severity' in p.read_text(encoding="utf-8")
                      or "as_dict" in p.read_text(encoding="utf-8"))
    assert building == ["model.py"]
