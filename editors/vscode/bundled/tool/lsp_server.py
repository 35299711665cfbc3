"""Start the bundled kconfig-ls language server (`kconfig-ls serve`).

The extension runs `<python> lsp_server.py [serve options]`.  The server and
its dependencies are in ../libs (see scripts/bundle_server.py).  As in
Microsoft's Python tools extension template, KCONFIG_LS_IMPORT_STRATEGY
chooses which copy wins: `useBundled` (the default) puts ../libs first on
sys.path, `fromEnvironment` puts it last, so that a kconfig-ls installed in
the interpreter's environment is used when there is one.
"""

import os
import pathlib
import sys

LIBS = pathlib.Path(__file__).resolve().parent.parent / "libs"


def main() -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - any interpreter may run this file
        sys.stderr.write(
            f"kconfig-ls needs Python 3.11 or newer; {sys.executable} is {sys.version.split()[0]}\n"
        )
        return 1
    if os.environ.get("KCONFIG_LS_IMPORT_STRATEGY", "useBundled") == "fromEnvironment":
        sys.path.append(os.fspath(LIBS))
    else:
        sys.path.insert(0, os.fspath(LIBS))
    from kconfig_ls.cli.main import main as kconfig_ls_main

    return kconfig_ls_main(["serve", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
