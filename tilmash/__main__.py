"""`python -m tilmash`."""

import sys

from tilmash.cli import main

sys.exit(main())
