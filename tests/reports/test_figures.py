"""reports/figures.py: the numbers and lists the reports show, from the check's findings and scores (never
re-judged). ``result`` is tests/reports/conftest.py's register, each partnership there for one reason."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from partnership_xl.findings import CATALOGUE, DECISION_NEEDED, Finding
from partnership_xl.reports import figures as fg
from tests.conftest import row

#: The rows of conftest's partnerships: P001 is row 2 ... P010 row 11.
ROW = {f"P{n:03d}": n + 1 for n in range(1, 11)}


@pytest.mark.parametrize(("value", "band"), [("High", "High"), ("Medium", "Medium"), ("Low", "Low"), ("high", "Not assessed"), (None, "Not assessed"),
                                             (pd.NA, "Not assessed"), (float("nan"), "Not assessed"), ("", "Not assessed"), (12, "Not assessed")])
def test_band_of(value, band):
    assert fg.band_of(value) == band


def test_a_field_the_register_has_is_its_typed_column_and_one_it_lacks_is_all_blank(result):
    assert fg.has_column(result, "status") and not fg.has_column(result, "assurance")
    status = fg.column(result, "status")
    assert list(status.index) == list(result.scores.index) and status[ROW["P006"]] == "Exiting"
    missing = fg.column(result, "assurance")
    assert list(missing.index) == list(result.scores.index) and missing.isna().all()


def test_rows_with_codes_are_in_register_order(result):
    assert fg.rows_with(result, "PP901", "PP501") == [ROW["P003"], ROW["P008"]]
    assert fg.rows_with(result, "PP204") == []
    assert fg.codes_by_row(result)[ROW["P002"]] == ["PP603", "PP702", "PP802"]  # catalogue order, once each


def test_ref_of_names_a_partnership_without_a_ref_by_its_row(result):
    scores = result.scores.copy()
    scores.loc[ROW["P004"], "ref"] = None
    blank = replace(result, scores=scores)
    assert fg.ref_of(result, ROW["P004"]) == "P004" and fg.ref_of(blank, ROW["P004"]) == "row 5"
    assert fg.ref_of(result, 999) == "row 999" and fg.name_of(result, 999) is None
    assert fg.name_of(result, ROW["P003"]) == "Welland Valley Partnership"


def test_benefit_flags_are_the_checks_claims_and_none_without_benefit_columns(result, run):
    flags = fg.benefit_flags(result)
    assert list(flags.columns) == ["External funding or investment", "Cashable savings or income", "Increased service quality",
                                   "Improved speed or throughput", "Risk mitigation"]
    assert not flags.loc[ROW["P009"]].any() and flags.loc[ROW["P001"]].sum() == 3
    benefit_headers = tuple(flags.columns)
    assert fg.benefit_flags(run([row()], drop=benefit_headers)) is None


def test_live_leaves_out_closed_partnerships(result):
    live = fg.live(result)
    assert not live[ROW["P007"]] and int(live.sum()) == 9


def test_the_risk_grid_counts_live_scored_partnerships_by_likelihood_and_impact(result):
    grid = fg.risk_grid(result)
    assert grid.recorded and grid.scale == 5 and len(grid.counts) == 25
    assert grid.refs == {(2, 3): ["P001", "P003", "P005", "P006", "P008", "P009", "P010"], (4, 5): ["P002"], (3, 3): ["P004"]}
    assert {k: v for k, v in grid.counts.items() if v} == {(2, 3): 7, (4, 5): 1, (3, 3): 1}  # P007 is closed
    assert grid.bands == result.matrix_bands() and grid.bands[(4, 5)] == "High"
    assert grid.not_assessed == [] and grid.rated == {}


def test_the_opportunity_grid_lists_who_is_not_assessed(result, run):
    grid = fg.risk_grid(result, "opp")
    assert grid.refs == {(3, 3): ["P001", "P003", "P004", "P005", "P006", "P008", "P010"], (4, 4): ["P002"]}
    assert grid.not_assessed == ["P009"]
    without = run([row()], drop=("Opportunity likelihood (1-5)", "Opportunity impact (1-5)"))
    assert not fg.opportunities_recorded(without) and fg.risk_grid(without, "opp").recorded is False


def test_a_partnership_rated_in_one_word_is_listed_beside_the_grid(run):
    headers = [h for h in row() if h not in ("Risk likelihood (1-5)", "Risk impact (1-5)")] + ["Risk rating"]
    result = run([{**row(ref="P001"), "Risk rating": "High"}, {**row(ref="P002"), "Risk rating": None}], headers=headers)
    grid = fg.risk_grid(result)
    assert grid.rated == {"High": ["P001"]} and grid.not_assessed == ["P002"] and sum(grid.counts.values()) == 0


def test_the_review_list_is_the_review_findings_overdue_first(result):
    reviews = fg.review_list(result)
    assert list(zip(reviews["review"], reviews["ref"], reviews["code"], strict=True)) == [
        ("Overdue", "P003", "PP501"), ("Never reviewed", "P004", "PP502"), ("Due soon", "P005", "PP503")]
    assert reviews.loc[0, "message"] == next(f.message for f in result.findings if f.code == "PP501")
    assert reviews.loc[0, "service_area"] == "Environment"


def test_the_exit_list_says_why_each_partnership_is_on_it(result):
    exits = fg.exit_list(result)
    assert list(zip(exits["why"], exits["ref"], exits["codes"], strict=True)) == [
        ("Exiting", "P006", ""), ("Closed in the last 12 months", "P007", ""), ("Past end date (PP901)", "P008", "PP901")]
    assert exits.loc[0, "exit_decided_by"] == "Corporate Management Team"


def test_a_field_the_register_lacks_is_not_recorded_in_the_lists(run):
    from partnership_xl.reports.cells import NOT_RECORDED

    result = run([row(status="Exiting")], drop=("Exit decided by",))
    assert fg.exit_list(result).loc[0, "exit_decided_by"] == NOT_RECORDED


def test_the_finding_list_is_worst_first_then_in_register_order(result):
    findings = fg.finding_list(result)
    assert list(findings.columns) == fg.FINDING_COLUMNS
    assert list(zip(findings["severity"], findings["code"], strict=True)) == [
        ("error", "PP603"), ("error", "PP501"), ("error", "PP502"), ("error", "PP901"), ("error", "PP301"),
        ("warning", "PP702"), ("info", "PP802"), ("info", "PP503")]
    first = findings.iloc[0]
    assert (first["ref"], first["name"], first["column"], first["finding"]) == (
        "P002", "Leicestershire Revenues Partnership", "Approved by", CATALOGUE["PP603"].finding)


def test_decision_breaches_list_every_code_needing_a_decision_even_with_none(result):
    breaches = fg.decision_breaches(result)
    assert [b["code"] for b in breaches] == [c for c in CATALOGUE if c in DECISION_NEEDED]
    by_code = {b["code"]: b for b in breaches}
    assert (by_code["PP603"]["count"], by_code["PP603"]["refs"], by_code["PP603"]["clause"]) == (1, ["P002"], "Entering into a Partnership")
    assert by_code["PP801"]["count"] == 0 and by_code["PP801"]["decision"] == DECISION_NEEDED["PP801"]


def test_breaches_by_clause_are_the_policy_codes_that_fired_in_catalogue_order(result):
    dq = Finding("DQ003", "P001", "Register", "AG2", 2, "last_review", "Not a date")
    breaches = fg.breaches_by_clause(replace(result, findings=[*result.findings, dq]))
    assert [(b["policy"], b["code"], b["count"]) for b in breaches] == [
        ("§3", "PP301", 1), ("§5", "PP501", 1), ("§5", "PP502", 1), ("§5", "PP503", 1), ("§6", "PP603", 1), ("§7", "PP702", 1),
        ("§8", "PP802", 1), ("§9", "PP901", 1)]


def test_the_significant_list_says_why(result):
    significant = fg.significant_list(result)
    assert list(significant["ref"]) == ["P002", "P010"]
    assert list(significant["why"]) == ["contribution of £10,000 or more; high risk", "contribution of £10,000 or more"]
    assert list(significant["risk_band"]) == ["High", "Low"] and list(significant["rag"]) == ["Red", "Green"]
    nobody = replace(result, scores=result.scores.assign(significant=False))
    assert fg.significant_list(nobody).empty


# -- the Overview's sentence ---------------------------------------------------------------------------------

def figures(**changes) -> dict:
    base = {"partnerships": 12, "by_status": {"Active": 9}, "direct_contribution": 1234567.4, "rag": {"Red": 3, "Amber": 4, "Green": 5},
            "reviews_overdue": 0, "never_reviewed": 0, "past_end_date": 0, "no_benefit": 0, "decision_breaches": 0}
    return {**base, **changes}


@pytest.mark.parametrize(("changes", "says"), [
    ({}, "12 partnerships on the register, 9 of them active, with direct contributions of £1,234,567 a year. 3 are rated Red, 4 Amber and 5 Green. "
         "No review is overdue and no partnership is past its end date."),
    ({"partnerships": 1, "by_status": {}, "direct_contribution": None}, "1 partnership on the register, 0 of them active. "),
    ({"reviews_overdue": 1, "past_end_date": 2, "no_benefit": None}, "Needing attention: 1 review overdue, 2 past their end date."),
    ({"reviews_overdue": 2, "never_reviewed": 1, "past_end_date": 1, "no_benefit": 3},
     "Needing attention: 2 reviews overdue, 1 never reviewed, 1 past its end date, 3 with no benefit recorded."),
    ({"decision_breaches": 1}, "1 partnership has a policy breach needing a decision (listed below)."),
    ({"decision_breaches": 4}, "4 partnerships have a policy breach needing a decision (listed below)."),
])
def test_the_headline_sentence_says_the_figures_in_plain_words(changes, says):
    assert says in fg.headline_sentence(figures(**changes))


def test_the_headline_sentence_says_what_changed_since_last_year():
    since = {"added": 2, "removed": 1, "status_changed": 3, "risk_up": 4, "risk_down": 0}
    assert fg.headline_sentence(figures(), since).endswith(
        " Since last year: 2 added, 1 removed, 3 changed status; risk scores 4 up, 0 down.")
    assert "Since last year" not in fg.headline_sentence(figures())
