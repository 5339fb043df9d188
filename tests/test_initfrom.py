"""initfrom.py: ``init --from`` proposes, for the officer to confirm, the aliases, matrix size and choice
words a register needs; it never guesses a word's meaning into effect and never overwrites a file."""

from __future__ import annotations

import tomllib

import pytest

from partnership_xl.config import settings_from_dict
from partnership_xl.errors import ConfigError
from partnership_xl.initfrom import init_from, propose
from tests.conftest import AS_OF, CLEAN, row, write_register

STATUSES = ("Proposed", "Active", "Under review", "Exiting", "Closed")


def register_with(tmp_path, renamed: dict[str, str], rows: list[dict] | None = None):
    """CLEAN's headers with some renamed (old → new), each row's values moved with them."""
    headers = [renamed.get(h, h) for h in CLEAN]
    moved = [{renamed.get(k, k): v for k, v in r.items()} for r in (rows or [row()])]
    return write_register(tmp_path / "register.xlsx", moved, headers)


@pytest.mark.parametrize(("likelihood", "impact", "scale"), [
    ("Risk likelihood (1-4)", "Risk impact (1-4)", 4),
    ("Risk likelihood (1 to 3)", "Risk impact (1 to 3)", 3),
    ("Risk likelihood (1–6)", "Risk impact", 6),  # one heading saying it is enough
    ("Risk likelihood (1-5)", "Risk impact (1-5)", None),  # the default: nothing to propose
    ("Risk likelihood (1-4)", "Risk impact (1-5)", None),  # headings that disagree: nothing guessed
    ("Risk likelihood (1-12)", "Risk impact (1-12)", None),  # not a matrix size the settings allow
    ("Risk likelihood", "Risk impact", None),
])
def test_the_matrix_size_is_proposed_from_the_likelihood_and_impact_headings(tmp_path, likelihood, impact, scale):
    path = register_with(tmp_path, {"Risk likelihood (1-5)": likelihood, "Risk impact (1-5)": impact},
                         [row(risk_likelihood=2, risk_impact=2)])
    proposal = propose(path, AS_OF)
    if scale is None:
        assert "risk_scale" not in proposal.settings
    else:
        value, why = proposal.settings["risk_scale"]
        assert value == scale and f"score 1 to {scale}, a {scale}x{scale} risk matrix." in why


def test_a_heading_that_clearly_means_a_field_is_proposed_as_an_alias(tmp_path):
    path = register_with(tmp_path, {"Last reviewed": "Date of annual review"})
    proposal = propose(path, AS_OF)
    assert [(heading, field) for heading, field, _ in proposal.aliases] == [("Date of annual review", "last_review")]
    assert proposal.aliases[0][2].startswith("column 'Date of annual review' looks like Last reviewed: ")
    assert proposal.register == "register.xlsx"


def test_a_choice_word_it_cannot_read_is_proposed_with_what_it_could_mean(tmp_path):
    rows = [row(status="Activ"), row(status="Dormant"), row(status="DORMANT "), row(status="Active")]
    choices = propose(write_register(tmp_path / "register.xlsx", rows), AS_OF).choices
    assert [(field, word, could) for field, word, could, _ in choices] == [
        ("status", "Activ", ("Active",)),  # a typing slip: the one choice it is close to
        ("status", "Dormant", STATUSES),  # only the officer knows: every choice
    ]
    assert choices[1][3] == "'Dormant' in Status (AI3) is not one of its choices."


def test_a_clean_register_needs_nothing(tmp_path):
    proposal = propose(write_register(tmp_path / "register.xlsx", [row()]), AS_OF)
    assert (proposal.settings, proposal.aliases, proposal.choices) == ({}, [], [])


def test_init_from_writes_a_settings_file_beside_the_register_that_reads_back(tmp_path):
    path = register_with(tmp_path, {"Risk likelihood (1-5)": "Likelihood (1-4)", "Risk impact (1-5)": "Impact (1-4)",
                                    "Last reviewed": "Date of annual review"}, [row(risk_likelihood=2, risk_impact=2)])
    target, proposal = init_from(path, AS_OF)
    assert target == tmp_path / "partnership-xl.toml"
    values = tomllib.loads(target.read_text(encoding="utf-8"))
    assert values["risk_scale"] == 4 and values["aliases"] == {"Date of annual review": "last_review"}
    assert settings_from_dict(values).risk_scale == 4


def test_init_from_never_overwrites_and_says_so_before_reading_the_register(tmp_path):
    existing = tmp_path / "partnership-xl.toml"
    existing.write_text("# mine\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="partnership-xl.toml already exists"):
        init_from(tmp_path / "no such register.xlsx", AS_OF)
    assert existing.read_text(encoding="utf-8") == "# mine\n"
    other = tmp_path / "elsewhere.toml"
    target, _ = init_from(write_register(tmp_path / "register.xlsx", [row()]), AS_OF, out=other)
    assert target == other and other.exists() and existing.read_text(encoding="utf-8") == "# mine\n"
