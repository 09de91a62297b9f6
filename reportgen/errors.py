"""Errors that end a command with a clear one-paragraph message instead of a traceback.

The exit code is part of the contract: 2 for bad usage or bad input (the user can fix
the input), 1 for a build failure (the tool could not finish).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .i18n import Message


class ReportgenError(Exception):
    """`said`: a reportgen.i18n.Message (a code, its English, its parameters: shown in the
    user's language) or, for a message not yet in the catalogue, plain English text."""
    exit_code = 1

    def __init__(self, message: "str | Message") -> None:
        super().__init__(message if isinstance(message, str) else message.english)
        self.said = message

    @property
    def message(self) -> str:
        """In the user's language (reportgen.i18n.language)."""
        return self.said if isinstance(self.said, str) else self.said.text()

    def text(self, lang: str) -> str:
        return self.said if isinstance(self.said, str) else self.said.text(lang)

    @property
    def code(self) -> str | None:
        return None if isinstance(self.said, str) else self.said.code

    def __str__(self) -> str:
        return self.message

    def replaced(self, old: str, new: str) -> "ReportgenError":
        """The same error with `old` (a trial file's path, say) written `new` in its text."""
        if isinstance(self.said, str):
            return type(self)(self.said.replace(old, new))
        from .i18n import Message

        params = {k: (str(v).replace(old, new) if not isinstance(v, (int, float, list, tuple, Message)) else v)
                  for k, v in self.said.params.items()}
        return type(self)(Message(self.said.code, self.said.english, params))


class InputError(ReportgenError):
    """Bad input: a file, line or value the user must fix."""

    exit_code = 2


class BuildError(ReportgenError):
    exit_code = 1


def vi(message: str, root: str | None = None, titles: dict[str, str] | None = None) -> str:
    """A message as the office's page shows it. The page's jobs speak Vietnamese already
    (reportgen.i18n, from the catalogue); here: no server path (the project's root dropped, other
    folders cut to the file's name), a document of the archive named by its title (`titles`: file →
    title) — and a message still in English (one the catalogue does not hold yet)
    becomes a general sentence with a code, its text kept for the administrator
    (output/web/errors.log)."""
    import re

    text = message.replace((root.rstrip("/") + "/") if root else "\x00", "")
    text = re.sub(r"(?<![\w.])/(?:[\w.\-]+/)+([\w.\-]+)", r"\1", text)
    if _english(text):
        return f"có lỗi khi xử lý (mã {logged(message, root)}); hãy báo cho người quản trị."
    for name, title in (titles or {}).items():
        text = text.replace(f"tệp {name}", f"«{title}»").replace(name, f"«{title}»")
    return text


def logged(message: str, root: str | None) -> str:
    """The code the page shows for a message it cannot say in Vietnamese; the message itself goes
    to output/web/errors.log under that code, for the administrator."""
    import hashlib

    code = hashlib.sha256(message.encode("utf-8")).hexdigest()[:8]
    _log(code, message, root)
    return code


def _english(text: str) -> bool:
    import re

    return len(re.findall(r"\b(the|is|not|no|of|and|with|cannot|was|were|has|have|from|into)\b", text)) >= 2


def _log(code: str, message: str, root: str | None) -> None:
    from datetime import datetime
    from pathlib import Path

    if not root:
        return
    try:
        folder = Path(root) / "output" / "web"
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / "errors.log", "a", encoding="utf-8") as log:
            log.write(f"{datetime.now().isoformat(timespec='seconds')} {code} {message}\n")
    except OSError:
        pass
