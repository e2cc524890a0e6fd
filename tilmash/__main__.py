"""`python -m tilmash`. The working directory is dropped from the import path unless it is
Tilmash's own checkout: a newsroom has an `i18n/` folder that would shadow the `i18n` stage."""

import os
import sys

_checkout = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if sys.path and os.path.abspath(sys.path[0] or os.curdir) != _checkout:
    sys.path.pop(0)

from tilmash.cli import main  # noqa: E402

sys.exit(main())
