"""fields.py: the register's fields as schemas/register.json defines them, and the comparable forms of a
heading and of a typed choice, so "Risk impact (1-5):" is the risk impact column and "on hold" is Under review."""

from __future__ import annotations

import pytest

from partnership_xl.fields import (
    BENEFIT_FIELDS,
    KINDS,
    alias_index,
    all_fields,
    choice_fields,
    choice_index,
    choice_key,
    column_required,
    council_choice_index,
    fields_by_name,
    header_key,
)


@pytest.mark.parametrize(("heading", "key"), [
    ("Last reviewed", "lastreviewed"),
    ("  LAST   Reviewed ", "lastreviewed"),
    ("Risk impact (1-5):", "riskimpact"),
    ("Direct contribution (£ a year) (2024):", "directcontribution"),
    ("Direct contribution £ a year", "directcontribution"),
    ("Aims & objectives", "aimsandobjectives"),
    ("Ref.", "ref"),
    ("Partner organisation(s)", "partnerorganisation"),
    ("Risk (score)", "risk"),
    ("Cost (£)", "cost"),
    (2024, "2024"),
])
def test_header_key_ignores_case_spacing_punctuation_and_bracketed_suffixes(heading, key):
    assert header_key(heading) == key


@pytest.mark.parametrize(("word", "key"), [("Under review", "underreview"), ("under-review", "underreview"), ("UNDER  REVIEW.", "underreview"),
                                           ("Tom & Jerry", "tomandjerry"), ("Y", "y"), (1, "1")])
def test_choice_key_ignores_case_spacing_and_punctuation(word, key):
    assert choice_key(word) == key


def test_every_field_has_a_name_a_header_and_a_known_kind():
    fields = all_fields()
    assert len({f.name for f in fields}) == len(fields) and len({header_key(f.header) for f in fields}) == len(fields)
    assert all(f.kind in KINDS and f.header for f in fields)
    assert fields_by_name()["status"].kind == "choice" and fields_by_name()["last_review"].kind == "date"
    assert [f.name for f in fields if f.unique] == ["ref"]
    assert {"ref", "name", "status"} <= {f.name for f in fields if f.required}


def test_the_policys_benefit_categories_and_the_column_rules_name_fields():
    by_name = fields_by_name()
    assert all(by_name[name].kind == "yesno" for name in BENEFIT_FIELDS)
    assert list(BENEFIT_FIELDS.values()) == ["External funding or investment", "Cashable savings or income", "Increased service quality",
                                             "Improved speed or throughput", "Risk mitigation"]
    assert column_required() == ("partners", "lead_officer", "risk_likelihood", "risk_impact", "last_review")
    assert [f.name for f in all_fields() if f.unless_column] == ["risk_likelihood", "risk_impact"]
    assert by_name["risk_impact"].needs_column({"ref"}) and not by_name["risk_impact"].needs_column({"risk_rating"})
    assert by_name["status"].needs_column({"risk_rating"}) and not by_name["notes"].needs_column(set())


def test_a_choice_fields_choices_and_other_spellings():
    status = fields_by_name()["status"]
    assert status.choices == ("Proposed", "Active", "Under review", "Exiting", "Closed")
    assert {"On hold", "Ceased"} <= set(status.synonyms) and not set(status.choices) & set(status.synonyms)
    assert fields_by_name()["ref"].choices == () and fields_by_name()["ref"].synonyms == ()
    assert "status" in choice_fields() and all(fields_by_name()[name].kind == "choice" for name in choice_fields())


def test_the_alias_index_maps_headers_names_and_aliases_and_the_councils_own_win():
    index = alias_index()
    for f in all_fields():
        assert index[header_key(f.header)] == f.name and index[header_key(f.name)] == f.name
    own = alias_index({"Officer": "lead_officer", "Last reviewed": "next_review"})
    assert own["officer"] == "lead_officer" and own["lastreviewed"] == "next_review"
    assert "officer" not in alias_index()  # the council's aliases are its own, not shared


@pytest.mark.parametrize(("word", "canonical"), [("Active", "Active"), ("on hold", "Under review"), ("CEASED", "Closed"), ("Not yet live", "Proposed")])
def test_the_choice_index_reads_a_word_as_its_choice(word, canonical):
    assert choice_index("status")[choice_key(word)] == canonical


def test_a_councils_own_choice_words_are_added_and_win():
    index = council_choice_index("status", {"Wound up": "Closed", "Ceased": "Under review"})
    assert index["woundup"] == "Closed" and index["ceased"] == "Under review"
    assert choice_index("status")["ceased"] == "Closed"  # the shared index is left alone
    assert council_choice_index("status", None) == choice_index("status") == council_choice_index("status", {})
