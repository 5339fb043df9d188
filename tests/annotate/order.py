"""Schema order of the parts the copy changes or adds: Excel repairs a file whose elements are out of
the order ECMA-376 gives them (LibreOffice does not say), so every changed part is checked."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from partnership_xl.workbook.ooxml import WORKBOOK_ORDER, local
from partnership_xl.workbook.sheet import WORKSHEET_ORDER
from partnership_xl.workbook.styles import STYLESHEET_ORDER

_ORDERS = {"worksheet": WORKSHEET_ORDER, "workbook": WORKBOOK_ORDER, "styleSheet": STYLESHEET_ORDER}


def _name(e) -> str:
    if local(e) == "AlternateContent":
        for choice in e:
            for child in choice:
                if isinstance(child.tag, str):
                    return local(child)
    return local(e)


def out_of_order(xml: bytes) -> list[str]:
    """Children of the root that come before one they should follow (empty when in order)."""
    root = etree.fromstring(xml)
    order = _ORDERS.get(local(root))
    if order is None:
        return []
    ranks = [(order.index(_name(e)), _name(e)) for e in root if isinstance(e.tag, str) and _name(e) in order]
    return [name for (a, _), (b, name) in zip(ranks, ranks[1:], strict=False) if b < a]


def assert_schema_order(path: Path) -> None:
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                bad = out_of_order(z.read(name))
                assert not bad, (name, bad)
