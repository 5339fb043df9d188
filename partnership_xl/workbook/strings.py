"""The shared strings table, read only when the tool needs a cell's text (its own sheets' signature)."""

from __future__ import annotations

from .ooxml import local
from .package import NS_R, Package, PackageError, parse_xml

REL_SHARED_STRINGS = NS_R + "/sharedStrings"


class SharedStrings:
    """``sharedStrings.xml`` as a list of plain texts; empty when the workbook has none."""

    def __init__(self, package: Package, workbook_part: str):
        self.items: list[str] = []
        for _, target in package.targets(workbook_part, REL_SHARED_STRINGS):
            if package.find(target) is None:
                continue
            try:
                root = parse_xml(package.get(target))
            except PackageError:
                return
            for si in root:
                if local(si) == "si":
                    self.items.append("".join(t.text or "" for t in si.iter() if local(t) == "t" and local(t.getparent()) != "rPh"))
            return

    def get(self, index: int) -> str:
        return self.items[index] if 0 <= index < len(self.items) else ""
