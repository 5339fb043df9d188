"""The column schema (SPEC §2.1, §3): DQ001 missing columns, DQ002–DQ006 on their cells."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl.utils import get_column_letter

from partnership_xl.findings import Severity
from tests.conftest import CLEAN, HEADER_OF, row


def cell(field: str, excel_row: int = 2) -> str:
    return f"{get_column_letter(list(CLEAN).index(HEADER_OF[field]) + 1)}{excel_row}"


def data_findings(run, **changes) -> set[tuple[str, str, str]]:
    """(code, cell, field) of the DQ002–DQ006 findings on a one-row register."""
    return {(f.code, f.cell, f.field) for f in run([row(**changes)]).findings if f.code in ("DQ002", "DQ003", "DQ004", "DQ005", "DQ006")}


@pytest.mark.parametrize("field", ["ref", "name", "arrangement", "purpose", "direct_contribution", "risks", "status"])
def test_dq002_required_value_blank(run, field):
    assert data_findings(run, **{field: None}) == {("DQ002", cell(field), field)}


@pytest.mark.parametrize("field", ["partners", "lead_officer", "risk_likelihood", "risk_impact", "last_review", "priority"])
def test_blanks_that_are_other_rules_to_report(run, field):
    assert not data_findings(run, **{field: None})


@pytest.mark.parametrize("value", [0, "0", "nil", "-", "£0"])
def test_direct_contribution_zero_is_allowed(run, value):
    assert not data_findings(run, direct_contribution=value)


@pytest.mark.parametrize("field, value", [
    ("last_review", "next spring"), ("start_date", "32/01/2020"), ("approval_date", "TBC"), ("end_date", "31/02/2030"),
])
def test_dq003_not_a_date(run, field, value):
    assert data_findings(run, **{field: value}) == {("DQ003", cell(field), field)}


@pytest.mark.parametrize("field, value", [
    ("direct_contribution", "lots"),
    ("direct_contribution", -500),
    ("direct_contribution", "-£500"),
    ("risk_likelihood", 0),
    ("risk_likelihood", 6),
    ("risk_likelihood", 2.5),
    ("risk_likelihood", "high"),
    ("risk_impact", 6),
    ("opp_impact", 0),
])
def test_dq004_not_a_number(run, field, value):
    assert data_findings(run, **{field: value}) == {("DQ004", cell(field), field)}


@pytest.mark.parametrize("field, value", [("risk_likelihood", 5), ("risk_likelihood", "3"), ("direct_contribution", "£5,605 + VAT"), ("direct_contribution", "5k")])
def test_valid_numbers_pass(run, field, value):
    assert not data_findings(run, **{field: value})


@pytest.mark.parametrize("field, value", [
    ("arrangement", "Banana"), ("approved_by", "Bob"), ("status", "Dormant"), ("exit_reason", "Bored"),
    ("council_role", "Sponsor"), ("budgeted", "maybe"), ("statutory", "perhaps"), ("benefit_risk", "sort of"),
])
def test_dq005_not_an_allowed_value(run, field, value):
    assert data_findings(run, **{field: value}) == {("DQ005", cell(field), field)}


@pytest.mark.parametrize("field, value", [("approved_by", "cabinet"), ("arrangement", "shared-service"), ("budgeted", "✓"), ("budgeted", "FALSE")])
def test_choices_and_yes_no_that_match(run, field, value):
    assert not data_findings(run, **{field: value})


@pytest.mark.parametrize("refs, flagged", [
    (["P1", "P1"], {2, 3}),
    (["p1", "P1 "], {2, 3}),
    (["P1", "P2", "p1"], {2, 4}),
    (["P1", "P2", "P3"], set()),
    ([None, None], set()),  # blank refs are DQ002's
])
def test_dq006_every_repeat_of_a_ref_is_flagged(run, refs, flagged):
    result = run([row(ref=r) for r in refs])
    dq006 = [f for f in result.findings if f.code == "DQ006"]
    assert {f.row for f in dq006} == flagged
    assert all(f.cell == cell("ref", f.row) and f.severity is Severity.ERROR for f in dq006)


def test_dq_messages_quote_the_value_as_excel_shows_it(run):
    # a numeric ref 17 (read back as 17.0) and the text "17" are the same ref; messages say 17, not 17.0
    result = run([row(ref=17), row(ref="17"), row(ref="P3", budgeted=2), row(ref="P4", risk_likelihood=True)])
    messages = {(f.code, f.row): f.message for f in result.findings}
    assert "'17'" in messages[("DQ006", 2)] and "17.0" not in messages[("DQ006", 2)]
    assert "'2'" in messages[("DQ005", 4)]
    assert "'TRUE'" in messages[("DQ004", 5)]
    assert [f.ref for f in result.findings if f.code == "DQ006"] == ["17", "17"]


@pytest.mark.parametrize("header, field", [
    ("Ref", "ref"), ("Partnership name", "name"), ("Arrangement type", "arrangement"), ("Purpose", "purpose"),
    ("Direct contribution (£ a year)", "direct_contribution"), ("Key risks", "risks"), ("Status", "status"),
    ("Partner organisations", "partners"), ("Lead officer", "lead_officer"), ("Risk likelihood (1-5)", "risk_likelihood"),
    ("Risk impact (1-5)", "risk_impact"), ("Last reviewed", "last_review"),
])
def test_dq001_required_column_missing(run, header, field):
    dq001 = [f for f in run([row()], drop=(header,)).findings if f.code == "DQ001"]
    assert [(f.row, f.cell, f.field, f.ref, f.severity) for f in dq001] == [(1, "A1", field, "", Severity.ERROR)]


@pytest.mark.parametrize("header", ["Council priority", "Notes", "Start date", "Benefit description"])
def test_optional_column_missing_is_not_dq001(run, header):
    assert "DQ001" not in {f.code for f in run([row()], drop=(header,)).findings}


def test_clean_row_has_no_findings(run):
    result = run([row(), row(ref="P002", last_review=date(2026, 7, 1))])
    assert result.findings == []


def test_data_quality_findings_cite_the_register_clause(run):
    # SPEC §3 leaves the DQ rules' clause blank, but every finding names a clause: the DQ rules keep
    # the register's key information usable, which is §5 (the Partnership Register)
    result = run([row(ref="P1", start_date="sometime"), row(ref="P1", partners=None)])
    by_code = {d["code"]: d["policy"] for d in result.as_json()["findings"]}
    assert by_code["DQ003"] == "§5" and by_code["DQ006"] == "§5"
    assert by_code["PP204"] == "§2"


# --- The schema is the engine: one lazy pandera validation yields every failure as (code, row, column) ---

from datetime import date as _date  # noqa: E402

import pandas as pd  # noqa: E402

from partnership_xl.config import Settings  # noqa: E402
from partnership_xl.fields import all_fields, fields_by_name  # noqa: E402
from partnership_xl.rules import RULES, Context, Hit, targets  # noqa: E402
from partnership_xl.schema import Facts, Failure, RuleRun, build_schema, run_schema, unknown_key, validation_frame  # noqa: E402


def _facts(index, blank=None, unparsed=None, **extra):
    return Facts(pd.DataFrame(blank or {}, index=index, dtype=bool), pd.DataFrame(unparsed or {}, index=index, dtype=bool), **extra)


def test_one_validation_yields_column_cell_and_rule_failures_by_code():
    index = pd.Index([5, 6, 7], name="row")
    f = fields_by_name()
    present = [f["ref"], f["last_review"]]
    table = pd.DataFrame({"ref": ["P1", "p1", "P2"], "last_review": pd.to_datetime(["2020-01-01", "2026-01-01", None])}, index=index)
    facts = _facts(index, blank={"ref": [False, False, False], "last_review": [False, False, True]},
                   unparsed={"ref": [False] * 3, "last_review": [False, False, True]},
                   errors={unknown_key(9): pd.Series([False, True, False], index=index)})
    ctx = Context(table=table, blank=facts.blank, settings=Settings(), as_of=pd.Timestamp("2026-11-25"))
    rules = RuleRun(ctx, {"PP501": RULES["PP501"]})
    schema = build_schema(present, [unknown_key(9)], facts, rules)
    got = run_schema(validation_frame(table, present, [unknown_key(9)]), schema)
    assert set(got) == {
        Failure("DQ006", 5, "ref"), Failure("DQ006", 6, "ref"),  # P1 and p1: case ignored
        Failure("DQ003", 7, "last_review"),
        Failure("PP501", 5, "last_review"),
        Failure("DQ009", None, "#9"), Failure("DQ007", 6, "#9"),
        # the register's missing required columns, by pandera's own presence check
        *(Failure("DQ001", None, g.name) for g in all_fields() if g.name not in ("ref", "last_review") and g.needs_column({"ref", "last_review"})),
    }


def test_every_check_in_the_schema_is_named_by_a_catalogue_code():
    from partnership_xl.findings import CATALOGUE

    index = pd.Index([2], name="row")
    present = list(all_fields())
    facts = _facts(index, blank={g.name: [True] for g in present}, unparsed={g.name: [True] for g in present})
    schema = build_schema(present, [unknown_key(60)], facts, None)
    names = {c.name for col in schema.columns.values() for c in col.checks}
    assert names and names <= set(CATALOGUE)


def test_a_rule_is_a_check_on_each_column_it_points_at():
    index = pd.Index([2], name="row")
    present = list(all_fields())
    facts = _facts(index, blank={g.name: [False] for g in present}, unparsed={g.name: [False] for g in present})
    ctx = Context(table=pd.DataFrame(index=index), blank=facts.blank, settings=Settings(), as_of=pd.Timestamp("2026-11-25"))
    schema = build_schema(present, [], facts, RuleRun(ctx, dict(RULES)))
    for code, func in RULES.items():
        on = {name for name, col in schema.columns.items() if any(c.name == code for c in col.checks)}
        assert on == set(targets(func)), code


def test_every_rule_declares_the_register_fields_it_points_at():
    known = {g.name for g in all_fields()}
    for code, func in RULES.items():
        assert targets(func) and set(targets(func)) <= known, code


@pytest.mark.parametrize(("declared", "said"), [
    (("last_review",), "PP999 pointed at \\['notes'\\], which its @points_at does not name"),
    (("notes",), "PP999 pointed at \\['notes'\\], a column this register lacks"),
])
def test_a_rule_pointing_where_the_schema_has_no_check_is_a_programming_error_not_a_lost_finding(declared, said):
    index = pd.Index([2, 3], name="row")

    def stray(ctx):
        return Hit(pd.Series([True, False], index=index), "notes", "x")

    stray.points_at = declared
    ctx = Context(table=pd.DataFrame(index=index), blank=pd.DataFrame(index=index), settings=Settings(), as_of=pd.Timestamp(_date(2026, 11, 25)))
    with pytest.raises(RuntimeError, match=said):
        RuleRun(ctx, {"PP999": stray}).hit("PP999")
