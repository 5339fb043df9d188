"""Settings-file mistakes in plain words, with the line to fix (tomlwords.py, SPEC §5, issue 14)."""

from __future__ import annotations

import pytest

from partnership_xl.config import load_settings
from partnership_xl.errors import ConfigError
from partnership_xl.tomlwords import did_you_mean, line_of


def error_for(tmp_path, text: str) -> str:
    path = tmp_path / "partnership-xl.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert "\n" not in message and "TOMLDecodeError" not in message
    return message


@pytest.mark.parametrize("line", [
    'output_dir = "W:\\PUBLIC\\Checks"',  # TOML: "Unescaped '\' in a string"
    'output_dir = "W:\\new folder"',  # TOML reads \n as a line break, silently
    'output_dir = "\\\\SERVER\\PUBLIC\\Checks"',
])
def test_a_windows_folder_in_double_quotes_gets_the_fix(tmp_path, line):
    message = error_for(tmp_path, f'council_name = "Harborough District Council"\n\n{line}\n')
    value = line.split("=", 1)[1].strip().strip('"')
    assert message.startswith(f"Line 3 of partnership-xl.toml, {line}, has a Windows folder in double quotes")
    assert f"output_dir = '{value}'" in message and f'output_dir = "{value.replace(chr(92), "/")}"' in message
    assert "Unescaped" not in message


@pytest.mark.parametrize("line", ["output_dir = 'W:\\PUBLIC\\Checks'", 'output_dir = "W:\\\\PUBLIC\\\\Checks"', 'output_dir = "W:/PUBLIC/Checks"'])
def test_a_windows_folder_written_correctly_is_read(tmp_path, line):
    path = tmp_path / "partnership-xl.toml"
    path.write_text(line + "\n", encoding="utf-8")
    assert load_settings(path).output_dir in ("W:\\PUBLIC\\Checks", "W:/PUBLIC/Checks")


def test_a_mistyped_key_gets_its_line_and_the_key_it_looks_like(tmp_path):
    """Was: "Unknown setting 'review_intervall_months' in partnership-xl.toml: the settings are ..." (no line, no suggestion)."""
    message = error_for(tmp_path, '# my settings\ncouncil_name = "HDC"\n\nreview_intervall_months = 6\n')
    assert message.startswith("Unknown setting 'review_intervall_months' on line 4 of partnership-xl.toml (did you mean 'review_interval_months'?)")


@pytest.mark.parametrize("text, key, suggestion", [
    ("review_interval = 6\n", "review_interval", "review_interval_months"),  # shortened
    ("Council_Name = 'HDC'\n", "Council_Name", "council_name"),  # case
    ("[alias]\n'Officer' = 'lead_officer'\n", "alias", "aliases"),  # a table
])
def test_did_you_mean(tmp_path, text, key, suggestion):
    message = error_for(tmp_path, text)
    assert f"Unknown setting '{key}' on line 1 of partnership-xl.toml (did you mean '{suggestion}'?)" in message


def test_a_key_like_no_setting_gets_no_guess(tmp_path):
    message = error_for(tmp_path, "colour = 'blue'\n")
    assert "Unknown setting 'colour' on line 1" in message and "did you mean" not in message


def test_a_bad_value_names_its_line(tmp_path):
    message = error_for(tmp_path, "due_soon_days = 60\nlow_max = 0\n")
    assert message.startswith("Setting 'low_max' on line 2 of partnership-xl.toml must be")


@pytest.mark.parametrize("text, fragment", [
    ("council_name = Harborough\n", "Line 1 of partnership-xl.toml (council_name = Harborough): the value after '=' is not understood (text goes in quotes"),
    ("due_soon_days 60\n", "Line 1 of partnership-xl.toml (due_soon_days 60): a setting needs a name, '=' and a value"),
    ("low_max = 6\nlow_max = 7\n", "Line 2 of partnership-xl.toml (low_max = 7): this setting is already set on an earlier line"),
    ("due_soon_days = 60 days\n", "there is more after the value: put a comment after a '#'"),
    ("council_name = \"HDC\n", "text is missing its closing quote"),
    ("[aliases\n", "a table name needs its closing ']'"),
])
def test_toml_errors_in_plain_words(tmp_path, text, fragment):
    message = error_for(tmp_path, text)
    assert fragment in message and "(at line" not in message


def test_line_of_finds_keys_in_their_table():
    text = "council_name = 'x'\n[aliases]\n\"Officer\" = \"lead_officer\"\ncouncil_name = 'in a table'\n"
    assert line_of(text, "council_name") == 1
    assert line_of(text, "aliases") == 2
    assert line_of(text, "Officer", table="aliases") == 3
    assert line_of(text, "sheet") is None


def test_did_you_mean_needs_a_close_name():
    assert did_you_mean("due_son_days", ["due_soon_days", "low_max"]) == " (did you mean 'due_soon_days'?)"
    assert did_you_mean("xyz", ["due_soon_days", "low_max"]) == ""
