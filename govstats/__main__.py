"""`python -m govstats`: the same as the `govstats` command."""

import sys

from govstats.cli import main

sys.exit(main())
