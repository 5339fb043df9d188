"""rules/data_quality.py: the user text of the data-quality codes the reader and the column schema find,
in the shape of the rule functions' docstrings (what it means, then a "Fires:" and a "Passes:" line)."""

from __future__ import annotations

import inspect

import pytest

from partnership_xl.findings import CATALOGUE
from partnership_xl.rules.data_quality import DATA_QUALITY


def test_the_texts_are_for_data_quality_codes_of_the_catalogue_in_its_order():
    assert list(DATA_QUALITY) == [f"DQ{n:03d}" for n in range(1, 10)]
    assert all(code in CATALOGUE for code in DATA_QUALITY)
    order = list(CATALOGUE)
    assert sorted(DATA_QUALITY, key=order.index) == list(DATA_QUALITY)


@pytest.mark.parametrize("code", list(DATA_QUALITY))
def test_each_text_opens_with_the_catalogues_finding(code):
    first = inspect.cleandoc(DATA_QUALITY[code]).splitlines()[0]
    assert first.startswith(f"{CATALOGUE[code].finding}: "), first


@pytest.mark.parametrize("code", list(DATA_QUALITY))
def test_each_text_has_one_firing_and_one_passing_example_after_the_explanation(code):
    lines = inspect.cleandoc(DATA_QUALITY[code]).splitlines()
    fires = [i for i, line in enumerate(lines) if line.startswith("Fires: ")]
    passes = [i for i, line in enumerate(lines) if line.startswith("Passes: ")]
    assert len(fires) == 1 and len(passes) == 1, lines
    assert 0 < fires[0] < passes[0], "the explanation first, then Fires:, then Passes:"
    assert lines[fires[0] - 1] == "", "a blank line between the explanation and the examples"
    assert all(len(lines[i]) > len("Passes: ") + 3 for i in (*fires, *passes)), "an example, not an empty line"
    assert not any(line.strip().startswith(("Fires:", "Passes:")) and not line.startswith(("Fires: ", "Passes: ")) for line in lines)
