"""The rule catalogue is one list: the ``rules`` command, the README and the findings JSON Schema
all name every code of it (PP504 and PP703 included)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from partnership_xl import cli
from partnership_xl.findings import CATALOGUE
from partnership_xl.rules import RULES
from partnership_xl.schemafiles import load_schema

README = Path(__file__).resolve().parents[1] / "README.md"


def _schema() -> dict:
    return load_schema("findings.schema.json")


def test_new_codes_are_in_the_catalogue_with_their_clause():
    assert (CATALOGUE["PP504"].severity.value, CATALOGUE["PP504"].policy) == ("error", "§5")
    assert (CATALOGUE["PP703"].severity.value, CATALOGUE["PP703"].policy) == ("warning", "§7")
    assert {"PP504", "PP703"} <= set(RULES)
    assert set(RULES) <= set(CATALOGUE)


def test_the_schema_accepts_exactly_the_catalogue_codes():
    assert _schema()["$defs"]["code"]["enum"] == list(CATALOGUE)


def test_the_readme_lists_every_code_with_its_finding():
    rows = dict(re.findall(r"^\| (PP\d{3}|DQ\d{3}) \|[^|]*\|[^|]*\| ([^|]+?) \|", README.read_text(encoding="utf-8"), re.M))
    assert rows == {code: rule.finding for code, rule in CATALOGUE.items()}


def test_rules_prints_the_new_codes(capsys):
    assert cli.main(["rules", "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "PP504  error    §5   Limited assurance: six-monthly reassessment overdue" in printed
    assert "PP703  warning  §7   Governance assurance Limited or none" in printed


def test_the_json_names_the_officer_s_own_heading(tmp_path):
    import jsonschema

    from .councils import AS_OF, outside_bodies

    register = outside_bodies(tmp_path / "ob.xlsx")
    out = tmp_path / "f.json"
    cli.main(["validate", str(register), "--no-workbook", "--json", str(out), "--as-of", AS_OF, "--quiet"])
    data = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(data, _schema())
    status = next(f for f in data["findings"] if f["code"] == "DQ005")
    assert (status["field"], status["column"]) == ("status", "Status")
    assert {f["column"] for f in data["findings"] if f["code"] == "DQ009"} >= {"Budget code", "Date of annual review"}
