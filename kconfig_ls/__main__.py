"""`python -m kconfig_ls` runs the command line (lint, query, serve)."""

from kconfig_ls.cli.main import leave, main

leave(main(leaving_process=True))
