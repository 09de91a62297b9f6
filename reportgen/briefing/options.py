"""What a person may set for one briefing besides the province and the day (build.Request).
Kept apart from compose: the process that only lays out the PDF reads a request without
loading what composing needs."""

from __future__ import annotations

from dataclasses import dataclass

TASK_WINDOW = 90   # days: how long a task of an older document stays after its deadline


@dataclass
class Options:
    number: str | None = None
    issuer: list[str] | None = None
    signer_title: list[str] | None = None
    signer: str | None = None
    task_window: int = TASK_WINDOW
    review: bool = False           # the review copy: sources marked
