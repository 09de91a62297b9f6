"""The content source: the Jinja template turned into one HTML document per briefing."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .. import __version__
from ..briefing import nd30
from ..briefing.model import Briefing
from ..errors import BuildError


def templates_dir() -> Path:
    from ..paths import project_root

    return project_root() / "templates"


@lru_cache(maxsize=4)
def _environment(folder: str):  # type: ignore[no-untyped-def]
    from jinja2 import FileSystemLoader, StrictUndefined, select_autoescape
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(loader=FileSystemLoader(folder), autoescape=select_autoescape(["html", "j2"]),
                                undefined=StrictUndefined, trim_blocks=False, lstrip_blocks=False,
                                keep_trailing_newline=True)


def render_html(b: Briefing, created: str, folder: Path | None = None) -> str:
    from jinja2 import TemplateError, TemplateSyntaxError

    folder = folder or templates_dir()
    charts = {c.id: {"svg": f"chart:{c.id}.svg", "png": f"chart:{c.id}.png"} for c in b.charts}
    try:
        template = _environment(str(folder)).get_template("briefing.html.j2")
        return template.render(b=b, nd30=nd30, charts=charts, version=__version__, created=created)
    except TemplateSyntaxError as exc:
        raise BuildError(f"{exc.filename or exc.name}:{exc.lineno}: template syntax error: {exc.message}") from None
    except TemplateError as exc:
        raise BuildError(f"template {folder / 'briefing.html.j2'}: {exc}") from None
