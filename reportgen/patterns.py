"""The readers' regular expressions, compiled so the engine can jump to where a match can start.

Most of the readers' patterns open with "not inside a word": ``(?<![a-z])(yeu cau|de nghi)``.
Python's engine only skips ahead to the places where a match can start when a pattern opens
with a letter (or a set of them); a pattern that opens with a look-behind is tried at every
position of the text, and a document's sentences are searched by dozens of them.

`compile` moves the opening look-behinds past the letters each alternative opens with (or
its first character): ``(?:yeu cau(?<![a-z]yeu cau)|de nghi(?<![a-z]de nghi))``. A
look-behind that also reads the characters just consumed asks exactly what the original
asked before them, so the matches, their groups and spans are the same; only the search is
faster. For the same reason an alternative that opens with alternatives of its own is
written as that many alternatives (see `_flattened`). The pattern keeps its text
(``.pattern``). A pattern of another shape (a look-behind before a repetition, an
alternative that may be empty) is compiled as it is.
"""

from __future__ import annotations

import re
import weakref
from re import _compiler, _constants, _parser  # the engine's own parser and compiler (Python 3.11)

import _sre

_ONE_CHARACTER = (_constants.LITERAL, _constants.NOT_LITERAL, _constants.IN, _constants.ANY)


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:  # noqa: A001 - re's name, re's signature
    """re.compile(pattern, flags), its opening look-behinds moved past its first letters."""
    if isinstance(flags, re.RegexFlag):
        flags = flags.value     # (as re.compile does: the flags' enum makes compiling several times slower)
    try:
        parsed, changed = _parsed(pattern, flags)
        rx = _compiled(pattern, flags, parsed)     # (parsed once: re.compile would parse it again)
    except Exception:  # noqa: BLE001 - the engine's internals changed: the pattern as written
        return re.compile(pattern, flags)
    if changed:
        _MOVED.add(rx)
    return rx


_MOVED: weakref.WeakSet[re.Pattern[str]] = weakref.WeakSet()


def moved(rx: re.Pattern[str]) -> bool:
    """Whether `compile` rewrote this pattern (moved its look-behinds, flattened its alternatives)."""
    return rx in _MOVED


def _parsed(pattern: str, flags: int):  # type: ignore[no-untyped-def]
    """The parsed pattern with its alternatives flattened and grouped by their first letter
    and its look-behinds moved, and whether any of that changed it."""
    parsed = _parser.parse(pattern, flags)
    changed: list[bool] = []
    items = _flattened(list(parsed.data), changed)
    if not (flags | parsed.state.flags) & re.IGNORECASE:
        items = _grouped(items, changed)
    moved: list[bool] = []
    pushed = _push(list(items), [], moved)
    if pushed is not None and moved:
        items, changed = pushed, changed + moved
    if not changed:
        return parsed, False
    parsed.data = items
    if hasattr(parsed, "width"):
        parsed.width = None
    return parsed, True


def _compiled(pattern: str, flags: int, parsed) -> re.Pattern[str]:  # type: ignore[no-untyped-def]
    code = _compiler._code(parsed, flags)
    groupindex = parsed.state.groupdict
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return _sre.compile(pattern, flags | parsed.state.flags, code, parsed.state.groups - 1,  # type: ignore[no-any-return]
                        groupindex, tuple(indexgroup))


def _push(items: list, looks: list, moved: list[bool]) -> list | None:  # type: ignore[no-untyped-def, type-arg]
    """`items` with the look-behinds `looks` — and those `items` opens with — moved after the
    first character they consume, each look-behind reading that character too; None where
    that is not certain. `moved` gets an entry when something was moved."""
    while items and items[0][0] in (_constants.ASSERT, _constants.ASSERT_NOT) and items[0][1][0] == -1:
        op, (_, inside) = items.pop(0)
        if _captures(inside):
            return None      # moved into a group, what it captures could show after it failed (the engine's way)
        looks = [*looks, (op, inside)]
    if not items:
        return None
    op, av = items[0]
    if op in _ONE_CHARACTER:
        if not looks:
            return items
        moved.append(True)
        # past the whole run of letters it opens with (a word: the engine then searches for
        # the word itself), else past its first character
        k = 1
        while op is _constants.LITERAL and k < len(items) and items[k][0] is _constants.LITERAL:
            k += 1
        after = [(look, (-1, _parser.SubPattern(inside.state, list(inside.data) + items[:k])))
                 for look, inside in looks]
        return [*items[:k], *after, *items[k:]]
    if op is _constants.SUBPATTERN:
        group, add_flags, del_flags, sub = av
        if add_flags or del_flags:
            return None
        inner = _push(list(sub.data), looks, moved)
        if inner is None:
            return None
        return [(op, (group, add_flags, del_flags, _parser.SubPattern(sub.state, inner))), *items[1:]]
    if op is _constants.BRANCH:
        alternatives = []
        for alternative in av[1]:
            inner = _push(list(alternative.data), looks, moved)
            if inner is None:
                return None
            alternatives.append(_parser.SubPattern(alternative.state, inner))
        return [(op, (av[0], alternatives)), *items[1:]]
    return None if looks else items


_MOST_ALTERNATIVES = 256    # flattening stops there (groups nested in groups would multiply them)


def _captures(sub) -> bool:  # type: ignore[no-untyped-def]
    """Whether a parsed (sub)pattern holds a group that captures."""
    for op, av in sub.data if hasattr(sub, "data") else sub:
        if op is _constants.SUBPATTERN and (av[0] is not None or _captures(av[3])):
            return True
        if op is _constants.BRANCH and any(_captures(a) for a in av[1]):
            return True
        if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT, _constants.POSSESSIVE_REPEAT) \
                and _captures(av[2]):
            return True
        if op in (_constants.ASSERT, _constants.ASSERT_NOT) and _captures(av[1]):
            return True
        if op is _constants.ATOMIC_GROUP and _captures(av):
            return True
        if op is _constants.GROUPREF_EXISTS and (_captures(av[1]) or av[2] is not None
                                                 and _captures(av[2])):
            return True
    return False


def _flattened(items: list, done: list[bool]) -> list:  # type: ignore[no-untyped-def, type-arg]
    """`items` with each alternative that opens with a group of alternatives of its own
    (``ban chi dao|(?:chi tieu|nhiem vu) duoc giao``) written as that many alternatives
    (``…|chi tieu duoc giao|nhiem vu duoc giao``): tried in the same order, they are the
    same pattern, and when every alternative opens with a letter the engine can skip to
    those letters. Groups that capture are kept as they are (within them, their own
    alternatives are flattened)."""
    if not items:
        return items
    op, av = items[0]
    if op is _constants.SUBPATTERN and not av[1] and not av[2]:
        inner = _flattened(list(av[3].data), done)
        return [(op, (av[0], av[1], av[2], _parser.SubPattern(av[3].state, inner))), *items[1:]]
    if op is not _constants.BRANCH:
        return items
    alternatives = []
    for alternative in av[1]:
        data = _flattened(list(alternative.data), done)
        head = data[0] if data else None
        if head is not None and head[0] is _constants.BRANCH \
                and len(av[1]) + len(head[1][1]) <= _MOST_ALTERNATIVES:  # (a group that does not capture is one)
            done.append(True)
            for sub in head[1][1]:
                alternatives.append(_parser.SubPattern(alternative.state, list(sub.data) + data[1:]))
        else:
            alternatives.append(_parser.SubPattern(alternative.state, data))
    return [(op, (av[0], alternatives)), *items[1:]]


def _grouped(items: list, done: list[bool]) -> list:  # type: ignore[no-untyped-def, type-arg]
    """`items` with, in each group of alternatives that all open with a letter, those that
    open with the same letter made one (``thu tuong|chu tich|thu truong`` as ``t(?:hu
    tuong|hu truong)|chu tich``, and so on down, a tree): at a place only the alternatives
    of its letter are tried, in their order, and alternatives of other letters cannot match
    there, so the first that matches is the same. Not in a group that ignores case."""
    out = []
    for op, av in items:
        if op is _constants.SUBPATTERN and not av[1] and not av[2]:
            inner = _grouped(list(av[3].data), done)
            out.append((op, (av[0], av[1], av[2], _parser.SubPattern(av[3].state, inner))))
        elif op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT):
            inner = _grouped(list(av[2].data), done)
            out.append((op, (av[0], av[1], _parser.SubPattern(av[2].state, inner))))
        elif op is _constants.BRANCH:
            out.append((op, (av[0], _tree([list(a.data) for a in av[1]], av[1][0].state, done))))
        else:
            out.append((op, av))
    return out


def _tree(alternatives: list, state, done: list[bool]) -> list:  # type: ignore[no-untyped-def, type-arg]
    """The alternatives (lists of items) of a BRANCH, grouped by their first letter, as SubPatterns."""
    if not all(a and a[0][0] is _constants.LITERAL for a in alternatives):
        return [_parser.SubPattern(state, _grouped(a, done)) for a in alternatives]
    firsts: dict[int, list] = {}      # type: ignore[type-arg]  # the first letter -> its alternatives, in order
    for a in alternatives:
        firsts.setdefault(a[0][1], []).append(a)
    out = []
    for letter, group in firsts.items():
        if len(group) == 1:
            out.append(_parser.SubPattern(state, _grouped(group[0], done)))
            continue
        done.append(True)
        rests = _tree([a[1:] for a in group], state, done)
        out.append(_parser.SubPattern(state, [(_constants.LITERAL, letter),
                                              (_constants.BRANCH, (None, rests))]))
    return out
