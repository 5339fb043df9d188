"""Registers laid out as other councils keep theirs, checked through the command line (issue 11).

Without a settings file the outside-bodies register gets a DQ009 suggestion for each heading
that clearly means a field, and no guessed mapping; ``init --from`` writes those aliases (and
the matrix size) into partnership-xl.toml beside it, and the next ``validate`` uses the file and
gets every finding the SPEC implies and no false alarm.
"""

from __future__ import annotations

import json
import tomllib
from datetime import date

import pandas as pd
import pytest

from partnership_xl import cli
from partnership_xl.config import Settings, load_settings, settings_from_dict
from partnership_xl.engine import check

from . import councils
from .councils import AS_OF


def _validate(register, tmp_path, *extra) -> tuple[int, dict]:
    out = tmp_path / "findings.json"
    rc = cli.main(["validate", str(register), "--no-workbook", "--json", str(out), "--as-of", AS_OF, "--quiet", *extra])
    return rc, json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture
def outside_bodies(tmp_path):
    folder = tmp_path / "Outside bodies"
    folder.mkdir()
    return councils.outside_bodies(folder / "Outside bodies register.xlsx")


def test_without_settings_each_heading_gets_a_suggestion_and_nothing_is_guessed(outside_bodies, tmp_path):
    rc, data = _validate(outside_bodies, tmp_path)
    assert rc == 1
    messages = {f["message"].split("'")[1]: f["message"] for f in data["findings"] if f["code"] == "DQ009"}
    assert set(messages) == set(councils.OUTSIDE_BODIES_SUGGESTED) | set(councils.OUTSIDE_BODIES_UNKNOWN)
    for heading, field in councils.OUTSIDE_BODIES_SUGGESTED.items():
        assert f'under [aliases] in partnership-xl.toml: "{heading}" = "{field}"' in messages[heading]
    for heading in councils.OUTSIDE_BODIES_UNKNOWN:
        assert "looks like" not in messages[heading]
    # no guessed mapping: the fields those headings mean are missing columns, their rules not checked
    missing = {f["field"] for f in data["findings"] if f["code"] == "DQ001"}
    assert missing == {"name", "purpose", "direct_contribution", "risks", "last_review"}
    assert {"PP501", "PP502", "PP504", "PP703"} <= set(data["summary"]["not_checked"])


def test_init_from_then_validate_finds_what_the_spec_implies(outside_bodies, tmp_path, capsys):
    assert cli.main(["init", "--from", str(outside_bodies), "--as-of", AS_OF]) == 0
    written = outside_bodies.parent / "partnership-xl.toml"
    printed = capsys.readouterr().out
    assert str(written) in printed and "Dormant" in printed
    text = written.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert data["aliases"] == councils.OUTSIDE_BODIES_SUGGESTED
    assert data["risk_scale"] == 4 and "low_max" not in data and "choices" not in data  # words stay commented out
    for heading in councils.OUTSIDE_BODIES_SUGGESTED:  # each alias has its comment saying which heading and why
        assert f"# From the register: column '{heading}' looks like" in text
    assert '# [choices.status]\n' in text and '# "Dormant" = "CHOOSE ONE: Proposed, Active, Under review, Exiting, Closed"' in text
    settings = load_settings(written)
    assert (settings.risk_scale, settings.low_max, settings.medium_max) == (4, 4, 8)

    rc, found = _validate(outside_bodies, tmp_path)
    assert rc == 1
    by_row = {(f["ref"], f["code"]) for f in found["findings"] if f["ref"]}
    assert by_row == councils.OUTSIDE_BODIES_AFTER_INIT
    sheet_level = sorted(f["message"].split("'")[1] for f in found["findings"] if not f["ref"])
    assert sheet_level == sorted(councils.OUTSIDE_BODIES_UNKNOWN)  # no DQ001 any more, no suggestion for these
    assert not {"PP501", "PP504", "PP703"} & set(found["summary"]["not_checked"])


def test_choosing_the_word_in_the_file_clears_its_finding(outside_bodies, tmp_path):
    assert cli.main(["init", "--from", str(outside_bodies), "--as-of", AS_OF, "--quiet"]) == 0
    written = outside_bodies.parent / "partnership-xl.toml"
    text = written.read_text(encoding="utf-8").replace(
        '# [choices.status]\n', '[choices.status]\n').replace(
        '# "Dormant" = "CHOOSE ONE: Proposed, Active, Under review, Exiting, Closed"', '"Dormant" = "Under review"')
    written.write_text(text, encoding="utf-8")
    _, found = _validate(outside_bodies, tmp_path)
    assert ("OB03", "DQ005") not in {(f["ref"], f["code"]) for f in found["findings"]}


def test_an_unchosen_word_uncommented_is_a_clear_error(outside_bodies, tmp_path, capsys):
    cli.main(["init", "--from", str(outside_bodies), "--as-of", AS_OF, "--quiet"])
    written = outside_bodies.parent / "partnership-xl.toml"
    written.write_text(written.read_text(encoding="utf-8").replace("# [choices.status]\n", "[choices.status]\n")
                       .replace('# "Dormant" = "CHOOSE', '"Dormant" = "CHOOSE'), encoding="utf-8")
    capsys.readouterr()
    rc = cli.main(["validate", str(outside_bodies), "--no-workbook", "--as-of", AS_OF])
    err = capsys.readouterr().err
    assert rc == 2 and "not a choice of status" in err and err.count("\n") == 1


def test_init_from_never_overwrites(outside_bodies, capsys):
    existing = outside_bodies.parent / "partnership-xl.toml"
    existing.write_text('council_name = "Melton Borough Council"\n', encoding="utf-8")
    assert cli.main(["init", "--from", str(outside_bodies)]) == 2
    err = capsys.readouterr().err
    assert "already exists" in err and "never overwritten" in err and err.count("\n") == 1
    assert existing.read_text(encoding="utf-8") == 'council_name = "Melton Borough Council"\n'


def test_init_from_a_missing_register_is_one_sentence(tmp_path, capsys):
    assert cli.main(["init", "--from", str(tmp_path / "nothere.xlsx")]) == 2
    assert "was not found" in capsys.readouterr().err
    assert not (tmp_path / "partnership-xl.toml").exists()


def test_a_one_word_rating_register_is_banded_by_its_rating(tmp_path):
    register = councils.one_word_rating(tmp_path / "rated.xlsx")
    result = check(register, Settings(), date.fromisoformat(AS_OF))
    assert not [f for f in result.findings if f.code == "DQ001"]  # no likelihood or impact column needed
    by_ref = result.scores.set_index("ref")
    for ref, (_, _, band, codes) in councils.ONE_WORD_ROWS.items():
        got = by_ref.loc[ref, "risk_band"]
        assert (got if isinstance(got, str) else None) == band, ref
        assert {f.code for f in result.findings if f.ref == ref} == codes, ref
        assert by_ref.loc[ref, "risk_score"] is pd.NA


def test_a_four_by_four_register_is_banded_by_its_own_scale(tmp_path):
    register = councils.four_by_four(tmp_path / "four.xlsx")
    as_of = date.fromisoformat(AS_OF)
    bands = check(register, settings_from_dict({"risk_scale": 4}), as_of).scores["risk_band"].value_counts().to_dict()
    assert bands == {"Low": 8, "Medium": 4, "High": 4}
    as_five = check(register, Settings(), as_of).scores["risk_band"].value_counts().to_dict()
    assert as_five == {"Low": 10, "Medium": 5, "High": 1}  # what it was read as before: the 5x5 bands


def test_init_from_a_four_by_four_register_sets_the_scale(tmp_path):
    register = councils.four_by_four(tmp_path / "four.xlsx")
    assert cli.main(["init", "--from", str(register), "--quiet"]) == 0
    data = tomllib.loads((tmp_path / "partnership-xl.toml").read_text(encoding="utf-8"))
    assert data["risk_scale"] == 4 and data["aliases"] == {}
    rc, found = _validate(register, tmp_path)
    high = {f["ref"] for f in found["findings"] if f["code"] == "PP802"}
    assert high == {"L3I3", "L3I4", "L4I3", "L4I4"}
