"""The command line: exit codes, the summary, the JSON, and documented options."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from partnership_xl import cli
from partnership_xl.findings import CATALOGUE
from partnership_xl.schemafiles import load_schema

from .conftest import row, write_register

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_register.xlsx"


def _schema() -> dict:
    return load_schema("findings.schema.json")


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
    (["--as-of", "next Friday"], "YYYY-MM-DD or DD/MM/YYYY"),  # 25/11/2026 is now a date (issue 14)
    (["--config", "missing.toml"], "missing.toml was not found"),
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
    assert set(sub.choices) == {"validate", "scrutiny", "risks", "report", "remind", "template", "rules", "init"}  # SPEC §6
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


@pytest.mark.parametrize("argv, fragment", [
    (["validate", "{reg}", "--bogus"], "'partnership-xl validate' does not take --bogus"),
    (["validate", "{reg}", "extra.xlsx"], "does not take extra.xlsx"),
    (["bogus", "{reg}"], "'bogus' is not a command"),
    ([], "needs a command"),
    (["scrutiny", "{reg}"], "'partnership-xl scrutiny' needs --out"),
    (["validate", "{reg}", "--as-of"], "--as-of needs a value"),
])
def test_usage_mistakes_are_one_plain_sentence_and_exit_2(tmp_path, capsys, argv, fragment):
    path = write_register(tmp_path / "r.xlsx", [row()])
    rc = cli.main([a.format(reg=path) for a in argv])
    captured = capsys.readouterr()
    lines = (captured.out + captured.err).strip().splitlines()
    assert rc == 2 and len(lines) == 1 and fragment in lines[0] and "usage:" not in lines[0]
    assert "--help" in lines[0] and sorted(p.name for p in tmp_path.iterdir()) == ["r.xlsx"]


def test_help_still_exits_0(capsys):
    assert cli.main(["validate", "--help"]) == 0
    assert "--no-workbook" in capsys.readouterr().out


@pytest.mark.parametrize("argv, what", [
    (["validate", "{reg}", "--out", "{tmp}/copy.xlsm"], "annotated copy"),
    (["validate", "{reg}", "--out", "{tmp}/copy"], "annotated copy"),
    (["scrutiny", "{reg}", "--out", "{tmp}/scrutiny.ods"], "scrutiny workbook"),
    (["risks", "{reg}", "--out", "{tmp}/risks.xls"], "risks workbook"),
    (["template", "--out", "{tmp}/blank.xlsm"], "template"),
])
def test_an_output_excel_would_not_open_is_refused(tmp_path, capsys, argv, what):
    """The workbooks are always .xlsx: written as copy.xlsm, Excel refuses to open them."""
    path = write_register(tmp_path / "r.xlsx", [row()])
    rc = cli.main([a.format(reg=path, tmp=tmp_path) for a in argv])
    err = capsys.readouterr().err
    assert rc == 2 and f"the {what} is always an Excel Workbook (.xlsx)" in err and len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.xlsx"]


def test_an_upper_case_xlsx_output_is_fine(tmp_path):
    path = write_register(tmp_path / "r.xlsx", [row()])
    assert cli.main(["validate", str(path), "--out", str(tmp_path / "COPY.XLSX"), "--quiet"]) == 0
    assert (tmp_path / "COPY.XLSX").is_file()


def test_the_previous_register_is_never_the_output(tmp_path, capsys):
    path = write_register(tmp_path / "r.xlsx", [row()])
    previous = write_register(tmp_path / "last year.xlsx", [row()])
    before = previous.read_bytes()
    rc = cli.main(["risks", str(path), "--out", str(tmp_path / "." / "last year.xlsx"), "--previous", str(previous)])
    err = capsys.readouterr().err
    assert rc == 2 and "is the previous register given with --previous" in err and previous.read_bytes() == before


@pytest.mark.parametrize("json_name", ["copy.xlsx", "./copy.xlsx", "r - checked 2026-11-25.xlsx"])
def test_the_json_never_overwrites_the_annotated_copy(tmp_path, capsys, monkeypatch, json_name):
    path = write_register(tmp_path / "r.xlsx", [row()])
    monkeypatch.chdir(tmp_path)
    out = ["--out", "copy.xlsx"] if json_name != "r - checked 2026-11-25.xlsx" else []
    rc = cli.main(["validate", str(path), *out, "--json", json_name, "--as-of", "2026-11-25"])
    err = capsys.readouterr().err
    assert rc == 2 and "is the annotated copy's own file" in err and len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.xlsx"]


@pytest.mark.parametrize("argv", [["rules"], ["init", "--out", "{tmp}/x.toml"], ["template", "--out", "{tmp}/t.xlsx"]])
def test_a_bad_as_of_is_refused_by_every_command(tmp_path, capsys, argv):
    rc = cli.main([a.format(tmp=tmp_path) for a in argv] + ["--as-of", "31/02/2026"])  # was 31/03/2026, now a date (issue 14)
    err = capsys.readouterr().err
    assert rc == 2 and "is not a date: write it as YYYY-MM-DD" in err and not list(tmp_path.iterdir())


@pytest.mark.parametrize("as_of", ["0001-01-01", "1899-12-31", "9999-12-31"])
def test_an_as_of_outside_excels_dates_is_one_sentence(tmp_path, capsys, as_of):
    """--as-of 0001-01-01 was "Something unexpected (ValueError: year 0 is out of range)"."""
    path = write_register(tmp_path / "r.xlsx", [row()])
    rc = cli.main(["validate", str(path), "--no-workbook", "--as-of", as_of])
    err = capsys.readouterr().err
    assert rc == 2 and "outside the dates Excel holds" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("command", ["scrutiny", "risks"])
def test_a_missing_previous_register_is_named_as_the_previous_one(tmp_path, capsys, command):
    """Was: "nothere.xlsx was not found", which read as if the register itself were missing."""
    path = write_register(tmp_path / "r.xlsx", [row()])
    rc = cli.main([command, str(path), "--out", str(tmp_path / "out.xlsx"), "--previous", str(tmp_path / "nothere.xlsx")])
    err = capsys.readouterr().err.strip()
    assert rc == 2 and len(err.splitlines()) == 1
    assert f"The --previous register {tmp_path / 'nothere.xlsx'} was not found: there is no file called nothere.xlsx" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.xlsx"]


def test_an_unusable_previous_register_is_named_as_the_previous_one(tmp_path, capsys):
    path = write_register(tmp_path / "r.xlsx", [row()])
    (tmp_path / "last year.xlsx").write_text("Ref,Name\n", encoding="utf-8")
    rc = cli.main(["risks", str(path), "--out", str(tmp_path / "out.xlsx"), "--previous", str(tmp_path / "last year.xlsx")])
    err = capsys.readouterr().err.strip()
    assert rc == 2 and err.startswith("partnership-xl: The --previous register cannot be used: last year.xlsx is not an Excel workbook")


@pytest.mark.parametrize("as_of", ["25/11/2026", "25.11.2026", "25-11-2026", "2026-11-25", " 25/11/2026 "])
def test_as_of_day_first_as_every_output_prints_dates(tmp_path, capsys, as_of):
    """Was: --as-of 25/11/2026 refused, though the summary itself prints 'as of 25/11/2026'."""
    path = write_register(tmp_path / "r.xlsx", [row()])
    assert cli.main(["validate", str(path), "--no-workbook", "--json", str(tmp_path / "f.json"), "--as-of", as_of]) == 0
    assert "as of 25/11/2026" in capsys.readouterr().out
    assert json.loads((tmp_path / "f.json").read_text(encoding="utf-8"))["as_of"] == "2026-11-25"


@pytest.mark.parametrize("as_of", ["11/25/2026", "31/02/2026", "25/11/26", "2026-11-25T10:00"])
def test_as_of_that_is_no_date_day_first(tmp_path, capsys, as_of):
    path = write_register(tmp_path / "r.xlsx", [row()])
    assert cli.main(["validate", str(path), "--no-workbook", "--as-of", as_of]) == 2
    assert "is not a date: write it as YYYY-MM-DD or DD/MM/YYYY" in capsys.readouterr().err


@pytest.mark.parametrize("typed, meant", [("--asof", "--as-of"), ("--as", "--as-of"), ("--jsn", "--json"), ("--no-workbok", "--no-workbook")])
def test_a_mistyped_option_gets_the_option_it_looks_like(tmp_path, capsys, typed, meant):
    """Was: no suggestion, and --as was silently taken as --as-of (argparse abbreviations)."""
    path = write_register(tmp_path / "r.xlsx", [row()])
    rc = cli.main(["validate", str(path), typed, "2026-11-25"] if typed != "--no-workbok" else ["validate", str(path), typed])
    err = capsys.readouterr().err.strip()
    assert rc == 2 and f"does not take {typed}" in err and f"(did you mean {meant}?)" in err and len(err.splitlines()) == 1


def test_an_option_like_no_other_gets_no_guess(tmp_path, capsys):
    path = write_register(tmp_path / "r.xlsx", [row()])
    assert cli.main(["validate", str(path), "--colour"]) == 2
    assert "did you mean" not in capsys.readouterr().err


@pytest.mark.parametrize("argv, option", [
    (["rules", "--as-of", "2026-11-25"], "--as-of"),
    (["rules", "--config", "{tmp}/x.toml"], "--config"),
    (["template", "--out", "{tmp}/t.xlsx", "--as-of", "2026-11-25"], "--as-of"),
    (["init", "--out", "{tmp}/x.toml", "--config", "{tmp}/other.toml"], "--config"),
])
def test_an_option_a_command_has_no_use_for_is_said_to_have_no_effect(tmp_path, capsys, argv, option):
    """SPEC §6: every command takes --config, --as-of and --quiet; where one changes nothing, the run says so."""
    rc = cli.main([a.format(tmp=tmp_path) for a in argv])
    captured = capsys.readouterr()
    assert rc == 0 and captured.err.strip() == captured.err.strip().splitlines()[0]
    assert f"note: {option} has no effect on '{argv[0]}'" in captured.err and option not in captured.out


def test_options_a_command_uses_get_no_note(tmp_path, capsys):
    (tmp_path / "s.toml").write_text("council_name = 'Harborough District Council'\n", encoding="utf-8")
    assert cli.main(["template", "--out", str(tmp_path / "t.xlsx"), "--config", str(tmp_path / "s.toml"), "--quiet"]) == 0
    assert cli.main(["rules", "--quiet"]) == 0
    assert capsys.readouterr().err == ""


def test_rules_speak_plain_words_not_the_spec(capsys):
    """Was: PP701 "fires when significant (SPEC §4) and governance blank"."""
    cli.main(["rules"])
    out = capsys.readouterr().out
    assert "SPEC" not in out and "significance_threshold" in out


def test_the_templates_guidance_speaks_plain_words_not_the_spec(tmp_path):
    import openpyxl

    assert cli.main(["template", "--out", str(tmp_path / "t.xlsx"), "--quiet"]) == 0
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    texts = [c.value for ws in book for r in ws.iter_rows() for c in r if isinstance(c.value, str)]
    assert any("significance_threshold" in t for t in texts) and not [t for t in texts if "SPEC" in t]
