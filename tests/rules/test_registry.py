"""The registry is the catalogue: every code has one home, and its user text has a firing and a passing example."""

from __future__ import annotations

import pytest

from partnership_xl.cli import main
from partnership_xl.findings import CATALOGUE
from partnership_xl.rules import DATA_QUALITY, RULES, rule_doc


def test_the_rules_and_the_data_quality_codes_are_the_catalogue_one_to_one():
    assert not set(RULES) & set(DATA_QUALITY)
    assert sorted([*RULES, *DATA_QUALITY]) == sorted(CATALOGUE)


@pytest.mark.parametrize("code", list(CATALOGUE))
def test_every_code_is_explained_with_an_example_that_fires_and_one_that_passes(code):
    text = rule_doc(code)
    lines = text.splitlines()
    assert lines[0] and not lines[0].startswith(("Fires", "Passes"))
    assert sum(line.startswith("Fires: ") for line in lines) == 1, text
    assert sum(line.startswith("Passes: ") for line in lines) == 1, text


def test_rules_code_prints_the_rule_and_its_examples(capsys):
    assert main(["rules", "pp602"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("PP602  error    §6   Unbudgeted contribution without approval\n")
    assert "Fires: £5,000 a year, In existing budget = No, Approved by blank." in out and "Passes: " in out


def test_rules_verbose_explains_every_code_and_plain_rules_does_not(capsys):
    assert main(["rules", "--verbose"]) == 0
    verbose = capsys.readouterr().out
    assert verbose.count("Fires: ") == len(CATALOGUE) == verbose.count("Passes: ")
    assert main(["rules"]) == 0
    plain = capsys.readouterr().out
    assert "Fires: " not in plain and len(plain.splitlines()) == 2 * len(CATALOGUE)


def test_an_unknown_code_is_one_sentence_with_the_code_it_looks_like(capsys):
    assert main(["rules", "PP60"]) == 2
    assert capsys.readouterr().err == "partnership-xl: PP60 is not a rule code (did you mean PP603?): run 'partnership-xl rules' to see them all.\n"
