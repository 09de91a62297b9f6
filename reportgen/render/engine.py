"""WeasyPrint, imported once per process without the slow search for its C libraries.

WeasyPrint opens Pango, HarfBuzz, fontconfig and GObject through cffi, trying six names for
each library; cffi hands every name that does not open as it is to
ctypes.util.find_library, which on Linux runs `ldconfig -p` and then gcc and ld as
subprocesses. The names that open on Linux are the sonames ("libpango-1.0.so.0"), which the
dynamic loader finds by itself, so the search only ever answers for names that fail: on this
project's machines about a fifth of a second of every cold build, before anything is laid out.

Here the import runs with that search answering "not found" at once, so each library is
opened by its soname, the same file the search would give. If that import fails (a system
where a library is found only by the search), it is run again as WeasyPrint does it.

Also what the modules that wrap parts of WeasyPrint share: `once` (an install run once per
process), `warnings_heard`, and for the stores of its work on text (render/retext.py,
render/rebreak.py) `Kept` (bounded), `Asked` (the style properties an answer depends on) and
`forgotten_with_new_faces` (a store let go of when the fonts change).
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import sys
from collections import OrderedDict
from types import ModuleType
from typing import Callable, Iterator


def weasyprint() -> ModuleType:
    """The weasyprint package, imported (once) as described above."""
    loaded = sys.modules.get("weasyprint")
    if loaded is not None:
        return loaded
    import ctypes.util

    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        # WeasyPrint prints a help text before it gives up on a library: not for this attempt.
        with contextlib.redirect_stdout(io.StringIO()):
            import weasyprint as module
        return module
    except (ImportError, OSError):
        for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[name]
    finally:
        ctypes.util.find_library = search
    import weasyprint as module

    return module


def once(install: Callable[[], bool]) -> Callable[[], bool]:
    """An install() that wraps part of WeasyPrint or pydyf, run once per process: its answer
    (False: their internals are not as expected, nothing was wrapped, or they cannot be
    imported) is kept."""
    answer: list[bool] = []

    @functools.wraps(install)
    def installed() -> bool:
        if not answer:
            try:
                answer.append(install())
            except ImportError:
                answer.append(False)
        return answer[0]

    return installed


class Kept(OrderedDict):  # type: ignore[type-arg]
    """What a process keeps of WeasyPrint's work on text (render/retext.py, render/rebreak.py),
    the most recently used last. keep() lets the least recently used go first, beyond `count`
    entries or `characters` characters of text in their keys."""

    def __init__(self) -> None:
        super().__init__()
        self.characters = 0
        self._sizes: dict[object, int] = {}

    def keep(self, key: object, value: object, size: int, count: int, characters: int) -> None:
        self.characters += size - self._sizes.get(key, 0)
        self._sizes[key] = size
        self[key] = value
        self.move_to_end(key)
        while self and (len(self) > count or self.characters > characters):
            old, _ = self.popitem(last=False)
            self.characters -= self._sizes.pop(old)


class Asked:
    """A computed style as WeasyPrint's text code reads it: each property asked for is noted with
    its value, in the order asked (`asked`). What that code gives depends on those values only,
    so an answer kept with them holds for another style that gives the same values, read in
    the same order (`answers`): only the properties the code would read are read, and a
    property computed for the first time warns as it would."""

    __slots__ = ("_style", "asked")

    def __init__(self, style: object) -> None:
        self._style = style
        self.asked: dict[str, object] = {}

    def __getitem__(self, name: str) -> object:
        value = self._style[name]  # type: ignore[index]
        self.asked.setdefault(name, value)
        return value

    def __getattr__(self, name: str) -> object:        # font_config, root_style …
        return getattr(self._style, name)

    def plain(self) -> bool:
        """Whether every value asked is one that equals only what means the same (not a calc()
        left to the layout, whose tokens are equal by identity and read more than the style)."""
        return all(plain(v) for v in self.asked.values())


def plain(value: object) -> bool:
    """A value that equals only what means the same: None, a string, a number, or a tuple or
    list of such."""
    if value is None or isinstance(value, (str, int, float)):
        return True
    return isinstance(value, (tuple, list)) and all(plain(v) for v in value)


def answers(variants: tuple, style: object) -> object | None:  # type: ignore[type-arg]
    """The kept answer whose noted values `style` gives, read in their order (a variant is
    (asked items, answer)); None if none does."""
    for asked, answer in variants:
        if all(style[name] == value for name, value in asked):  # type: ignore[index]
            return answer
    return None


_FORGOTTEN: list[str] = []      # what a font configuration lets go of when it takes a new face


def forgotten_with_new_faces(name: str) -> bool:
    """A font configuration's attribute `name` (what text gave under its fonts: render/retext.py,
    render/rebreak.py) is let go of whenever the configuration takes an @font-face it did not
    have: a family may then give another font file. False if WeasyPrint is not as expected."""
    if not _watch_faces():
        return False
    if name not in _FORGOTTEN:
        _FORGOTTEN.append(name)
    return True


@once
def _watch_faces() -> bool:
    from weasyprint.text.fonts import FontConfiguration

    add = getattr(FontConfiguration, "add_font_face", None)
    if not callable(add):
        return False

    @functools.wraps(add)
    def add_font_face(self, rule_descriptors, url_fetcher):  # type: ignore[no-untyped-def]
        # WeasyPrint adds a face once per configuration, by str(rule_descriptors); one that
        # could not be loaded (it warns) is tried again next time, and may load then
        seen = self.__dict__.setdefault("_reportgen_faces", set())
        face = str(rule_descriptors)
        if face in seen:
            return add(self, rule_descriptors, url_fetcher)
        with warnings_heard() as heard:
            try:
                return add(self, rule_descriptors, url_fetcher)
            finally:
                if not heard:
                    seen.add(face)
                for name in _FORGOTTEN:
                    self.__dict__.pop(name, None)

    FontConfiguration.add_font_face = add_font_face
    return True


class _Heard(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def warnings_heard() -> Iterator[list[str]]:
    """What WeasyPrint (and its children's loggers) warns of while the block runs, as messages."""
    handler = _Heard()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
