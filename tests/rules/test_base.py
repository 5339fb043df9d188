"""What a rule sees (Context) and declares (@needs, @points_at), and the helpers rules share."""

from __future__ import annotations

import pandas as pd
import pytest

from partnership_xl.config import Settings
from partnership_xl.rules import missing_columns
from partnership_xl.rules.base import Context, map_distinct, money, needs, needs_any, needs_one_of, points_at, targets


def _ctx(**cols) -> Context:
    index = pd.Index([5, 6], name="row")
    table = pd.DataFrame(cols, index=index)
    blank = pd.DataFrame({k: pd.Series(v, index=index).isna() for k, v in cols.items()}, index=index)
    return Context(table=table, blank=blank, settings=Settings(), as_of=pd.Timestamp("2026-11-25"))


def test_a_rule_declares_what_it_needs_and_where_it_points():
    @points_at("next_review", "last_review")
    @needs("last_review")
    @needs_any("benefits", "benefit_risk")
    @needs_one_of(("risk_likelihood", "risk_impact"), ("risk_rating",))
    def rule(ctx):
        raise AssertionError("not run")

    assert targets(rule) == ("next_review", "last_review")
    assert missing_columns(rule, {"last_review", "benefits", "risk_rating"}) == []
    assert missing_columns(rule, {"benefit_risk", "risk_likelihood"}) == [
        "last_review", "risk_likelihood and risk_impact or risk_rating"]
    assert missing_columns(rule, {"last_review", "risk_rating"}) == ["benefits or benefit_risk"]


def test_an_undecorated_function_points_nowhere():
    assert targets(lambda ctx: None) == ()


def test_context_answers_for_a_column_the_register_lacks():
    ctx = _ctx(status=["Active", None])
    assert ctx.has("status") and not ctx.has("end_date")
    assert ctx.col("end_date").isna().all() and ctx.is_blank("end_date").all()
    assert ctx.given("status").tolist() == [True, False]
    assert ctx.status_in("Active", "Closed").tolist() == [True, False]


def test_map_distinct_asks_once_per_distinct_value_and_says_false_for_a_blank():
    asked = []

    def func(v):
        asked.append(v)
        return v == "a"

    out = map_distinct(pd.Series(["a", "b", "a", None, "a"], index=range(2, 7)), func)
    assert out.tolist() == [True, False, True, False, True] and out.index.tolist() == list(range(2, 7))
    assert asked == ["a", "b"]


@pytest.mark.parametrize(("value", "text"), [(5000, "£5,000"), (5000.5, "£5,000.50"), (0, "£0")])
def test_money_is_shown_as_an_officer_writes_it(value, text):
    assert money(value) == text
