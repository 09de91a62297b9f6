"""`reportgen facts build` as a library function: extract, verify, and write the fact base
only if it verifies — for the CLI and the web page alike."""

from __future__ import annotations

from .i18n import msg

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import paths
from .budget import collector_paused
from .errors import BuildError, InputError
from .factbase import FactBase
from .request import check_file_out


class Disagreement(InputError):
    """The documents disagree: nothing was written. `disputes` holds the two records of each
    value conflict, for a reviewer to choose between."""

    def __init__(self, message, disputes: list[tuple]) -> None:  # type: ignore[no-untyped-def, type-arg]
        super().__init__(message)
        self.disputes = disputes


@dataclass
class Updated:
    fb: FactBase
    to_review: dict[str, int] = field(default_factory=dict)    # what `facts review` would list, by kind


@collector_paused()
def update_fact_base(seeds: Path, out: Path, catalogue_path: Path, corrections_path: Path, skip_bad: bool = False,
                     registry_path: Path | None = None, ocr: bool = False,
                     on_skipped: Callable[[str], None] | None = None) -> Updated:
    from .budget import Beside, done_with_interrupts, interrupts_held, watch_interrupts
    from .build_facts import build
    from .catalogue import load_catalogue
    from .corrections import load_corrections
    from .factbase import dump_factbase
    from .registry import load_registry
    from .review import counts, review
    from .verify import verify
    from .yamlio import os_error_text, write_atomic

    check_file_out(out)
    catalogue = load_catalogue(catalogue_path)
    corrections = load_corrections(corrections_path)
    registry = load_registry(registry_path or paths.registry_file())
    skipped: list[str] = []
    fb = build(seeds, catalogue, corrections, registry, skipped=skipped if skip_bad else None, ocr=ocr,
               cache=paths.cache_dir())
    for message in skipped:
        if on_skipped:
            on_skipped(message)
    # The YAML is written out on the other core while this one verifies and lists what to review.
    with Beside(lambda: dump_factbase(fb)) as dumped:
        texts: dict[str, str] = {}
        report = verify(fb, catalogue, seeds, paths.cache_dir(), corrections, registry, derived=fb, texts=texts)
        if report.errors:
            raise InputError(msg("update_facts.do_not_verify", "the extracted facts do not verify, so nothing was "
                                 "written: {errors}", errors=tuple(report.errors[:5])))
        if report.conflicts:
            raise Disagreement(msg("update_facts.documents_disagree", "the documents disagree ({count} conflicts), so "
                                   "nothing was written: {conflicts} Record which is right in facts/corrections.yaml "
                                   "(reject: for a wrong fact, documents: for a document's date or session) and build "
                                   "again.", count=len(report.conflicts), conflicts=tuple(report.conflicts[:3])),
                               report.disputes)
        if out.exists() and out.is_dir():
            raise InputError(msg('update_facts.folder_out_takes_file', "{out}: is a folder; --out takes a file name.", out=out))
        to_review = counts(review(fb, catalogue, registry, seeds, paths.cache_dir(), texts))
        text = dumped.result()
    try:
        with watch_interrupts(), interrupts_held():      # the renames all or none; after them Ctrl-C undoes nothing
            write_atomic(out, text.encode("utf-8"))
            done_with_interrupts()
    except OSError as exc:
        raise BuildError(msg('update_facts.cannot_write_fact_base', "{out}: cannot write the fact base ({os_error_text}); nothing was written.", out=out, os_error_text=os_error_text(exc))) from None
    return Updated(fb, to_review)
