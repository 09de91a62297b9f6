"""The content source: the Jinja template turned into one HTML document per briefing.

A template may come from the user (`--templates DIR`), so it runs in Jinja's sandbox, with
limits: run time, loop steps and calls, the size of the HTML and of any value it makes,
ranges, and memory. A template past a limit stops with its file and line, as does any
other error raised while it is compiled or run (never an "internal error").
"""

from __future__ import annotations

from ..i18n import msg

import contextvars
import re
import time
from functools import lru_cache
from pathlib import Path

from .. import __version__
from ..briefing import nd30
from ..briefing.model import Briefing
from ..errors import BuildError
from ..paths import templates_dir  # noqa: F401 - where callers have always found it

# The project's template renders in about a millisecond, with a few hundred loop steps and
# calls and 25,000 characters of HTML: every limit is far above what a briefing needs and
# far below what would hang a build (or a `build --all` worker) or exhaust memory.
MAX_SECONDS = 10.0            # run time of one rendering
MAX_STEPS = 5_000_000         # loop iterations plus calls (macros, methods, functions)
MAX_OUTPUT = 5_000_000        # characters of HTML, and of any one value the template makes
MAX_ITEMS = 1_000_000         # characters or items one repetition (`*`) or width argument makes
MAX_RANGE = 100_000           # items of one range()
MAX_INT_BITS = 100_000        # size of a whole number `*` or `**` makes
MAX_MEMORY = 1 << 29          # bytes of address space beyond what the process holds (Linux)

LIMITS = (f"templates have limits: {MAX_SECONDS:g} s, {MAX_STEPS:,} loop steps and calls, {MAX_OUTPUT:,} "
          f"characters of HTML or in one value, {MAX_ITEMS:,} from one repetition or width, ranges of "
          f"{MAX_RANGE:,}, {MAX_MEMORY >> 20:,} MB of memory")


class TemplateLimit(Exception):
    """A template went past a limit. Raised inside the template's code, so Jinja's
    traceback carries the template line."""


class _Budget:
    """What one rendering may still spend; charged at every loop step and call."""

    __slots__ = ("deadline", "steps")

    def __init__(self) -> None:
        self.deadline = time.monotonic() + MAX_SECONDS
        self.steps = 0

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise TemplateLimit(f"the template took more than {MAX_STEPS:,} loop steps and calls")
        if time.monotonic() > self.deadline:
            raise TemplateLimit(f"the template ran longer than {MAX_SECONDS:g} s")


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("template_budget", default=None)


def _ints(values) -> list[int]:  # type: ignore[no-untyped-def]
    return [v for v in values if isinstance(v, int) and not isinstance(v, bool)]


def _check_wide(values, what: str) -> None:  # type: ignore[no-untyped-def]
    if any(abs(v) > MAX_ITEMS for v in _ints(values)):
        raise TemplateLimit(f"{what} with a size of more than {MAX_ITEMS:,}")


_PRINTF = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(\*|\d+)?(?:\.(\*|\d+))?")


def _check_printf(fmt: str, args) -> None:  # type: ignore[no-untyped-def]
    """`"%999999999d" % x` would make a string that wide: refused before it is made."""
    for m in _PRINTF.finditer(fmt):
        for size in m.groups():
            if size == "*":
                _check_wide(args if isinstance(args, tuple) else (args,), "a %-format")
            elif size and int(size) > MAX_ITEMS:
                raise TemplateLimit(f"a %-format with a width of {int(size):,} (at most {MAX_ITEMS:,})")


def _check_size(value, what: str) -> None:  # type: ignore[no-untyped-def]
    if isinstance(value, (str, list, tuple, dict, set, bytes)) and len(value) > MAX_OUTPUT:
        raise TemplateLimit(f"{what} made a value of {len(value):,} characters or items (at most {MAX_OUTPUT:,})")


def _sized_filter(name: str, f):  # type: ignore[no-untyped-def]
    """A filter whose whole-number arguments size what it makes (center, indent, batch, slice)."""
    import functools

    from jinja2.nodes import EvalContext

    @functools.wraps(f)        # keeps Jinja's pass_context / pass_eval_context mark
    def checked(*args, **kwargs):  # type: ignore[no-untyped-def]
        rest = [a for a in args if not isinstance(a, EvalContext)][1:]     # not the filtered value
        _check_wide([*rest, *kwargs.values()], f"the filter {name}")
        return f(*args, **kwargs)

    return checked


# str and int methods whose whole-number arguments size what they make
_SIZED_METHODS = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs", "to_bytes"})


@lru_cache(maxsize=4)
def _environment(folder: str):  # type: ignore[no-untyped-def]
    import types

    from jinja2 import FileSystemLoader, StrictUndefined, TemplateSyntaxError, nodes, select_autoescape
    from jinja2.sandbox import SandboxedEnvironment
    from jinja2.utils import generate_lorem_ipsum
    from jinja2.visitor import NodeTransformer

    from markupsafe import Markup

    from ..textnorm import clean_text

    def finalize(value):  # type: ignore[no-untyped-def]
        # Every value a template prints passes here: control characters never reach a
        # document. Markup (a macro's output) was made from values that passed already.
        if isinstance(value, Markup) or not isinstance(value, str):
            return value
        return clean_text(value)

    class InsideLoader(FileSystemLoader):
        """A template folder's files only: a name or a symlink that leads outside it is refused."""

        def get_source(self, environment, template):  # type: ignore[no-untyped-def]
            from jinja2 import TemplateNotFound

            root = Path(folder).resolve()
            target = (root / template).resolve()
            if root != target and root not in target.parents:
                raise TemplateNotFound(f"{template} (outside the template folder)")
            try:
                return super().get_source(environment, template)
            except UnicodeDecodeError as exc:
                line = exc.object[:exc.start].count(b"\n") + 1
                raise TemplateSyntaxError(f"not UTF-8 text (byte 0x{exc.object[exc.start]:02x})", line,
                                          template, str(target)) from None

    class Metered(NodeTransformer):
        """Every {% for %} iterates through the filter _steps, every `~` passes the filter
        _sized: loop steps are charged to the budget, concatenations measured."""

        @staticmethod
        def through(name: str, node):  # type: ignore[no-untyped-def]
            return nodes.Filter(node, name, [], [], None, None, lineno=node.lineno)

        def visit_For(self, node):  # type: ignore[no-untyped-def]
            node = self.generic_visit(node)
            node.iter = self.through("_steps", node.iter)
            return node

        def visit_Concat(self, node):  # type: ignore[no-untyped-def]
            return self.through("_sized", self.generic_visit(node))

    class Steps:
        """A loop's iterable, each item charged to the rendering's budget."""

        __slots__ = ("iterable",)

        def __init__(self, iterable) -> None:  # type: ignore[no-untyped-def]
            self.iterable = iterable

        def __len__(self) -> int:           # loop.length without consuming the iterable
            return len(self.iterable)

        def __iter__(self):  # type: ignore[no-untyped-def]
            budget = _BUDGET.get()
            if budget is None:
                yield from self.iterable
                return
            for item in self.iterable:
                budget.step()
                yield item

    def safe_range(*args):  # type: ignore[no-untyped-def]
        rng = range(*args)
        if len(rng) > MAX_RANGE:
            raise TemplateLimit(f"a range of {len(rng):,} items (at most {MAX_RANGE:,})")
        return rng

    def lipsum(n=5, html=True, min=20, max=100):  # type: ignore[no-untyped-def]  # noqa: A002
        if any(abs(v) > MAX_RANGE for v in _ints((n, min, max))):
            raise TemplateLimit(f"lipsum with a size of more than {MAX_RANGE:,}")
        return generate_lorem_ipsum(n, html, min, max)

    class LimitedEnvironment(SandboxedEnvironment):
        """Jinja's sandbox with limits on run time, steps, sizes and ranges."""

        intercepted_binops = frozenset({"*", "**", "+", "%"})    # never folded at compile time either

        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            super().__init__(*args, **kwargs)
            self.globals.update(range=safe_range, lipsum=lipsum)
            for name in ("center", "indent", "batch", "slice"):
                self.filters[name] = _sized_filter(name, self.filters[name])
            do_format = self.filters["format"]

            def format_filter(value, *args, **kwargs):  # type: ignore[no-untyped-def]
                _check_printf(str(value), kwargs or args)
                return do_format(value, *args, **kwargs)

            self.filters["format"] = format_filter
            self.filters["_steps"] = Steps

            def sized(value):  # type: ignore[no-untyped-def]
                _check_size(value, "the operator ~")
                return value

            self.filters["_sized"] = sized

        def _parse(self, source, name, filename):  # type: ignore[no-untyped-def]
            return Metered().visit(super()._parse(source, name, filename)).set_environment(self)

        def compile(self, source, name=None, filename=None, raw=False, defer_init=False):  # type: ignore[no-untyped-def]
            try:
                return super().compile(source, name, filename, raw, defer_init)
            except (RecursionError, MemoryError) as exc:    # {{ ((((…)))) }} or {% if %} thousands deep
                raise TemplateSyntaxError("the template nests too deeply to be compiled", _compiling_line(exc),
                                          name, filename) from None

        def call_binop(self, context, operator, left, right):  # type: ignore[no-untyped-def]
            both_ints = len(_ints((left, right))) == 2
            if operator == "*":
                for seq, n in ((left, right), (right, left)):
                    if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_ITEMS:
                        raise TemplateLimit(f"the operator * would make {len(seq) * n:,} characters or items "
                                            f"(at most {MAX_ITEMS:,})")
                if both_ints and left.bit_length() + right.bit_length() > MAX_INT_BITS:
                    raise TemplateLimit(f"the operator * would make a number of more than {MAX_INT_BITS:,} bits")
            elif operator == "**":
                if both_ints and right > 0 and abs(left) > 1 and left.bit_length() * right > MAX_INT_BITS:
                    raise TemplateLimit(f"the operator ** would make a number of more than {MAX_INT_BITS:,} bits")
            elif operator == "+":
                if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)) and \
                        len(left) + len(right) > MAX_OUTPUT:
                    raise TemplateLimit(f"the operator + would make {len(left) + len(right):,} characters or "
                                        f"items (at most {MAX_OUTPUT:,})")
            elif operator == "%" and isinstance(left, str):
                _check_printf(left, right)
            result = super().call_binop(context, operator, left, right)
            _check_size(result, f"the operator {operator}")
            return result

        def call(__self, __context, __obj, *args, **kwargs):  # type: ignore[no-untyped-def]  # noqa: N805
            budget = _BUDGET.get()
            if budget is not None:
                budget.step()
            if isinstance(__obj, types.BuiltinMethodType) and __obj.__name__ in _SIZED_METHODS and \
                    isinstance(__obj.__self__, (str, int)):
                _check_wide([*args, *kwargs.values()], f"the method {__obj.__name__}")
            result = super().call(__context, __obj, *args, **kwargs)
            _check_size(result, "a call")
            return result

    from . import words

    from .compiled import SealedBytecodeCache

    env = LimitedEnvironment(loader=InsideLoader(folder), autoescape=select_autoescape(["html", "j2"]),
                             bytecode_cache=SealedBytecodeCache(),
                             undefined=StrictUndefined, trim_blocks=False, lstrip_blocks=False,
                             keep_trailing_newline=True, finalize=finalize)
    env.filters.update(long_date=words.long_date, short_date=words.short_date, capfirst=words.capfirst,
                       lower_first=words.lower_first,
                       vn_list=words.vn_list, spell=words.Speller(words.load_glossary(Path(folder))))
    env.globals.update(measure=words.measure)
    return env


def render_html(b: Briefing, created: str, folder: Path | None = None, fallbacks: list | None = None) -> str:  # type: ignore[type-arg]
    from jinja2 import TemplateError, TemplateSyntaxError

    from .words import end_rendering, start_rendering

    folder = folder or templates_dir()
    charts = chart_refs(b)
    spelling = start_rendering()
    try:
        template = _environment(str(folder)).get_template("briefing.html.j2")
        return _limited(template, dict(b=b, nd30=nd30, charts=charts, version=__version__, created=created,
                                       fallbacks=fallbacks or []))
    except TemplateSyntaxError as exc:
        raise BuildError(msg('html.template_syntax_error', "{value}:{lineno}: template syntax error: {message}", value=exc.filename or exc.name, lineno=exc.lineno, message=exc.message)) from None
    except TemplateLimit as exc:
        raise BuildError(msg('html.error', "{where}: {exc}; {LIMITS}.", where=_where(exc, folder), exc=exc, LIMITS=LIMITS)) from None
    except TemplateError as exc:
        raise BuildError(msg('html.template_error', "{where}: template error: {exc}", where=_where(exc, folder), exc=exc)) from None
    except MemoryError as exc:
        raise BuildError(msg('html.template_needed_more_than', "{where}: the template needed more than {value} MB of memory; {LIMITS}.", where=_where(exc, folder), value=f"{MAX_MEMORY >> 20:,}", LIMITS=LIMITS)) from None
    except RecursionError as exc:
        raise BuildError(msg('html.template_error_macros_includes', "{where}: template error: its macros, includes or recursive loops call themselves too deeply.", where=_where(exc, folder))) from None
    except BuildError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever a template does wrong is reported with its line
        raise BuildError(msg('html.template_error_2', "{where}: template error: {name}: {exc}", where=_where(exc, folder), name=type(exc).__name__, exc=exc)) from None
    finally:
        end_rendering(spelling)


def chart_refs(b: Briefing) -> dict[str, dict[str, str]]:
    """What the template knows of each chart: where its SVG and PNG are, and its alt text
    (what it shows, value by value: a screen reader's user hears the chart, not its caption)."""
    from .charts import describe

    return {c.id: {"svg": f"chart:{c.id}.svg", "png": f"chart:{c.id}.png", "alt": describe(c)} for c in b.charts}


def _limited(template, context: dict) -> str:  # type: ignore[no-untyped-def, type-arg]
    """The template rendered piece by piece within its budget: run time and steps are
    charged inside the template (loops, calls), the size of the HTML here; the address
    space is capped while it runs. KeyboardInterrupt passes through untouched."""
    token = _BUDGET.set(_Budget())
    uncap = _cap_memory()
    try:
        parts: list[str] = []
        size = 0
        chunks = template.generate(context)
        for chunk in chunks:
            parts.append(chunk)
            size += len(chunk)
            if size > MAX_OUTPUT:     # raised where the template stands, so the error has its line
                chunks.throw(TemplateLimit(f"the template made more than {MAX_OUTPUT:,} characters of HTML"))
        return "".join(parts)
    finally:
        uncap()
        _BUDGET.reset(token)


def _cap_memory():  # type: ignore[no-untyped-def]
    """Cap the address space at what the process holds now plus MAX_MEMORY, so a template
    making a huge value fails at once (MemoryError) instead of driving the machine into
    swap. Returns what lifts the cap again. Linux; elsewhere nothing is capped."""
    try:
        import resource

        with open("/proc/self/statm", "rb") as f:
            held = int(f.read().split()[0]) * resource.getpagesize()
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = held + MAX_MEMORY if hard == resource.RLIM_INFINITY else min(held + MAX_MEMORY, hard)
        if soft != resource.RLIM_INFINITY and soft <= cap:
            return lambda: None
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ImportError, OSError, ValueError, IndexError):
        return lambda: None
    return lambda: resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _compiling_line(exc: BaseException) -> int:
    """The template line Jinja's parser or code generator was at when compiling failed."""
    tb, line = exc.__traceback__, 1
    while tb is not None:
        local = tb.tb_frame.f_locals
        node, stream = local.get("node"), getattr(local.get("self"), "stream", None)
        if isinstance(getattr(node, "lineno", None), int):
            line = node.lineno
        elif isinstance(getattr(getattr(stream, "current", None), "lineno", None), int):
            line = stream.current.lineno
        tb = tb.tb_next
    return line


def _where(exc: BaseException, folder: Path) -> str:
    """template file:line of the innermost template frame of a runtime error."""
    import os
    import traceback

    inside = (str(folder).rstrip(os.sep) + os.sep, str(Path(folder).resolve()) + os.sep)
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if f.filename.endswith((".j2", ".html")) or f.filename.startswith(inside)]
    if frames:
        return f"{frames[-1].filename}:{frames[-1].lineno}"
    return str(folder / "briefing.html.j2")


def element_line(folder: Path, el, start: str) -> str | None:  # type: ignore[no-untyped-def]
    """file:line of the template line that writes this element, when only one can: the
    lines with its tag or with a tag whose name is an expression (<h{{ n }}>), narrowed
    to the one written exactly as made, or with the same attributes and text."""
    tag = re.compile(rf"<(?:{re.escape(el.tag)}(?=[\s>/])|[\w-]*\{{\{{.*?\}}\}}|[\w-]*\{{%.*?%\}})([^>]*)>?",
                     re.IGNORECASE)
    found: list[tuple[str, int, str, set[str], str]] = []
    for path in sorted(p for p in folder.rglob("*") if p.suffix in (".j2", ".html", ".htm", ".jinja", ".jinja2")):
        try:
            lines = path.read_text("utf-8").splitlines() if path.stat().st_size < 2_000_000 else []
        except (OSError, UnicodeDecodeError):
            continue
        for n, text in enumerate(lines, 1):
            found += [(str(path), n, m.group(0), set(re.findall(r"([\w:-]+)\s*=", m.group(1))), text)
                      for m in tag.finditer(text)]
    names, words = set(el.attrib), (el.text or "").strip()
    for keep in (lambda f: True,                                   # the only line that can
                 lambda f: f[2] == start,                          # written exactly as made
                 lambda f: f[3] == names,                          # the same attributes
                 lambda f: f[3] == names and words in f[4]):       # ... and the same text
        chosen = {f[:2] for f in found if keep(f)}
        if len(chosen) == 1:
            path, line = chosen.pop()
            return f"{path}:{line}"
    return None
