"""`python -m kconfig_ls` runs the command line (lint, query, serve)."""

from kconfig_ls.cli.main import main

raise SystemExit(main())
