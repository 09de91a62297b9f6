"""Stylesheets parsed once per process.

WeasyPrint parses a document's stylesheets each time it lays one out: the template's
briefing.css for the notice, again for the Phụ lục and again for the note on its first page
(render/pdf.py), 0.012 s each. `install()` gives WeasyPrint's find_stylesheets a CSS that takes
the parse of a source it has parsed before — the same URL answering the same bytes, or the same
string under the same base URL, for the same medium and font configuration:

- its selectors and declarations (a cssselect2 Matcher, which the cascade only reads);
- the @page rules it adds to the document's list, added again in their order;
- its base URL.

A parse is kept only when it did nothing else: it added no @counter-style, @color-profile or
@layer, imports nothing, uses no var() (a var() that fails says so once per parse) and no
escape (which could spell either), and
WeasyPrint said nothing while parsing it (a bad rule must fail every build that has it, not
only the first). The @font-face rules it registered stay registered in the font configuration,
which WeasyPrint itself does not register twice.
"""

from __future__ import annotations

import functools
import weakref
from typing import Any

from .engine import once, warnings_heard

LIMIT = 16                                          # sheets kept, the oldest let go first
_kept: dict[tuple, tuple[Any, Any, tuple]] = {}   # type: ignore[type-arg]
_watched: set[int] = set()                          # the font configurations whose end is watched
_ARGUMENTS = {"url", "string", "base_url", "url_fetcher", "media_type", "font_config", "counter_style",
              "color_profiles", "page_rules", "layers", "_check_mime_type"}
_ATTRIBUTES = {"base_url", "matcher", "page_rules", "layers"}     # what CSS.__init__ sets


def _source(kwargs: dict[str, Any]) -> tuple | None:  # type: ignore[type-arg]
    """What the parse reads, as a key; None for what is not kept."""
    if set(kwargs) - _ARGUMENTS or kwargs.get("page_rules") is None or kwargs.get("layers") is None:
        return None
    if ("url" in kwargs) == ("string" in kwargs):
        return None
    if "string" in kwargs:
        text = kwargs["string"]
        if not isinstance(text, str):
            return None
        body = text.encode("utf-8")
        where: tuple = ("string", kwargs.get("base_url"))  # type: ignore[type-arg]
    else:
        fetcher = kwargs.get("url_fetcher")
        if fetcher is None:
            return None
        try:
            response = fetcher(kwargs["url"])
            try:
                body = response.read()
                where = ("url", kwargs["url"], response.url, response.status, str(response.headers),
                         kwargs.get("_check_mime_type", False))
            finally:
                response.close()
        except Exception:  # noqa: BLE001 - WeasyPrint's own parse says what is wrong
            return None
        if not isinstance(body, bytes):
            return None
    lowered = body.lower()
    if b"\\" in body or b"var(" in lowered or b"@import" in lowered:
        return None     # (no escape: "v\61r(" is var( to the parser, and not to this search)
    fonts = kwargs.get("font_config")
    return (*where, body, kwargs.get("media_type", "print"), None if fonts is None else id(fonts))


@once
def install() -> bool:
    """Give WeasyPrint's find_stylesheets the kept CSS; False (nothing changed) if WeasyPrint is
    not as expected."""
    import weasyprint
    import weasyprint.css as css

    real = weasyprint.CSS
    if getattr(css, "CSS", None) is not real:
        return False
    probe = real(string="@page { margin: 1cm } p { color: red }", page_rules=[], layers=[])
    if set(vars(probe)) != _ATTRIBUTES:
        return False

    @functools.wraps(real)
    def parsed(*args: Any, **kwargs: Any) -> Any:  # noqa: ANN401
        key = None if args else _source(kwargs)
        if key is None:
            return real(*args, **kwargs)
        page_rules, layers = kwargs["page_rules"], kwargs["layers"]
        kept = _kept.get(key)
        if kept is not None:
            base_url, matcher, rules = kept
            sheet = real.__new__(real)
            page_rules.extend(rules)
            sheet.base_url, sheet.matcher, sheet.page_rules, sheet.layers = base_url, matcher, page_rules, layers
            return sheet
        counters, profiles = kwargs.get("counter_style"), kwargs.get("color_profiles")
        before = (len(page_rules), list(layers), _identities(counters), _identities(profiles))
        with warnings_heard() as told:
            sheet = real(*args, **kwargs)
        if not told and (list(layers), _identities(counters), _identities(profiles)) == before[1:] \
                and set(vars(sheet)) == _ATTRIBUTES:
            while len(_kept) >= LIMIT:          # a page that runs for months, its office editing the stylesheet
                del _kept[next(iter(_kept))]
            _kept[key] = (sheet.base_url, sheet.matcher, tuple(page_rules[before[0]:]))
            fonts = kwargs.get("font_config")
            if fonts is not None and id(fonts) not in _watched:
                # keyed by its id, not kept alive: its parses go when it goes (a document laid
                # out with a FontConfiguration of its own, as WeasyPrint makes by default)
                _watched.add(id(fonts))
                weakref.finalize(fonts, _forget, id(fonts))
        return sheet

    css.CSS = parsed
    return True


def _forget(fonts: int) -> None:
    _watched.discard(fonts)
    for key in [k for k in _kept if k[-1] == fonts]:
        del _kept[key]


def _identities(table: Any) -> dict | None:  # type: ignore[type-arg]  # noqa: ANN401
    return None if table is None else {k: id(v) for k, v in table.items()}
