"""`python -m a3m_integrations` runs the `a3m` command line."""

import sys

from a3m_integrations.cli import main

sys.exit(main())
