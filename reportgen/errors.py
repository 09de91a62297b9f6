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
    """A library message as the office's page shows it: in Vietnamese (reportgen/data/
    messages.vi.yaml), with no server path (the project's root dropped, other folders cut to the
    file's name) and a document of the archive named by its title (`titles`: file → title). A
    message with no translation becomes a general sentence with a code; its text is kept for the
    administrator (output/web/errors.log)."""
    import hashlib
    import re

    text = message.replace((root.rstrip("/") + "/") if root else "\x00", "")
    text = re.sub(r"(?<![\w.])/(?:[\w.\-]+/)+([\w.\-]+)", r"\1", text)
    for entry in _messages():
        m = re.search(entry["en"], text)
        if m:
            text = entry["vi"].format(**{k: (v or "") for k, v in m.groupdict().items()})
            break
    else:
        if _english(text):
            code = hashlib.sha256(message.encode("utf-8")).hexdigest()[:8]
            _log(code, message, root)
            return f"có lỗi khi xử lý (mã {code}); hãy báo cho người quản trị."
    for name, title in (titles or {}).items():
        text = text.replace(name, f"«{title}»")
    text = re.sub(r"\b(\d{4})-(\d\d)-(\d\d)\b", lambda d: f"{d.group(3)}/{d.group(2)}/{d.group(1)}", text)
    return text


def _english(text: str) -> bool:
    import re

    return len(re.findall(r"\b(the|is|not|no|of|and|with|cannot|was|were|has|have|from|into)\b", text)) >= 2


def _messages() -> list[dict[str, str]]:
    global _CACHE
    if _CACHE is None:
        from pathlib import Path

        import yaml

        data = yaml.safe_load((Path(__file__).parent / "data" / "messages.vi.yaml").read_text("utf-8"))
        _CACHE = list(data["messages"])
    return _CACHE


_CACHE: list[dict[str, str]] | None = None


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
