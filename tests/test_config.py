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
