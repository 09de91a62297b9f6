import os
import shutil
import tempfile
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen.cli import app

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
CATALOGUE = ROOT / "facts" / "catalogue.yaml"
CORRECTIONS = ROOT / "facts" / "corrections.yaml"
FACTBASE = ROOT / "facts" / "factbase.yaml"
FIXTURES = Path(__file__).parent / "fixtures"

# The key that signs the caches (reportgen.sealed) is the user's own; the tests make one of
# theirs, so they neither read nor write the key of whoever runs them.
# The CLI speaks Vietnamese unless the environment says English (reportgen.i18n); the tests that
# read its English messages run in English, those about the language set it themselves.
os.environ["REPORTGEN_LANG"] = "en"
os.environ.setdefault("REPORTGEN_KEY_FILE", str(Path(tempfile.mkdtemp(prefix="reportgen-key-")) / "cache.key"))


class Result:
    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code, self.stdout, self.stderr = exit_code, stdout, stderr
        self.output = stdout + stderr


@pytest.fixture(scope="session", autouse=True)
def _temporary_folder_of_the_run(tmp_path_factory):
    """What the in-process builds put in the temporary folder (WeasyPrint's font folders,
    1.5 MB each) goes under this run's own pytest folder, which pytest clears with its old runs,
    as the console command puts its own in a folder it removes (reportgen.entry): not in /tmp,
    one per build, for ever."""
    folder = tmp_path_factory.mktemp("tempdir", numbered=False)
    before = tempfile.tempdir
    tempfile.tempdir = str(folder)
    os.environ["TMPDIR"] = str(folder)      # and the commands the tests start
    yield folder
    tempfile.tempdir = before


@pytest.fixture
def run():
    """Invoke the CLI in-process; returns exit code and both streams."""
    runner = CliRunner()

    def _run(*args: str) -> Result:
        r = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})
        if r.exception and not isinstance(r.exception, SystemExit):
            raise r.exception
        return Result(r.exit_code, r.stdout, r.stderr)

    return _run


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "seeds"
    shutil.copytree(SEEDS, dest)
    return dest


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The fact base built from the committed seeds, into a temporary file."""
    from reportgen.build_facts import build
    from reportgen.catalogue import load_catalogue
    from reportgen.corrections import load_corrections
    from reportgen.factbase import dump_factbase

    out = tmp_path_factory.mktemp("fb") / "factbase.yaml"
    fb = build(SEEDS, load_catalogue(CATALOGUE), load_corrections(CORRECTIONS))
    out.write_text(dump_factbase(fb), encoding="utf-8")
    return out


def nfd_copy(src: Path, dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for p in sorted(src.iterdir()):
        (dest / p.name).write_text(unicodedata.normalize("NFD", p.read_text("utf-8")), "utf-8")
    return dest


def prepared_briefings(names: tuple[str, ...], day: str) -> list:  # type: ignore[type-arg]
    """Each province's briefing of `day` composed, with its charts drawn: (briefing, charts)."""
    from reportgen.build import prepare, render_charts, warm_renderers
    from reportgen.request import make_request

    warm_renderers()
    out = []
    for name in names:
        req = make_request(name, day, Path("unused"), "pdf", None, None, None, None, None)
        _, b = prepare(req)
        out.append((b, render_charts(b)))
    return out
