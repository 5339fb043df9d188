"""partnership-xl: check a council's Partnership Register against its Partnership Policy.

Reads the register as officers keep it in Excel, checks every partnership against the policy,
scores it, and writes the results back into Excel.
"""

__version__ = "0.1.0"
