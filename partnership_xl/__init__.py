"""partnership-xl: check a council's Partnership Register against its Partnership Policy.

Reads the register as officers keep it in Excel, checks every partnership against the policy,
scores it, and writes the results back into Excel. From Python::

    import partnership_xl as pxl

    result = pxl.check("Partnership Register.xlsx", as_of="2026-03-31")
    print(result.summary(), result.flatten()[:5])
    pxl.annotate(result, "Partnership Register - checked.xlsx")

The functions live in :mod:`partnership_xl.api` and are imported on first use, so that
``partnership-xl rules`` and ``--help`` load no pandas.
"""

import sys
import types

__version__ = "0.1.0"

#: The library's functions, one per command (see :mod:`partnership_xl.api`).
__all__ = ["check", "validate", "annotate", "write_json", "record_history", "scrutiny", "risks", "report", "remind",
           "template", "init", "load_settings", "CheckResult", "Settings"]


def __getattr__(name: str):
    if name == "CheckResult":
        from .model import CheckResult

        return CheckResult
    if name == "Settings":
        from .config import Settings

        return Settings
    if name in __all__:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'partnership_xl' has no attribute {name!r}")


#: Library functions named like a module of the package (``partnership_xl.annotate`` is the annotation's package,
#: ``partnership_xl.template`` and ``partnership_xl.remind`` modules): the package's attribute is the function.
_FUNCTIONS_OVER_MODULES = frozenset({"annotate", "template", "remind"})


class _Package(types.ModuleType):
    """The package module, whose attribute ``annotate`` stays the function when the submodule is imported.

    Importing ``partnership_xl.annotate`` would otherwise set the package's ``annotate`` to the
    submodule; the submodule is still imported, and reached, through ``sys.modules`` as usual.
    """

    def __setattr__(self, name: str, value) -> None:
        if name in _FUNCTIONS_OVER_MODULES and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
