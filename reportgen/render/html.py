"""The content source: the Jinja template turned into one HTML document per briefing."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .. import __version__
from ..briefing import nd30
from ..briefing.model import Briefing
from ..errors import BuildError


def templates_dir() -> Path:
    """The project's templates/, or the ones shipped with reportgen when an office's
    folder (facts/, seeds/) has none of its own."""
    from ..paths import project_root

    own = project_root() / "templates"
    return own if (own / "briefing.html.j2").is_file() else Path(__file__).resolve().parents[2] / "templates"


@lru_cache(maxsize=4)
def _environment(folder: str):  # type: ignore[no-untyped-def]
    from jinja2 import FileSystemLoader, StrictUndefined, select_autoescape
    from jinja2.sandbox import SandboxedEnvironment

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
            return super().get_source(environment, template)

    return SandboxedEnvironment(loader=InsideLoader(folder), autoescape=select_autoescape(["html", "j2"]),
                                undefined=StrictUndefined, trim_blocks=False, lstrip_blocks=False,
                                keep_trailing_newline=True, finalize=finalize)


def render_html(b: Briefing, created: str, folder: Path | None = None, fallbacks: list | None = None) -> str:  # type: ignore[type-arg]
    from jinja2 import TemplateError, TemplateSyntaxError

    folder = folder or templates_dir()
    charts = {c.id: {"svg": f"chart:{c.id}.svg", "png": f"chart:{c.id}.png"} for c in b.charts}
    try:
        template = _environment(str(folder)).get_template("briefing.html.j2")
        return template.render(b=b, nd30=nd30, charts=charts, version=__version__, created=created,
                               fallbacks=fallbacks or [])
    except TemplateSyntaxError as exc:
        raise BuildError(f"{exc.filename or exc.name}:{exc.lineno}: template syntax error: {exc.message}") from None
    except TemplateError as exc:
        raise BuildError(f"{_where(exc, folder)}: template error: {exc}") from None


def _where(exc: BaseException, folder: Path) -> str:
    """template file:line of the innermost template frame of a runtime error."""
    import traceback

    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".j2", ".html"))]
    if frames:
        return f"{frames[-1].filename}:{frames[-1].lineno}"
    return str(folder / "briefing.html.j2")
