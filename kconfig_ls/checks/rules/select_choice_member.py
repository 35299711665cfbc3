"""KLS202 select-choice-member: `select` or `imply` of a symbol that is a member of a `choice`.

The value of a choice member is decided by the choice alone (the user's
selection, else the choice's default): `select` and `imply` have no effect
on it, in the C tools and in kconfiglib (which warns about it too). The
author meant something else:

- to make the member the choice's default when the selector is on:
  `default MEMBER if SELECTOR` in the choice;
- to require it: `depends on MEMBER` in the selector.

Preview: off unless selected or configured.
"""

from __future__ import annotations

from collections.abc import Iterator

from kconfig_ls.checks.framework import CheckContext, Finding, RelatedLocation, Rule, Severity
from kconfig_ls.semantics.model import Location


def check(context: CheckContext) -> Iterator[Finding]:
    model = context.model
    for table in (model.selected_by, model.implied_by):
        for target, selectors in table.items():
            definitions = model.definitions.get(target, ())
            members = [d for d in definitions if d.choice is not None]
            if not members:
                continue
            for selector, reverse in selectors:
                if selector.reached and not any(d.reached for d in members):
                    continue
                member = next((d for d in members if d.reached), members[0])
                choice = member.choice
                assert choice is not None
                prompt = f' "{choice.prompts[0].text}"' if choice.prompts else ""
                yield RULE.finding(
                    f"{selector.name} {reverse.keyword}s {target}, a member of the choice{prompt}: "
                    f"{reverse.keyword} has no effect on a choice member; use 'default {target} if "
                    f"{selector.name}' in the choice, or 'depends on {target}'",
                    Location(selector.path, reverse.span),
                    related=(RelatedLocation(f"{target} is a choice member", member.location),),
                )


RULE = Rule(
    code="KLS202",
    name="select-choice-member",
    summary="select or imply of a choice member, which has no effect",
    default_severity=Severity.ERROR,
    check=check,
    documentation=__doc__ or "",
    group="preview",
)
