"""The command line: exit codes, the summary, the JSON, and documented options."""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from partnership_xl import cli
from partnership_xl.findings import CATALOGUE

from .conftest import row, write_register

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_register.xlsx"


def _schema() -> dict:
    return json.loads(resources.files("partnership_xl").joinpath("schemas/findings.schema.json").read_text(encoding="utf-8"))


def test_validate_sample_json_matches_schema(tmp_path, capsys):
    out = tmp_path / "findings.json"
    sample = tmp_path / SAMPLE.name
    shutil.copy2(SAMPLE, sample)
    rc = cli.main(["validate", str(sample), "--no-workbook", "--json", str(out), "--as-of", "2026-11-25"])
    assert rc == 1
    data = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(data, _schema())
    assert data["register"] == "sample_register.xlsx"
    assert data["as_of"] == "2026-11-25"
    assert data["summary"]["partnerships"] == 43
    assert data["summary"]["error"] == sum(f["severity"] == "error" for f in data["findings"])
    printed = capsys.readouterr().out
    assert "Partnerships checked: 43" in printed and "Worst rows:" in printed


def test_clean_register_exits_0(tmp_path, capsys):
    path = write_register(tmp_path / "clean.xlsx", [row(), row(ref="P002")])
    assert cli.main(["validate", str(path), "--no-workbook", "--as-of", "2026-11-25"]) == 0
    assert "Exit code 0" in capsys.readouterr().out


def test_register_with_no_data_rows_exits_0(tmp_path):
    path = write_register(tmp_path / "empty.xlsx", [])
    out = tmp_path / "f.json"
    assert cli.main(["validate", str(path), "--no-workbook", "--json", str(out), "--as-of", "2026-11-25"]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["summary"]["partnerships"] == 0 and data["findings"] == []


def test_quiet_prints_one_line(tmp_path, capsys):
    path = write_register(tmp_path / "r.xlsx", [row(last_review=None)])
    rc = cli.main(["validate", str(path), "--no-workbook", "--quiet", "--as-of", "2026-11-25"])
    lines = capsys.readouterr().out.strip().splitlines()
    assert rc == 1 and len(lines) == 1 and "1 partnerships, 1 errors" in lines[0]


@pytest.mark.parametrize("args, fragment", [
    (["--as-of", "25/11/2026"], "YYYY-MM-DD"),
    (["--config", "missing.toml"], "does not exist"),
])
def test_bad_options_exit_2_with_a_sentence(tmp_path, capsys, args, fragment):
    path = write_register(tmp_path / "r.xlsx", [row()])
    rc = cli.main(["validate", str(path), "--no-workbook", *[a if a != "missing.toml" else str(tmp_path / a) for a in args]])
    err = capsys.readouterr().err
    assert rc == 2 and fragment in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_unknown_config_key_exits_2(tmp_path, capsys):
    path = write_register(tmp_path / "r.xlsx", [row()])
    (tmp_path / "partnership-xl.toml").write_text("review_interval = 6\n", encoding="utf-8")
    assert cli.main(["validate", str(path), "--no-workbook"]) == 2
    assert "Unknown setting 'review_interval'" in capsys.readouterr().err


def test_config_beside_the_register_is_used(tmp_path):
    path = write_register(tmp_path / "r.xlsx", [row(direct_contribution=6000, budgeted="No", approved_by="Portfolio Holder")])
    out = tmp_path / "f.json"
    (tmp_path / "partnership-xl.toml").write_text("executive_threshold = 5000\n", encoding="utf-8")
    assert cli.main(["validate", str(path), "--no-workbook", "--json", str(out), "--as-of", "2026-11-25"]) == 1
    assert [f["code"] for f in json.loads(out.read_text(encoding="utf-8"))["findings"]] == ["PP603"]


def test_rules_lists_every_code(capsys):
    assert cli.main(["rules"]) == 0
    printed = capsys.readouterr().out
    for code, rule in CATALOGUE.items():
        assert code in printed and rule.finding in printed


def test_every_command_and_option_is_documented():
    parser = cli._parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert set(sub.choices) == {"validate", "scrutiny", "risks", "template", "rules", "init"}
    for name, p in sub.choices.items():
        assert p.description, name
        for action in p._actions:
            assert action.help, f"{name} {action.option_strings or action.dest} has no help"


def test_python_dash_m_runs(tmp_path):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "partnership_xl", "rules", "--quiet"], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0 and "PP501" in done.stdout


def test_reports_exit_like_validate(tmp_path, capsys):
    clean = write_register(tmp_path / "clean.xlsx", [row()])
    faulty = write_register(tmp_path / "faulty.xlsx", [row(lead_officer=None)])
    for command in ("scrutiny", "risks"):
        assert cli.main([command, str(clean), "--out", str(tmp_path / f"{command}-clean.xlsx"), "--as-of", "2026-11-25"]) == 0
        assert cli.main([command, str(faulty), "--out", str(tmp_path / f"{command}-faulty.xlsx"), "--as-of", "2026-11-25"]) == 1
        assert (tmp_path / f"{command}-faulty.xlsx").is_file()
