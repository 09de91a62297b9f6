"""The reportgen command line.

Exit codes: 0 success; 1 build failure (or facts that fail verification); 2 bad usage
or bad input (a file, line or value to fix). Errors are one paragraph, never a traceback
(set REPORTGEN_DEBUG=1 to see one).
"""

from __future__ import annotations

from .i18n import Message, msg, say

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import paths
from .budget import interrupt_handled as _interrupt_handled
from .cli_words import Command, Group, words
from .errors import BuildError, InputError, ReportgenError

app = typer.Typer(
    cls=Group, help=words("cli.help.reportgen", "Provincial briefings from the documents of the National Committee on "
                          "Digital Transformation and Project 06.\n\nExit codes: 0 success, 1 build failure, 2 bad "
                          "usage or bad input."),
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["--help", "-h"]})
facts_app = typer.Typer(cls=Group, help=words("cli.help.facts", "Build, verify and show the fact base "
                                                                "(facts/factbase.yaml)."),
                        no_args_is_help=True)
app.add_typer(facts_app, name="facts")


def _err(message: str) -> None:
    from rich.console import Console

    from .textnorm import printable

    Console(stderr=True, highlight=False, soft_wrap=True).print(f"[bold red]{say('cli.error', 'error:')}[/] {printable(message)}",
                                                                markup=True)


def _shown(text: str) -> str:
    """Text from a document (a title, a sentence, a file name) for the console: its markup
    and its terminal escape sequences shown, not acted on."""
    from rich.markup import escape

    from .textnorm import printable

    return escape(printable(text))


def _run(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    try:
        return fn(*args, **kwargs)
    except ReportgenError as exc:
        from rich.markup import escape

        _err(escape(exc.message))
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        _err(say("cli.interrupted", "interrupted; nothing was written."))
        _interrupt_handled()
        raise typer.Exit(130) from None
    except typer.Exit:
        raise
    except Exception as exc:  # noqa: BLE001 - the user gets a message, not a traceback
        if os.environ.get("REPORTGEN_DEBUG"):
            raise
        _err(say("cli.internal_error", "internal error: {name}: {exc} (set REPORTGEN_DEBUG=1 for details).",
                 name=type(exc).__name__, exc=str(exc)))
        raise typer.Exit(1) from None


from .request import make_request as _request  # noqa: E402


def _path_given(value: str) -> Path:
    """A path option as typed: empty is refused (as a path it would be the current folder:
    `--seeds ""` built a fact base of the office folder over the real one)."""
    if not value:
        raise typer.BadParameter(say("cli.path_empty", "it is empty; give a path."))
    return Path(value)


SeedsOpt = Annotated[Optional[Path], typer.Option("--seeds", parser=_path_given, help=words("cli.help.seeds", "Folder of source documents (default: seeds/)."))]
FactsOpt = Annotated[Optional[Path], typer.Option("--facts", parser=_path_given, help=words("cli.help.facts_file", "Fact base file (default: facts/factbase.yaml)."))]
CatalogueOpt = Annotated[Optional[Path], typer.Option("--catalogue", parser=_path_given, help=words("cli.help.catalogue", "Metric catalogue (default: facts/catalogue.yaml)."))]
RegistryOpt = Annotated[Optional[Path], typer.Option("--registry", parser=_path_given, help=words("cli.help.registry", "Bodies, document and event kinds (default: facts/registry.yaml)."))]
CorrectionsOpt = Annotated[Optional[Path], typer.Option("--corrections", parser=_path_given, help=words("cli.help.corrections", "Reviewed corrections (default: facts/corrections.yaml)."))]


@facts_app.command("build", cls=Command, help=words(
    "cli.help.facts_build",
    "Extract every figure, target, task and event from the documents into one YAML "
    "file.\n\nDeterministic: the same documents, catalogue and corrections give the same bytes. The "
    "file is written only if the result passes `facts verify`."))
def facts_build(
    seeds: SeedsOpt = None,
    out: Annotated[Optional[str], typer.Option("--out", metavar=words("cli.metavar.file", "FILE"), help=words("cli.help.facts_build.out", "Where to write the fact base (default: facts/factbase.yaml)."))] = None,
    catalogue: CatalogueOpt = None,
    corrections: CorrectionsOpt = None,
    skip_bad: Annotated[bool, typer.Option("--skip-bad", help=words("cli.help.facts_build.skip_bad", "Skip documents that cannot be read (empty, binary, damaged, encrypted, scanned without --ocr, too big; named on stderr) instead of refusing the build."))] = False,
    registry: RegistryOpt = None,
    ocr: Annotated[bool, typer.Option("--ocr", help=words("cli.help.facts_build.ocr", "Read scanned PDFs (no text layer) by OCR; needs tesseract-ocr-vie. Their facts are marked ocr: true."))] = False,
) -> None:
    _run(lambda: _facts_build(seeds or paths.seeds_dir(), _out_option(out, "a file") or paths.facts_file(),
                              catalogue or paths.catalogue_file(), corrections or paths.corrections_file(), skip_bad,
                              registry or paths.registry_file(), ocr))


def _out_option(value: str | None, what: str) -> Path | None:
    """--out as typed ("a file" or "a folder"): empty is refused (as a path it would be the
    current folder)."""
    if value is None:
        return None
    if not value:
        if what == "a folder":
            raise InputError(msg("cli.out_empty_folder", "--out is empty; give a folder's name."))
        raise InputError(msg("cli.out_empty_file", "--out is empty; give a file's name."))
    return Path(value)


def _facts_build(seeds: Path, out: Path, catalogue_path: Path, corrections_path: Path, skip_bad: bool = False,
                 registry_path: Path | None = None, ocr: bool = False) -> None:
    from rich.console import Console

    from .sources import not_documents
    from .update_facts import update_fact_base

    told = Console(stderr=True, highlight=False, soft_wrap=True)
    for left_out in not_documents(seeds):
        told.print(f"[yellow]{say('cli.note', 'note:')}[/] {_shown(left_out.text())}")
    done = update_fact_base(seeds, out, catalogue_path, corrections_path, skip_bad, registry_path, ocr,
                            on_skipped=lambda message: _err(say("cli.skipped", "skipped {what}", what=_shown(message))))
    fb = done.fb
    classified = sum(1 for f in fb.figures if f.metric != "unclassified")
    console = Console(highlight=False, soft_wrap=True)
    console.print(say("cli.wrote_facts", "Wrote {out}: {documents} documents, {figures} figures ({classified} classified), "
                      "{targets} targets, {tasks} tasks, {statements} statements, {events} events, {bridges} bridge "
                      "points.", out=str(out), documents=len(fb.documents), figures=len(fb.figures),
                      classified=classified, targets=len(fb.targets), tasks=len(fb.tasks),
                      statements=len(fb.statements), events=len(fb.events), bridges=len(fb.bridge_points)))
    if done.to_review:
        words = {"figure": msg("cli.review_figures", "{n} unclassified figures"),
                 "body": msg("cli.review_bodies", "{n} events of unknown bodies"),
                 "date": msg("cli.review_dates", "{n} events no document dates"),
                 "kind": msg("cli.review_kinds", "{n} documents of unknown kinds")}
        console.print(say("cli.to_review", "To review: {items} — run `reportgen facts review`.",
                          items=", ".join(Message(words[k].code, words[k].english, {"n": n}).text()
                                          for k, n in sorted(done.to_review.items()))))


@facts_app.command("verify", cls=Command, help=words(
    "cli.help.facts_verify",
    "Check every quote against its source, every value and deadline against its quote, every id "
    "against the catalogue, every record against what the extraction gives from its document (a hand "
    "edit no source supports fails), and report conflicting values."))
def facts_verify(facts: FactsOpt = None, seeds: SeedsOpt = None, catalogue: CatalogueOpt = None,
                 corrections: CorrectionsOpt = None, registry: RegistryOpt = None) -> None:
    _run(_facts_verify, facts or paths.facts_file(), seeds or paths.seeds_dir(), catalogue or paths.catalogue_file(),
         corrections or paths.corrections_file(), registry or paths.registry_file())


def _facts_verify(facts: Path, seeds: Path, catalogue_path: Path, corrections_path: Path | None = None,
                  registry_path: Path | None = None) -> None:
    from rich.console import Console

    from .catalogue import load_catalogue
    from .factbase import load_factbase
    from .verify import verify

    from .corrections import load_corrections
    from .registry import load_registry

    catalogue = load_catalogue(catalogue_path)
    fb = load_factbase(facts)
    report = verify(fb, catalogue, seeds, paths.cache_dir(), load_corrections(corrections_path),
                    load_registry(registry_path or paths.registry_file()))
    out = Console(highlight=False, soft_wrap=True)
    for line in report.resolved:
        out.print(f"[cyan]{say('cli.verify.resolved', 'resolved:')}[/] {_shown(str(line))}")
    for line in report.conflicts:
        out.print(f"[yellow]{say('cli.verify.conflict', 'conflict:')}[/] {_shown(str(line))}")
    for line in report.errors:
        out.print(f"[red]{say('cli.error', 'error:')}[/] {_shown(str(line))}")
    if not report.ok:
        _err(say("cli.verify_failed", "{facts}: {errors} errors and {conflicts} unresolved conflicts.", facts=str(facts),
                 errors=len(report.errors), conflicts=len(report.conflicts)))
        raise typer.Exit(1)
    out.print(say("cli.verify_ok", "OK: {checked} quotes checked in {facts}; {resolved} disagreements resolved in "
                  "favour of official text.", checked=report.checked, facts=str(facts), resolved=len(report.resolved)))

@facts_app.command("review", cls=Command, help=words(
    "cli.help.facts_review",
    "List what the documents brought that the catalogue and the registry cannot place (unclassified "
    "figures, unknown bodies and document kinds, events no document dates), each with its sentence, "
    "its document and an entry to paste; then edit the file and run `reportgen facts build` again."))
def facts_review(facts: FactsOpt = None, seeds: SeedsOpt = None, catalogue: CatalogueOpt = None,
                 registry: RegistryOpt = None) -> None:
    _run(_facts_review, facts or paths.facts_file(), seeds or paths.seeds_dir(),
         catalogue or paths.catalogue_file(), registry or paths.registry_file())


def _facts_review(facts: Path, seeds: Path, catalogue_path: Path, registry_path: Path) -> None:
    from rich.console import Console

    from .catalogue import load_catalogue
    from .factbase import load_factbase
    from .registry import load_registry
    from .review import review

    from .textnorm import shown_name
    from .verify import changed_documents, unread_documents

    fb = load_factbase(facts)
    if seeds.is_dir():
        stale = changed_documents(fb, seeds) + unread_documents(fb, seeds)
        if stale:          # what is listed below would be of documents as they were
            names = ", ".join(shown_name(n) for n in stale[:5]) + (f" (+{len(stale) - 5})" if len(stale) > 5 else "")
            Console(stderr=True, highlight=False, soft_wrap=True).print(
                f"[yellow]{say('cli.note', 'note:')}[/] " + _shown(say(
                    "cli.review_stale", "the fact base is older than the documents ({names}): run `reportgen facts "
                    "build` first, or this review lists what they said before.", names=names)))
    items = review(fb, load_catalogue(catalogue_path), load_registry(registry_path), seeds, paths.cache_dir())
    console = Console(highlight=False, soft_wrap=True)
    if not items:
        console.print(say("cli.nothing_to_review", "Nothing to review: every figure has a metric, every event a body "
                          "and a date."))
        return
    where = {"figure": msg("cli.review.where_figure", "{file} (metrics:) — or add a phrase to an existing metric, or, if "
                           "the number is no figure (who took part, a slogan), a pattern (ignore:)",
                           file=str(catalogue_path)),
             "body": f"{registry_path} (bodies:)", "kind": f"{registry_path} (document_kinds:)",
             "date": f"{paths.corrections_file()} (documents:)"}
    for n, item in enumerate(items, start=1):
        console.print(f"[bold]{n}. {_shown(item.document)}[/]: {_shown(str(item.message))}.")
        if item.sentence:
            console.print(f"   «{_shown(item.sentence)}»")
        console.print("   " + say("cli.review.suggested", "Suggested entry for {where}:", where=_shown(str(where[item.what]))))
        console.print(_shown(str(item.suggestion)))
    console.print(say("cli.items", "{n} items. After editing, run `reportgen facts build`.", n=len(items)))

@facts_app.command("show", cls=Command, help=words(
    "cli.help.facts_show",
    "Print the fact base as tables, values in Vietnamese number style."))
def facts_show(
    metric: Annotated[Optional[str], typer.Option("--metric", help=words("cli.help.facts_show.metric", "Only this metric id."))] = None,
    province: Annotated[Optional[str], typer.Option("--province", help=words("cli.help.facts_show.province", "Only facts about this province (former names included)."))] = None,
    facts: FactsOpt = None,
    catalogue: CatalogueOpt = None,
    document: Annotated[Optional[str], typer.Option("--document", help=words("cli.help.facts_show.document", "Show one document: what was read from it (its text, as every quote is checked against) and the facts taken from it. A file name in seeds/ or its start."))] = None,
    seeds: SeedsOpt = None,
) -> None:
    _run(_facts_show, metric, province, facts or paths.facts_file(), catalogue or paths.catalogue_file(),
         document, seeds or paths.seeds_dir())


def _facts_show(metric: str | None, province: str | None, facts: Path, catalogue_path: Path,
                document: str | None = None, seeds: Path | None = None) -> None:
    from .catalogue import load_catalogue
    from .factbase import load_factbase
    from .show import show, show_document

    for option, value in (("--metric", metric), ("--province", province)):
        if value is not None and not value.strip():      # (an empty filter showed everything, exit 0)
            raise InputError(msg("cli.option_empty", "{option} is empty; give a value or leave the option out.",
                                 option=option))
    catalogue = load_catalogue(catalogue_path)
    fb = load_factbase(facts)
    if document is not None:
        from .registry import load_registry

        kinds = {k.id: k.label for k in load_registry(paths.registry_file()).document_kinds}
        show_document(fb, catalogue, document, seeds or paths.seeds_dir(), paths.cache_dir(), kinds)
        return
    if metric and metric not in catalogue.by_id and metric != "unclassified":
        import difflib

        close = difflib.get_close_matches(metric, list(catalogue.by_id), n=3)
        hint = msg("cli.did_you_mean_metric", " Did you mean: {names}?", names=", ".join(close)) if close else ""
        raise InputError(msg('cli.unknown_metric_id', "unknown metric id {metric}.{hint}", metric=f"{metric!r}", hint=hint))
    show(fb, catalogue, metric=metric, province=province)


@facts_app.command("add", cls=Command, help=words(
    "cli.help.facts_add",
    "Copy documents into seeds/ under a clean name, after reading them: a file that cannot be read, "
    "or whose content is already there (in any format), is refused by name. Then run `reportgen facts"
    " build`."))
def facts_add(
    files: Annotated[list[Path], typer.Argument(metavar=words("cli.metavar.files", "FILE"), help=words("cli.help.facts_add.argument", "Documents to add: .txt, .md, .html/.htm (a page saved from a browser), .docx, .pdf with a text layer."))],
    seeds: SeedsOpt = None,
    registry: RegistryOpt = None,
    ocr: Annotated[bool, typer.Option("--ocr", help=words("cli.help.facts_add.ocr", "Read scanned PDFs by OCR (needs tesseract-ocr-vie)."))] = False,
    force: Annotated[bool, typer.Option("--force", help=words("cli.help.facts_add.force", "Add a document even if one with (nearly) the same text is already there."))] = False,
) -> None:
    _run(_facts_add, files, seeds or paths.seeds_dir(), registry or paths.registry_file(), ocr, force)


def _facts_add(files: list[Path], seeds: Path, registry_path: Path, ocr: bool, force: bool = False) -> None:
    from rich.console import Console

    from .intake import add_documents
    from .registry import load_registry

    console = Console(highlight=False, soft_wrap=True)
    added = add_documents(files, seeds, load_registry(registry_path), ocr, paths.cache_dir(), force)
    for a in added:
        console.print(say("cli.added", "added {target} (from {source})", target=_shown(str(a.target)),
                          source=_shown(str(a.source))))
        console.print(f"  {_shown(a.summary)}")
    console.print(say("cli.documents_added", "{n} documents added. Run `reportgen facts build`, then `reportgen facts "
                      "review`.", n=len(added)))

@app.command("serve", cls=Command, help=words(
    "cli.help.serve",
    "Start the office's web page: build briefings, add documents, review new facts.\n\nPlain HTML "
    "forms over the same functions as these commands; open the address it prints in a browser. Stop "
    "with Ctrl-C."))
def serve_cmd(
    host: Annotated[str, typer.Option("--host", help=words("cli.help.serve.host", "Address or name to listen on. Any address but loopback requires the access token printed at start."))] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help=words("cli.help.serve.port", "Port to listen on."))] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, max=8, help=words("cli.help.serve.workers", "Worker processes for builds (one more rebuilds the fact base)."))] = 2,
    allow_host: Annotated[Optional[list[str]], typer.Option("--allow-host", help=words("cli.help.serve.allow_host", "Another name the page is reached by (a DNS alias of this machine); repeatable. Requests naming any other host are refused."))] = None,
) -> None:
    _run(_serve, host, port, workers, allow_host or [])


def _serve(host: str, port: int, workers: int, allow_host: list[str] | None = None) -> None:
    import ipaddress
    import socket

    from .web import server
    from .web.app import create_app
    from .web.security import LOOPBACK_NAMES, Hosts, new_token

    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            addresses = [ipaddress.ip_address(info[4][0].split("%")[0])
                         for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]
        except (socket.gaierror, UnicodeError, ValueError):
            addresses = []
        if not addresses or not host.replace(".", "").replace("-", "").isalnum():
            raise InputError(msg('cli.host_neither_ip_address', "--host {host} is neither an IP address (e.g. 127.0.0.1 or 0.0.0.0) nor a host name that resolves here.", host=f"{host!r}")) from None
    for name in allow_host or []:
        if not name or not name.replace(".", "").replace("-", "").isalnum():
            raise InputError(msg('cli.allow_host_give_host', "--allow-host {name}: give a host name (letters, digits, dots, hyphens), without port or scheme.", name=f"{name!r}"))
    loopback = all(a.is_loopback for a in addresses)
    wildcard = any(a.is_unspecified for a in addresses)
    # the Host names the page answers: the loopback ones, the --host name, and off loopback
    # the machine's own names (and, listening on every address, the address reached)
    names = [*LOOPBACK_NAMES, host, *(allow_host or [])]
    if not loopback:
        names += [socket.gethostname(), socket.getfqdn()]
    hosts = Hosts([n for n in names if n not in ("0.0.0.0", "::")], port, local_address=wildcard)
    token = None if loopback else new_token()
    shown = f"[{host}]" if ":" in host else host
    try:
        server.can_listen(host, port)
    except OSError as exc:
        raise BuildError(msg('cli.cannot_listen', "cannot listen on {host}:{port}: {value}", host=host, port=port, value=exc.strerror or exc)) from None
    if token:
        print(f"reportgen serve: http://{shown}:{port}/?token={token}\n  "
              + say("cli.serve.token", "(this address is reachable from other machines: the token is required; give it "
                    "only to the office)"), flush=True)
    else:
        print(f"reportgen serve: http://{shown}:{port}/  " + say("cli.serve.stop", "(Ctrl-C to stop)"), flush=True)
    try:
        server.run(create_app(token, workers, hosts), host=host, port=port)
    except OSError as exc:
        raise BuildError(msg('cli.cannot_listen_2', "cannot listen on {host}:{port}: {value}", host=host, port=port, value=exc.strerror or exc)) from None


@app.command("sign", cls=Command, help=words(
    "cli.help.sign",
    "Sign a PDF (PAdES): the signer's image between the signature title and the name, or with "
    "--organisation the seal over its left third (Decree 30, Phụ lục I, II.7d and 8a)."))
def sign_command(
    pdf: Annotated[Path, typer.Argument(metavar=words("cli.metavar.pdf", "PDF"), help=words("cli.help.sign.argument", "The PDF to sign (a briefing, or another document with --page/--box)."))],
    cert: Annotated[Path, typer.Option("--cert", help=words("cli.help.sign.cert", "The signer's (or the organisation's) PKCS#12 file (.p12, .pfx)."))],
    image: Annotated[Path, typer.Option("--image", help=words("cli.help.sign.image", "The signature image (blue), or with --organisation the seal (red): PNG with a transparent background."))],
    password_file: Annotated[Optional[Path], typer.Option("--password-file", parser=_path_given, help=words("cli.help.sign.password_file", "A file holding the PKCS#12 password (else the environment variable REPORTGEN_CERT_PASSWORD). Never on the command line."))] = None,
    out: Annotated[Optional[str], typer.Option("--out", metavar=words("cli.metavar.file", "FILE"), help=words("cli.help.sign.out", "Where to write the signed PDF; an existing folder gets NAME.signed.pdf (default: beside the input, NAME.signed.pdf)."))] = None,
    organisation: Annotated[bool, typer.Option("--organisation", help=words("cli.help.sign.organisation", "The organisation's signature and seal, on a file the signer has signed."))] = False,
    tsa: Annotated[Optional[str], typer.Option("--tsa", help=words("cli.help.sign.tsa", "A time-stamping authority's URL: PAdES B-T instead of B-B."))] = None,
    reason: Annotated[Optional[str], typer.Option("--reason", help=words("cli.help.sign.reason", "The reason recorded in the signature."))] = None,
    page: Annotated[Optional[int], typer.Option("--page", help=words("cli.help.sign.page", "For a document without a briefing's signature block: the page (from 1)."))] = None,
    box: Annotated[Optional[str], typer.Option("--box", help=words("cli.help.sign.box", "With --page: X,Y,W,H in millimetres from the page's top left."))] = None,
) -> None:
    _run(lambda: _sign(pdf, cert, image, password_file, _out_option(out, "a file"), organisation, tsa, reason, page,
                       box))


def _sign(pdf: Path, cert: Path, image: Path, password_file: Path | None, out: Path | None, organisation: bool,
          tsa: str | None, reason: str | None, page: int | None, box: str | None) -> None:
    from rich.console import Console
    from rich.markup import escape

    from . import signing
    from .yamlio import os_error_text, write_atomic

    if not pdf.is_file():
        raise InputError(msg('cli.no_such_file', "{pdf}: no such file.", pdf=pdf))
    if password_file is not None:
        try:
            password = password_file.read_bytes().rstrip(b"\r\n")
        except OSError as exc:
            raise InputError(msg('cli.cannot_read_password_file', "{password_file}: cannot read the password file ({strerror}).", password_file=password_file, strerror=exc.strerror)) from None
    elif os.environ.get("REPORTGEN_CERT_PASSWORD") is not None:
        password = os.environ["REPORTGEN_CERT_PASSWORD"].encode("utf-8")
    else:
        raise InputError(msg('cli.give_certificate_s_password', "give the certificate's password in a file (--password-file FILE) or in the environment variable REPORTGEN_CERT_PASSWORD; it is never taken on the command line."))
    if (page is None) != (box is None):
        raise InputError(msg('cli.page_box_go_together', "--page and --box go together."))
    place = signing.box_from_option(pdf, page, box, organisation) if page is not None and box is not None else None
    name = pdf.stem + ".signed.pdf"
    target = (out / name if out.is_dir() else out) if out is not None else pdf.with_name(name)
    if target.is_dir():
        raise InputError(msg('cli.folder_way_signed_pdf', "{target}: a folder is in the way of the signed PDF; give --out another file name.", target=target))
    data = signing.sign(pdf, cert, password, image, organisation=organisation, reason=reason, tsa=tsa, box=place)
    try:
        write_atomic(target, data)
    except OSError as exc:
        raise BuildError(msg('cli.cannot_write_signed_pdf', "{target}: cannot write the signed PDF ({os_error_text}); nothing was written.", target=target, os_error_text=os_error_text(exc))) from None
    Console(highlight=False, soft_wrap=True).print(say("cli.signed", "signed: {path}", path=escape(str(target))))


@app.command("signatures", cls=Command, help=words(
    "cli.help.signatures",
    "Check a PDF's signatures: who signed, when, PAdES level, and for each one intact, valid, trusted"
    " (with --trust) and nothing changed after it but what it allows; then one verdict for the file. "
    "Exit 0 only when every check passes, 1 otherwise."))
def signatures_command(
    pdf: Annotated[Path, typer.Argument(metavar=words("cli.metavar.pdf", "PDF"), help=words("cli.help.signatures.argument", "A signed PDF, sent or received."))],
    trust: Annotated[Optional[list[Path]], typer.Option("--trust", help=words("cli.help.signatures.trust", "A root certificate (PEM or DER) to trust; repeat for several."))] = None,
) -> None:
    _run(_signatures, pdf, trust or [])


def _signatures(pdf: Path, trust: list[Path]) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from .signing import check_signatures, printable

    if not pdf.is_file():
        raise InputError(msg('cli.no_such_file_2', "{pdf}: no such file.", pdf=pdf))
    report = check_signatures(pdf, trust)
    console = Console(highlight=False, soft_wrap=True)
    text = lambda v: escape(printable(v))  # noqa: E731
    if report.signatures:
        table = Table(title=f"Chữ ký số ({len(report.signatures)})", show_lines=True)
        for col in ("Chữ ký", "Nguyên vẹn", "Hợp lệ", "Tin cậy", "Sửa sau khi ký", "Kết luận"):
            table.add_column(col)
        yes = lambda v: "có" if v else "[red]không[/]"  # noqa: E731
        for s in report.signatures:
            who = "\n".join(text(v) for v in (s.field, s.signer, s.organisation, s.time, s.level) if v)
            verdict = "đạt" if s.ok else "[red]KHÔNG ĐẠT[/]: " + escape("; ".join(p.vi for p in s.problems))
            table.add_row(who, yes(s.intact), yes(s.valid), "chưa kiểm tra" if s.trusted is None else yes(s.trusted),
                          text(s.after) if s.ok or not s.after.startswith("có") else f"[red]{text(s.after)}[/]",
                          verdict)
        console.print(table)
    if not report.ok:
        console.print(f"[bold red]Kết luận: KHÔNG ĐẠT[/] — {escape(report.summary('vi'))}. "
                      f"(FAIL: {escape(report.summary('en'))}.)")
        raise typer.Exit(1)
    count = len(report.signatures)
    if report.trust_checked:
        console.print(f"[bold]Kết luận: ĐẠT[/] — {count} chữ ký nguyên vẹn, hợp lệ, tin cậy; sau mỗi chữ ký không "
                      f"có thay đổi nào ngoài chữ ký sau. (PASS: {count} signatures intact, valid, trusted; nothing "
                      "changed after any but a later signature.)")
    else:
        console.print(f"[bold]Kết luận: ĐẠT[/] — {count} chữ ký nguyên vẹn, hợp lệ; sau mỗi chữ ký không có thay "
                      "đổi nào ngoài chữ ký sau; chưa kiểm tra nguồn tin cậy (thêm --trust GỐC.pem). (PASS: "
                      f"{count} signatures intact and valid; nothing changed after any but a later signature; "
                      "trust not checked: add --trust ROOT.pem.)")


@app.command("build", cls=Command, help=words(
    "cli.help.build",
    "Build a provincial briefing (Thông báo, Decree 30 layout) as PDF and DOCX.\n\nGive --province "
    "NAME for one province (the unit of --date: Kon Tum before 01/7/2025 is Kon Tum's notice, from "
    "then Quảng Ngãi's), or --all for the units of --date (the 63 before 01/7/2025, the 34 from it); "
    "with --all, provinces whose inputs have not changed since their last build are skipped unless "
    "--force. Exit codes: 0 success, 1 build failure (with --all: any province failed), 2 bad usage "
    "or bad input, 130 interrupted."))
def build_cmd(
    province: Annotated[Optional[str], typer.Option("--province", "-p", help=words("cli.help.build.province", "Province or city, current or former name, any spelling."))] = None,
    all_: Annotated[bool, typer.Option("--all", help=words("cli.help.build.all", "Every province and city of the briefing's date (63 before 01/7/2025, 34 from it), in parallel worker processes."))] = False,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help=words("cli.help.build.jobs", "Worker processes for --all (default: number of cores)."))] = None,
    force: Annotated[bool, typer.Option("--force", help=words("cli.help.build.force", "With --all: rebuild provinces whose inputs have not changed."))] = False,
    stats: Annotated[Optional[Path], typer.Option("--stats", hidden=True, help=words("cli.help.build.stats", "With --all: write timings and memory as JSON (benchmarks)."))] = None,
    when: Annotated[Optional[str], typer.Option("--date", help=words("cli.help.build.date", "Briefing date YYYY-MM-DD (default: today)."))] = None,
    out: Annotated[str, typer.Option("--out", metavar=words("cli.metavar.folder", "FOLDER"), help=words("cli.help.build.out", "Output folder; one sub-folder per province."))] = "output",
    fmt: Annotated[str, typer.Option("--format", help=words("cli.help.build.format", "pdf, docx or both."))] = "both",
    facts: FactsOpt = None,
    number: Annotated[Optional[str], typer.Option("--number", help=words("cli.help.build.number", "Document number, e.g. 12/TB-UBND (default: blank for the clerk)."))] = None,
    issuer: Annotated[Optional[str], typer.Option("--issuer", help=words("cli.help.build.issuer", "Issuer lines separated by ' / ' (default: ỦY BAN NHÂN DÂN / TỈNH …)."))] = None,
    signer_title: Annotated[Optional[str], typer.Option("--signer-title", help=words("cli.help.build.signer_title", "Signature title lines separated by ' / ' (default: TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH)."))] = None,
    signer: Annotated[Optional[str], typer.Option("--signer", help=words("cli.help.build.signer", "Signer's full name, printed under the signature space."))] = None,
    task_window: Annotated[int, typer.Option("--task-window", min=0, max=3650, help=words("cli.help.build.task_window", "Days a task of an older notice, dispatch or directive stays in section 5 b) after its deadline (without a deadline: after the document's date)."))] = 90,
    dry_run: Annotated[bool, typer.Option("--dry-run", help=words("cli.help.build.dry_run", "Resolve the province, check the facts, print the planned paths; write nothing."))] = False,
    templates: Annotated[Optional[Path], typer.Option("--templates", parser=_path_given, help=words("cli.help.build.templates", "A custom template folder (briefing.html.j2, briefing.css), rendered in Jinja's sandbox."))] = None,
    review_copy: Annotated[bool, typer.Option("--review-copy", help=words("cli.help.build.review_copy", "Build the office's review copy instead: the same briefing with every source marked and listed (file names included), named …-ban-theo-doi-nguon; never the copy to send."))] = False,
) -> None:
    if province is None and not all_:
        _err(say("cli.province_or_all", "give either --province NAME or --all."))
        raise typer.Exit(2)
    if province is not None and all_:
        _err(say("cli.province_and_all", "give --province NAME or --all, not both: --all builds every province and "
                 "city of the day."))
        raise typer.Exit(2)

    def run_build() -> None:
        from contextlib import nullcontext

        from .budget import collector_paused

        # one briefing: the collector waits from the first import on, and for good when the
        # process ends after the command (main)
        with nullcontext() if all_ else collector_paused(resume=not _ENDS_AFTER_COMMAND):
            req = _request(province or "", when, _out_option(out, "a folder"), fmt, facts, number, issuer,
                           signer_title, signer, templates, task_window, review_copy)
            if all_:
                _build_all(req, dry_run, jobs, force, stats)
            else:
                _build(req, dry_run)

    _run(run_build)


def _build_all(req, dry_run: bool, jobs: int | None, force: bool, stats: Path | None) -> None:  # type: ignore[no-untyped-def]
    import json
    import time

    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from .batch import build_all
    from .build import planned_paths
    from .provinces import resolution_of, units_of_day

    console = Console(highlight=False, soft_wrap=True)
    units = units_of_day(req.when)      # the 63 before 01/7/2025, the 34 from it
    if dry_run:
        from .build import check_out, load_checked_facts

        load_checked_facts(req.facts)
        planned = [planned_paths(req, resolution_of(u)) for u in units]
        for files in planned:
            check_out(files[0].parent)    # what the build would refuse, the dry run refuses
        for files in planned:
            for path in files:
                console.print(say("cli.would_write", "would write {path}", path=escape(str(path))))
        return
    from .build import check_out

    check_out(req.out)    # a file where the folder of all of them should be: said once, before any work
    # more workers than provinces, or than a few per core, only cost memory
    jobs = min(jobs or os.cpu_count() or 1, len(units), 4 * (os.cpu_count() or 1))
    start = time.perf_counter()
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=False, disable=not console.is_terminal) as progress:
        task = progress.add_task("Đang tạo thông báo", total=len(units))
        report = build_all(req, jobs, force, on_done=lambda o: progress.advance(task))
    wall = time.perf_counter() - start
    table = Table(title=f"reportgen build --all: {len(report.outcomes)} tỉnh, thành phố, {wall:.1f} s, {jobs} tiến trình")
    for col in ("Tỉnh, thành phố", "Kết quả", "Trang", "Tệp", "Thời gian (s)"):
        table.add_column(col)
    status_vi = {"built": "đã tạo", "up to date": "không đổi (up to date)", "failed": "[red]lỗi[/]",
                 "cancelled": "[yellow]đã hủy[/]"}
    for o in report.outcomes:
        table.add_row(escape(o.name), status_vi[o.status], str(o.pages or ""), str(len(o.files)),
                      f"{o.seconds:.1f}" if o.seconds else "")
    console.print(table)
    if stats:
        stats.write_text(json.dumps(report.stats(wall, jobs), indent=2))
    for o in report.outcomes:
        for note in o.notes:
            console.print(f"[yellow]{say('cli.note', 'note:')}[/] {escape(o.name)}: {escape(note)}")
    for o in report.failed:
        console.print(f"[red]{say('cli.failed', 'failed:')}[/] {escape(o.name)}: {escape(o.error or '')}")
    if report.interrupted:
        done = sum(o.status == "built" for o in report.outcomes)
        _err(say("cli.interrupted_all", "interrupted: {done} provinces finished, the others were cancelled; no partial "
                 "file was left.", done=done))
        _interrupt_handled()
        raise typer.Exit(130)
    if report.failed:
        _err(say("cli.provinces_failed", "{failed} of {total} provinces failed: {names}.", failed=len(report.failed),
                 total=len(report.outcomes), names=", ".join(o.name for o in report.failed)))
        raise typer.Exit(1)


def _build(req, dry_run: bool) -> None:  # type: ignore[no-untyped-def]
    from rich.console import Console
    from rich.markup import escape

    from .build import build, prepare

    console = Console(highlight=False, soft_wrap=True)
    if dry_run:
        from .build import check_out

        result, _ = prepare(req)
        check_out(result.planned[0].parent)   # what the build would refuse, the dry run refuses
    else:
        result = build(req)
    p = result.resolution.province
    line = f"{p.full_name}"
    if result.resolution.former_note:       # "(tỉnh Kon Tum cũ, nay thuộc tỉnh Quảng Ngãi theo Nghị quyết số …)"
        line += f" ({result.resolution.former_note})"
    console.print(escape(line))
    if dry_run:
        for path in result.planned:
            console.print(say("cli.would_write", "would write {path}", path=escape(str(path))))
        return
    for path in result.written:
        console.print(escape(str(path)))
    told = Console(stderr=True, highlight=False, soft_wrap=True)
    for note in dict.fromkeys(result.notes):
        told.print(f"[yellow]{say('cli.note', 'note:')}[/] {escape(note)}")


@app.command("provinces", cls=Command, help=words(
    "cli.help.provinces",
    "List the provinces and cities of a day: the 63 before 01/7/2025 with their district level, the "
    "34 from it with the former units merged into each (Nghị quyết số 202/2025/QH15)."))
def provinces_cmd(
    when: Annotated[Optional[str], typer.Option("--date", help=words("cli.help.provinces.date", "List the units of this day YYYY-MM-DD (default: today)."))] = None,
) -> None:
    _run(_provinces, when)


def _provinces(when: str | None) -> None:
    from rich.console import Console
    from rich.table import Table

    from .briefing.nd30 import short_date
    from .provinces import merger, units_of_day
    from .request import parse_date

    day = parse_date(when)
    units = units_of_day(day)
    act = merger()
    if day < act.effective:
        table = Table(title=f"{len(units)} tỉnh, thành phố ngày {short_date(day)} (trước khi sắp xếp theo {act.kind} "
                            f"số {act.number}, từ ngày {short_date(act.effective)})")
        table.add_column("Tỉnh, thành phố")
        table.add_column("Cấp huyện (Nơi nhận)")
        for u in units:
            table.add_row(u.full_name, u.local_recipients)
    else:
        table = Table(title=f"{len(units)} tỉnh, thành phố ngày {short_date(day)} ({act.kind} số {act.number})")
        table.add_column("Tỉnh, thành phố")
        table.add_column("Gồm cả địa bàn các tỉnh, thành phố cũ")
        for u in units:
            table.add_row(u.full_name, ", ".join(f"{kind} {name}" for kind, name in u.former))
    Console(highlight=False).print(table)


_ENDS_AFTER_COMMAND = False   # set by main: this process runs one command and exits


def main(prog_name: str | None = None) -> None:  # pragma: no cover - console entry point
    global _ENDS_AFTER_COMMAND
    _ENDS_AFTER_COMMAND = True
    try:
        app(prog_name=prog_name)
    finally:
        _before_exit()


def _before_exit() -> None:
    """The command is over and the process ends now: a Ctrl-C changes nothing any more (it is
    not turned into a traceback at shutdown), and what the process made is frozen out of the
    cycle collector's sight, so that Python's last collection does not walk it all (0.05 s
    after a build)."""
    import gc
    import signal

    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:
        pass          # not the main thread
    gc.freeze()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
