"""The data files of ``schemas/`` (the register's fields and the findings JSON Schema), wherever they are.

They live at the top of the repository, beside the package, so a newcomer finds them; the wheel
carries them inside the package as ``partnership_xl/schemas/`` (``[tool.setuptools.package-dir]``
in pyproject.toml maps the folder), read through :mod:`importlib.resources`. A source checkout or
an editable install has no ``partnership_xl/schemas/``, and reads the top-level folder instead.
"""

from __future__ import annotations

import json
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

REGISTER = "register.json"
FINDINGS = "findings.schema.json"


def schema_file(name: str) -> Traversable:
    """Where ``schemas/<name>`` is read from: inside the installed package, else the checkout's ``schemas/``."""
    packaged = resources.files("partnership_xl").joinpath("schemas", name)
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[1] / "schemas" / name


def load_schema(name: str) -> dict:
    """``schemas/<name>`` parsed as JSON."""
    return json.loads(schema_file(name).read_text(encoding="utf-8"))
