"""schemafiles.py: the data files of schemas/ are found inside an installed package or, in a checkout,
at the top of the repository; both parse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from partnership_xl.schemafiles import FINDINGS, REGISTER, load_schema, schema_file

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", [REGISTER, FINDINGS])
def test_each_schema_file_is_found_and_is_the_one_shipped(name):
    found = schema_file(name)
    assert found.is_file()
    assert json.loads(found.read_text(encoding="utf-8")) == json.loads((REPO / "schemas" / name).read_text(encoding="utf-8"))


def test_the_register_schema_lists_fields_and_choices():
    register = load_schema(REGISTER)
    assert {"fields", "choices"} <= set(register)
    names = [f["name"] for f in register["fields"]]
    assert len(names) == len(set(names)) and {"ref", "name", "status", "last_review"} <= set(names)
    assert all({"name", "header", "kind"} <= set(f) for f in register["fields"])


def test_the_findings_schema_is_a_json_schema():
    findings = load_schema(FINDINGS)
    assert "$schema" in findings and findings.get("type") == "object"


def test_a_schema_file_that_does_not_exist_is_an_error():
    with pytest.raises(FileNotFoundError):
        load_schema("no-such-schema.json")
