"""The two report workbooks of policy §8, written fresh with xlsxwriter from one CheckResult.

- :func:`write_scrutiny`: the annual report to Scrutiny (Overview with charts, Register, Risk
  map, Reviews, Exits, Findings, and Changes / Trend when there is a previous register / history).
- :func:`write_risks`: the quarterly risk and opportunity extract for the Executive.

The numbers both show come from :mod:`.figures` and :mod:`.changes`, never from the sheets.
"""

from .figures import headline_figures
from .risks import write_risks
from .scrutiny import write_scrutiny

__all__ = ["headline_figures", "write_risks", "write_scrutiny"]
