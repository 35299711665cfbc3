"""KLS301 config-unknown-symbol: a configuration file assigns a symbol this configuration does not define.

The tools drop such a line without a word (`make olddefconfig` at most
warns): a typo, a symbol that was renamed or removed, or one that exists
only for another architecture keeps the option off while the file seems to
set it. The message says which: the closest defined name ("did you mean"),
with a quick fix that renames the assignment; the architecture that does
define it; or, for Linux `transitional` symbols (the old name kept for one
release after a rename), the new name that reads its value.

Runs with `kconfig-ls lint --config FILE`: the configuration is evaluated on
the symbol table of the configured architecture.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from kconfig_ls.checks.configuration_files import assignment_location, replace_line_fix
from kconfig_ls.checks.framework import CheckContext, Finding, RelatedLocation, Rule, Severity
from kconfig_ls.checks.names import NameSuggester
from kconfig_ls.syntax.expression import referenced_symbols


def check(context: CheckContext) -> Iterator[Finding]:
    configuration = context.configuration
    if configuration is None:
        return
    table = configuration.table
    suggester: NameSuggester | None = None
    renamed: dict[str, list[str]] | None = None
    for assignment in configuration.assignments:
        name = assignment.symbol
        location = assignment_location(assignment)
        symbol = table.get(name)
        if symbol is not None:
            if not symbol.transitional:
                continue
            if renamed is None:
                renamed = _new_names(configuration.table)
            new = renamed.get(name, [])
            if new:
                yield RULE.finding(
                    f"CONFIG_{name} is the old name of CONFIG_{new[0]} (transitional); "
                    f"write CONFIG_{new[0]} instead",
                    location,
                    fixes=[
                        replace_line_fix(
                            configuration,
                            assignment,
                            f"rename to CONFIG_{new[0]}",
                            _renamed_line(configuration, assignment, new[0]),
                        )
                    ],
                )
            continue
        others = [d for d in context.model.definitions.get(name, ()) if not d.reached]
        if others:
            world = table.world or "this configuration"
            yield RULE.finding(
                f"CONFIG_{name} is not defined for {world} (only in files it does not include); "
                "the line has no effect",
                location,
                related=[RelatedLocation(f"definition of {name}", others[0].location)],
            )
            continue
        if suggester is None:
            suggester = NameSuggester(table.symbols)
        suggestion = suggester.suggest(name)
        if suggestion is not None and not _looks_like_a_typo(name, suggestion):
            suggestion = None
        if suggestion is None:
            yield RULE.finding(f"unknown symbol CONFIG_{name}; the line has no effect", location)
            continue
        yield RULE.finding(
            f"unknown symbol CONFIG_{name}; did you mean CONFIG_{suggestion}?",
            location,
            fixes=[
                replace_line_fix(
                    configuration,
                    assignment,
                    f"rename to CONFIG_{suggestion}",
                    _renamed_line(configuration, assignment, suggestion),
                )
            ],
        )


def _looks_like_a_typo(name: str, suggestion: str) -> bool:
    """Close enough to be a misspelling, and not another model number (`IPQ_APSS_5018` vs `_6018`).

    Measured on Linux defconfigs: most unknown symbols there were removed, not
    misspelt, and a looser match suggests an unrelated symbol.
    """
    if difflib.SequenceMatcher(None, name, suggestion).ratio() < 0.9:
        return False
    differing = [
        character
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, name, suggestion).get_opcodes()
        if tag != "equal"
        for character in name[i1:i2] + suggestion[j1:j2]
    ]
    return not all(character.isdigit() for character in differing)


def _renamed_line(configuration: object, assignment: object, new_name: str) -> str:
    from kconfig_ls.logic.configuration import UserAssignment

    assert isinstance(assignment, UserAssignment)
    if assignment.is_not_set:
        return f"# CONFIG_{new_name} is not set"
    return f"CONFIG_{new_name}={assignment.written}"


def _new_names(table: object) -> dict[str, list[str]]:
    """For each transitional symbol, the symbols whose defaults read it (the new names)."""
    from kconfig_ls.semantics.symbols import SymbolTable

    assert isinstance(table, SymbolTable)
    transitional = {symbol.name for symbol in table if symbol.transitional}
    result: dict[str, list[str]] = {}
    if not transitional:
        return result
    for symbol in table:
        if symbol.transitional:
            continue
        for default in symbol.defaults:
            for name in referenced_symbols(default.value):
                if name in transitional and symbol.name not in result.setdefault(name, []):
                    result[name].append(symbol.name)
    return result


RULE = Rule(
    code="KLS301",
    name="config-unknown-symbol",
    summary="a configuration file assigns a symbol the configuration does not define",
    default_severity=Severity.WARNING,
    check=check,
    documentation=__doc__ or "",
)
