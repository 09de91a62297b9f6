"""reportgen.patterns: a pattern whose opening look-behinds are moved past its first character
finds exactly what re.compile's finds — the same matches, groups and spans, from any start
and to any end — and the readers' own patterns are compiled that way."""

from __future__ import annotations

import importlib
import random
import re
from pathlib import Path

import pytest

from reportgen import patterns
from reportgen.textnorm import fold

FIXTURES = Path(__file__).parent / "fixtures" / "corpus"

# Shapes the move handles, and shapes it must leave alone; letters, digits, spaces, a line
# break and two Vietnamese letters make look-behinds true and false at every place.
CHANGED = [
    r"(?<![a-z])(ab|b c|đa)(?![a-z])",
    r"(?<!\w)(á|ab)\s+\w",
    r"(?<!\w)(?:ab|(?<!c )b)",
    r"(?<![a-z])(?<!ca )(?<!(?<!b )a )(ab|ba)",
    r"(?<=[ .])(a|b)b?",
    r"(?<!\w)a|\(b|^\s*c",
    r"(?<!\w)(?P<x>a)(?P<y>b)?",
    r"(?<!\n)a",
    r"(?<!\w).b",
    r"(?<!\w)[^a ]c?",
    # alternatives that open with alternatives of their own
    r"ab|(?:ca|da)e|(?:a|b c)(?:a|c)*?b",
    r"(a|(?:bc|cd)d)e",
    r"(?<!\w)(?:x|(?:ab|b)c)",
    r"(?:(?:ab|b)|c)d|(?:(?:ab|ba)c|d)",
    # alternatives grouped by their first letter, in order within each group
    r"(?<![a-z])(ab|ba|abc|a|b c|a c)(?![a-z])",
    r"(?:ab|ba|abc)c?",
    r"ab c|a(?:b|c)|b(?:a|b)a",
    r"(?:a b|a c|ab)*?c|d",
]
KEPT = [
    r"x?(?<!a)(b|)",
    r"(?<![a-z])[ab]+",
    r"(?<!\w)\d+",
    r"(?<!\w)(a|b*)",
    r"(?<!\w)(?i:a)b",
    r"(?:a|b)c",
    r"(a|b)c|d",
    r"(?:a|(?:bc|ca)a)+|b",
    r"(?:ab|a|abc)c?",
    r"a(?:b|c)|ab c|(?:ba|bb)+a",
    # a look-behind that captures: moved into a group, what it captured when it failed would
    # show (helper-26's review: "(?<!(a)b)(c)\1" matched "axca")
    r"(?<!(a)b)(c)\1",
    r"(?<=(.)b|c )(a)(?(1)b|c)",
]
SHAPES = CHANGED + KEPT
ALPHABET = "ab c.\nđá1"


def _same(rx: re.Pattern[str], fx: re.Pattern[str], text: str) -> None:
    def shape(m: re.Match[str] | None) -> object:
        return None if m is None else [m.span(g) for g in range(rx.groups + 1)]

    n = len(text)
    for pos in range(n + 1):
        for end in {n, max(pos, n - 1), min(n, pos + 3)}:
            for how in ("search", "match", "fullmatch"):
                assert shape(getattr(rx, how)(text, pos, end)) == shape(getattr(fx, how)(text, pos, end)), \
                    (rx.pattern, text, pos, end, how)
    assert [shape(m) for m in rx.finditer(text)] == [shape(m) for m in fx.finditer(text)]
    assert rx.sub("_", text) == fx.sub("_", text)


@pytest.mark.parametrize("pattern", SHAPES)
def test_moved_patterns_match_as_written(pattern: str) -> None:
    rx, fx = re.compile(pattern), patterns.compile(pattern)
    assert fx.pattern == pattern and fx.groups == rx.groups and fx.groupindex == rx.groupindex
    rng = random.Random(pattern)
    for _ in range(150):
        _same(rx, fx, "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 9))))


def test_what_is_moved_and_what_is_left() -> None:
    assert [p for p in SHAPES if patterns._parsed(p, 0)[1]] == CHANGED
    # what is left is re.compile's own pattern
    assert patterns.compile(r"(?<!\w)\d+").pattern == r"(?<!\w)\d+"


def test_a_moved_pattern_is_searched_from_its_first_letters() -> None:
    """The point of the move: the engine's code opens with the characters a match can start
    with (an INFO block with a charset) instead of trying the look-behind everywhere."""
    from re import _compiler

    from re import _compiler, _parser

    pattern = r"(?<![a-z])(yeu cau|de nghi)(?![a-z])"
    plain = _compiler._code(_parser.parse(pattern), 0)
    moved = _compiler._code(patterns._parsed(pattern, 0)[0], 0)
    # re's code opens with an INFO block: [INFO, skip, flags, …]; flag 4 (a charset) or 1 (a
    # literal prefix) lets the engine skip to where a match can start
    assert plain[0] == moved[0] == 14
    assert not plain[2] & 5 and moved[2] & 4
    text = "x" * 20_000 + " de nghi"
    assert patterns.compile(pattern).search(text).span() == re.compile(pattern).search(text).span() == (20_001, 20_008)


def _readers_patterns() -> list[tuple[str, re.Pattern[str]]]:
    found = []
    for name in ("extract.context", "extract.dates", "extract.events", "extract.figures", "extract.held",
                 "extract.mentions", "extract.statements", "extract.tasks", "sources", "provinces"):
        module = importlib.import_module("reportgen." + name)
        found += [(f"{name}.{k}", v) for k, v in vars(module).items()
                  if isinstance(v, re.Pattern) and v.pattern.startswith("(?<")]
    return found


def test_the_readers_patterns_are_moved_and_read_the_corpus_alike() -> None:
    """Each of the readers' patterns that opens with a look-behind finds in the test corpus
    (its text, lower-cased and folded) exactly what re.compile's finds; all but a few are
    compiled with the move."""
    texts = [p.read_text("utf-8") for p in sorted(FIXTURES.glob("*.txt"))]
    texts += [t.lower() for t in texts] + [fold(t) for t in texts]
    readers = _readers_patterns()
    assert len(readers) > 40
    kept = []
    for name, fx in readers:
        rx = re.compile(fx.pattern, fx.flags)
        if not patterns.moved(fx):
            assert not patterns._parsed(fx.pattern, fx.flags & ~re.UNICODE)[1], f"{name}: compiled without the move"
            kept.append(name)
        for text in texts:
            assert [m.span() for m in rx.finditer(text)] == [m.span() for m in fx.finditer(text)], name
            for line in text.splitlines():
                a, b = rx.search(line), fx.search(line)
                assert (a and a.regs) == (b and b.regs), (name, line)
    assert len(kept) <= 12, kept
