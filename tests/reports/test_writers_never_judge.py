"""Writers read bands, approval, review dates and breaches from the check result; they never decide them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "partnership_xl"
WRITERS = [*sorted((PACKAGE / "reports").glob("*.py")), *sorted((PACKAGE / "annotate").glob("*.py")), PACKAGE / "remind.py", PACKAGE / "template.py"]


@pytest.mark.parametrize("path", WRITERS, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_writer_names_no_rule_it_could_re_decide(path):
    code = path.read_text(encoding="utf-8")
    # comparing with the band limits, a score's band, the review interval and the §6 approval codes are the check's to apply
    for judging in (r"[<>]=?\s*[\w.]*(low_max|medium_max)", r"score_band\(", r"scoring import band\b", r"months=[\w.]*review_interval", r'"PP60[23]"'):
        assert not re.search(judging, code), f"{path.name} judges: {judging}"


def test_pp602_is_decided_in_one_rule_module():
    homes = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if "PP602" in p.read_text(encoding="utf-8"))
    assert homes == ["findings.py", "rules/entry.py"]  # the catalogue and the rule (the registry collects it by name)


def test_the_reminders_next_review_is_the_checks(run):
    from tests.conftest import row

    result = run([row(next_review=None, last_review="01/02/2026")], review_interval_months=6)
    assert result.scores["review_due"].dt.strftime("%Y-%m-%d").tolist() == ["2026-08-01"]
