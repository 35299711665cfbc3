"""`&&` and `||` chains become one n-ary node, built once (a 200,000-term `#if` was quadratic)."""

from __future__ import annotations

from kconfig_ls.syntax.c_preprocessor import parse_c_condition, render_condition_node


def test_chains_are_n_ary_and_keep_precedence() -> None:
    tree = parse_c_condition("A || B || C && D && E || F == 1 || (G || H)")
    assert (tree.kind, tree.text, len(tree.children)) == ("binary", "||", 5)
    assert [child.kind for child in tree.children] == [
        "identifier",
        "identifier",
        "binary",
        "binary",
        "parenthesized",
    ]
    assert (tree.children[2].text, len(tree.children[2].children)) == ("&&", 3)
    assert render_condition_node(tree) == "A || B || C && D && E || F == 1 || (G || H)"


def test_a_long_chain_is_one_node() -> None:
    terms = [f"defined(CONFIG_S{i})" for i in range(5_000)]
    tree = parse_c_condition(" || ".join(terms))
    assert (tree.text, len(tree.children)) == ("||", 5_000)
    assert tree.children[-1].text == "CONFIG_S4999"
