"""Settings from TOML (SPEC §5): defaults, overrides, and a sentence for every bad value."""

from __future__ import annotations

import pytest

from partnership_xl.config import Settings, find_config, load_settings, settings_from_dict
from partnership_xl.errors import ConfigError


def test_no_file_means_the_defaults():
    assert load_settings(None) == Settings()
    assert (Settings().review_interval_months, Settings().due_soon_days, Settings().executive_threshold) == (12, 60, 10000)


def test_the_file_beside_the_register_is_found(tmp_path):
    register = tmp_path / "Register.xlsx"
    assert find_config(register, None) is None
    (tmp_path / "partnership-xl.toml").write_text("low_max = 5\n", encoding="utf-8")
    assert find_config(register, None) == tmp_path / "partnership-xl.toml"
    assert find_config(register, tmp_path / "other.toml") == tmp_path / "other.toml"


@pytest.mark.parametrize("data, expected", [
    ({"review_interval_months": 6}, {"review_interval_months": 6}),
    ({"due_soon_days": 0}, {"due_soon_days": 0}),
    ({"review_interval_months": 1200}, {"review_interval_months": 1200}),
    ({"executive_threshold": 2500.5}, {"executive_threshold": 2500.5}),
    ({"low_max": 4, "medium_max": 9}, {"low_max": 4, "medium_max": 9}),
    ({"council_name": "  Melton Borough Council "}, {"council_name": "Melton Borough Council"}),
    ({"aliases": {"Officer": "lead_officer"}}, {"aliases": {"Officer": "lead_officer"}}),
])
def test_good_values_are_taken(data, expected):
    settings = settings_from_dict(data)
    assert {k: getattr(settings, k) for k in expected} == expected


@pytest.mark.parametrize("data, fragment", [
    ({"review_interval": 12}, "Unknown setting 'review_interval'"),
    ({"review_interval_months": 0}, "whole number of at least 1"),
    ({"review_interval_months": "12"}, "whole number"),
    ({"review_interval_months": 12.5}, "whole number"),
    ({"review_interval_months": True}, "whole number"),
    ({"review_interval_months": 100000}, "at most 1,200"),
    ({"due_soon_days": -1}, "at least 0"),
    ({"due_soon_days": 10**9}, "at most 36,500"),
    ({"low_max": 26}, "between 1 and 25"),
    ({"low_max": 12, "medium_max": 6}, "must be below medium_max"),
    ({"executive_threshold": -5}, "0 or more"),
    ({"council_name": ""}, "text in quotes"),
    ({"header_row": 2_000_000}, "Excel row number"),
    ({"aliases": {"Officer": "officer"}}, "not a field"),
    ({"aliases": "Officer"}, "must be a table"),
])
def test_a_bad_value_is_one_sentence_naming_the_setting(data, fragment):
    with pytest.raises(ConfigError) as caught:
        settings_from_dict(data, source="partnership-xl.toml")
    message = str(caught.value)
    assert fragment in message
    assert "partnership-xl.toml" in message and "\n" not in message


def test_a_bad_file_is_a_clear_error(tmp_path):
    path = tmp_path / "partnership-xl.toml"
    path.write_text("low_max = \n", encoding="utf-8")
    with pytest.raises(ConfigError, match="Line 1 of partnership-xl.toml"):  # was "not valid TOML (...)": TOML's words (issue 14)
        load_settings(path)
    with pytest.raises(ConfigError, match="was not found: there is no file called missing.toml"):
        load_settings(tmp_path / "missing.toml")


# --- issue 11: risk_scale, weak_review_months, [choices.FIELD] ---------------------------------

from partnership_xl.config import band_limits  # noqa: E402


@pytest.mark.parametrize("scale, limits", [(3, (2, 4)), (4, (4, 8)), (5, (6, 12)), (6, (9, 17)), (7, (12, 24)), (10, (24, 48))])
def test_band_defaults_follow_the_risk_scale(scale, limits):
    assert band_limits(scale) == limits
    s = settings_from_dict({"risk_scale": scale})
    assert (s.low_max, s.medium_max) == limits
    assert (Settings(risk_scale=scale).low_max, Settings(risk_scale=scale).medium_max) == limits


def test_explicit_band_limits_still_win():
    s = settings_from_dict({"risk_scale": 4, "low_max": 3})
    assert (s.low_max, s.medium_max) == (3, 8)
    assert settings_from_dict({"risk_scale": 4, "low_max": 6, "medium_max": 12}).medium_max == 12


def test_choices_are_read_and_their_targets_made_canonical():
    s = settings_from_dict({"choices": {"status": {"Wound up": "closed", "Dormant": "Under review"}, "approved_by": {"Scrutiny": "Cabinet"}}})
    assert s.choices == {"status": {"Wound up": "Closed", "Dormant": "Under review"}, "approved_by": {"Scrutiny": "Executive"}}
    assert s.weak_review_months == 6 and settings_from_dict({"weak_review_months": 3}).weak_review_months == 3


@pytest.mark.parametrize("data, fragment", [
    ({"risk_scale": 2}, "from 3 to 10"),
    ({"risk_scale": 11}, "from 3 to 10"),
    ({"risk_scale": 4.0}, "whole number"),
    ({"risk_scale": 4, "low_max": 17}, "between 1 and 16"),
    ({"risk_scale": 3, "low_max": 5}, "must be below medium_max"),
    ({"weak_review_months": 0}, "at least 1"),
    ({"weak_review_months": 5000}, "at most 1,200"),
    ({"choices": {"stage": {"Wound up": "Closed"}}}, "[choices.stage]"),
    ({"choices": {"notes": {"x": "y"}}}, "names no choice column"),
    ({"choices": {"status": {"Wound up": "Finished"}}}, "not a choice of status"),
    ({"choices": {"status": {"Wound up": 3}}}, "not a choice of status"),
    ({"choices": {"status": "Closed"}}, "one table per field"),
    ({"choices": "status"}, "one table per field"),
])
def test_a_bad_new_setting_is_one_sentence(data, fragment):
    with pytest.raises(ConfigError) as caught:
        settings_from_dict(data, source="partnership-xl.toml")
    assert fragment in str(caught.value) and "partnership-xl.toml" in str(caught.value) and "\n" not in str(caught.value)


def test_choices_from_a_toml_file(tmp_path):
    path = tmp_path / "partnership-xl.toml"
    path.write_text('risk_scale = 4\n[choices.status]\n"Wound up" = "Closed"\n[choices.assurance]\n"Amber" = "Limited"\n', encoding="utf-8")
    s = load_settings(path)
    assert s.choices == {"status": {"Wound up": "Closed"}, "assurance": {"Amber": "Limited"}} and s.risk_scale == 4
