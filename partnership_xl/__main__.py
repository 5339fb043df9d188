"""``python -m partnership_xl`` runs the command line."""

import sys

from .cli import main

sys.exit(main())
