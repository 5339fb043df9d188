"""The commented settings file written by ``partnership-xl init``."""

from __future__ import annotations

import tomllib
from dataclasses import fields

import pytest

from partnership_xl.config import CONFIG_NAME, HELP, Settings, load_settings
from partnership_xl.errors import ConfigError, OutputError
from partnership_xl.settings_template import EXAMPLES, config_template, write_config


def written(tmp_path, text=None):
    path = tmp_path / CONFIG_NAME
    path.write_text(text if text is not None else config_template(), encoding="utf-8")
    return path


def test_template_loads_to_the_defaults_exactly(tmp_path):
    settings = load_settings(written(tmp_path))
    assert settings.public() == Settings().public()
    assert [type(v) for v in settings.public().values()] == [type(v) for v in Settings().public().values()]


def test_every_setting_appears_with_its_help():
    text = config_template()
    for f in fields(Settings):
        if f.name == "source":
            continue
        assert f.name in text, f.name
        assert HELP[f.name].split()[0] in text
    assert "\n[aliases]\n" in text


def test_optional_settings_are_commented_out_with_an_example():
    text = config_template()
    optional = [f.name for f in fields(Settings) if f.default is None and f.name != "source"]
    assert optional and set(optional) <= set(EXAMPLES)
    for name in optional:
        assert f"\n# {name} = " in text
        assert f"\n{name} = " not in text
    assert tomllib.loads(text).keys().isdisjoint(optional)


def test_changing_and_uncommenting_values_works(tmp_path):
    text = (config_template()
            .replace("\nreview_interval_months = 12\n", "\nreview_interval_months = 6\n")
            .replace("\n# sheet = ", "\nsheet = ")
            .replace("\n# output_dir = ", "\noutput_dir = ")
            .replace('\n# "Contact officer" = ', '\n"Contact officer" = '))
    settings = load_settings(written(tmp_path, text))
    assert settings.review_interval_months == 6
    assert settings.sheet == EXAMPLES["sheet"]
    assert settings.output_dir == EXAMPLES["output_dir"]  # single-quoted: backslashes kept
    assert settings.output_dir.startswith("W:\\PUBLIC\\COMMUNITY PARTNERSHIPS\\")
    assert settings.aliases == {"Contact officer": "lead_officer"}
    assert settings.council_name == Settings().council_name


def test_a_bad_edit_is_still_a_clear_error(tmp_path):
    path = written(tmp_path, config_template().replace("\n# low_max = 6\n", "\nlow_max = \"six\"\n"))
    with pytest.raises(ConfigError, match="low_max"):
        load_settings(path)


def test_write_config_writes_the_template(tmp_path):
    path = tmp_path / "a folder with spaces" / CONFIG_NAME
    path.parent.mkdir()
    write_config(path)
    assert path.read_text(encoding="utf-8") == config_template()
    assert load_settings(path).public() == Settings().public()


def test_write_config_never_overwrites(tmp_path):
    path = written(tmp_path, 'council_name = "Our council"\n')
    with pytest.raises(ConfigError, match="already exists"):
        write_config(path)
    assert path.read_text(encoding="utf-8") == 'council_name = "Our council"\n'


def test_write_config_into_a_missing_folder_is_an_output_error(tmp_path):
    with pytest.raises(OutputError, match="does not exist"):
        write_config(tmp_path / "no such folder" / CONFIG_NAME)
