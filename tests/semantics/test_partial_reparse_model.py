"""Keystrokes through `apply_change` (a partial re-parse of the edited file) equal a fresh load.

`KconfigModel.apply_change` re-parses only the edited part of a file
(`syntax/kconfig/incremental.py`); the file's contribution must stay a pure
function of its bytes and inclusion context. Each step below types, deletes
or replaces a few characters (not whole lines, as the line-level property
test does): inside help texts, at entry boundaries, creating and removing
entries, opening `if`/`menu`/`choice` blocks without their ends, changing
the indentation of help texts. After every step the model equals a model
loaded from scratch, and the edited file's parse equals a full parse.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kconfig_ls.syntax.kconfig import parse_kconfig
from tests.fixtures import write_fixture
from tests.semantics.test_incremental_model import _load, structure

TREE = """
//- /Kconfig
mainmenu "Test"
module = NET
rsource "Kconfig.template"
menu "Top"
config A
	bool "A"
	select B
	help
	  Help of A,
	  on two lines.

config B
	bool
	depends on C1

if A
config F
	tristate "F"
	default m
	help
	  Help of F.
endif
choice
	prompt "Pick"
config C1
	bool "C1"
config C2
	bool "C2"
endchoice
endmenu
source "sub/Kconfig"
//- /Kconfig.template
config $(module)_LOG_LEVEL
	int "Log level for $(module)"
	default 3
	help
	  The level.
//- /sub/Kconfig
config D
	bool "D"
	imply A
	help
	  Help of D.
config E
	bool "E"
	depends on D
"""
FILES = ["Kconfig", "Kconfig.template", "sub/Kconfig"]
PIECES = [
    "x",
    "\n",
    "\t",
    "  ",
    "#",
    '"',
    "config NEW\n",
    '\tbool "new"\n',
    "\thelp\n\t  typed help\n",
    "\t  more help\n",
    "\tselect E\n",
    "\tdepends on A && !B\n",
    "if B\n",
    "endif\n",
    'menu "m"\n',
    "endmenu\n",
    "choice\n",
    "endchoice\n",
    "\tsel",
    "$(module)",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(st.sampled_from(FILES), st.floats(0, 1), st.integers(0, 6), st.sampled_from(PIECES)),
        min_size=1,
        max_size=8,
    )
)
def test_keystrokes_keep_the_model_equal_to_a_fresh_load(
    tmp_path_factory: object, edits: list[tuple[str, float, int, str]]
) -> None:
    root: Path = tmp_path_factory.mktemp("tree")  # type: ignore[attr-defined]
    write_fixture(root, TREE)
    model = _load(root)
    texts = {name: (root / name).read_bytes() for name in FILES}
    for name, where, removed, inserted in edits:
        data = texts[name]
        at = int(where * len(data))
        texts[name] = data[:at] + inserted.encode() + data[at + removed :]
        path = str(root / name)
        model = model.apply_change(path, texts[name]).model
        assert model.files[path] == parse_kconfig(texts[name], path)
        fresh_root: Path = tmp_path_factory.mktemp("fresh")  # type: ignore[attr-defined]
        for other, text in texts.items():
            target = fresh_root / other
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text)
        assert structure(model) == structure(_load(fresh_root))
