"""Templates compiled once (`.cache/templates/`): Jinja's bytecode cache, signed.

Compiling the briefing's template (parsing it, metering its loops, generating Python and
compiling that) takes about 0.1 s of every cold build; Jinja can keep the compiled code of a
template between runs (jinja2.BytecodeCache) and uses it while the template's source is the
same (Jinja checks a checksum of the source itself). The entry's name covers what else the
code depends on: the template's name and file, reportgen's own code (the environment and the
metering it compiles in), Jinja's and Python's versions.

Compiled code is code: an entry is trusted no more than the readers' cache. It carries a tag
made with the user's key (reportgen.sealed) over its name and bytes; one whose tag does not
match is compiled again, and without a key nothing is kept. The folder may be deleted at any
time.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

PURPOSE = "template"
LIMIT = 200          # entries; past it the older half is removed when one is added


def folder() -> Path:
    from .. import paths

    return paths.project_root() / ".cache" / "templates"


class SealedBytecodeCache(BytecodeCache):
    """jinja2.BytecodeCache over signed files in `.cache/templates/` (see the module's text)."""

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        import jinja2

        from .. import paths

        h = hashlib.sha256(b"template\x00" + paths.code_digest())
        h.update(f"{jinja2.__version__}\x00{sys.version}\x00{name}\x00{filename or ''}".encode("utf-8",
                                                                                            "surrogateescape"))
        return h.hexdigest()

    def load_bytecode(self, bucket: Bucket) -> None:
        from .. import sealed

        body = sealed.read_entry(PURPOSE, folder(), bucket.key)
        if body is not None:
            bucket.bytecode_from_string(body)     # a stale source's checksum or Jinja's magic: reset

    def dump_bytecode(self, bucket: Bucket) -> None:
        from .. import sealed

        sealed.write_entry(PURPOSE, folder(), bucket.key, bucket.bytecode_to_string(), LIMIT)
