"""yamlio.write_atomic: the whole file or the old one, never a part; forced to the disk before it
replaces the old file, except a cache entry (sealed.write_entry), which a crash may leave torn —
its signature reads it as a miss."""

import os

import pytest

from reportgen import sealed
from reportgen.yamlio import write_all_atomic, write_atomic


def test_a_file_is_forced_to_disk_and_a_cache_entry_is_not(tmp_path, monkeypatch):
    monkeypatch.setenv("REPORTGEN_KEY_FILE", str(tmp_path / "key"))
    synced = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real(fd)))
    write_atomic(tmp_path / "factbase.yaml", "documents: []\n".encode("utf-8"))
    assert len(synced) == 1 and (tmp_path / "factbase.yaml").read_text("utf-8") == "documents: []\n"
    sealed.write_entry("thing", tmp_path / ".cache", "entry", b"kept", limit=8)
    assert len(synced) == 1 and sealed.read_entry("thing", tmp_path / ".cache", "entry") == b"kept"
    assert sorted(p.name for p in (tmp_path / ".cache").iterdir()) == ["entry"]     # no temporary left


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "a.yaml"
    target.write_bytes(b"old")

    def refuse() -> None:
        raise OSError("disk full")

    with pytest.raises(OSError):
        write_all_atomic([(target, b"new")], before_commit=refuse)
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


def test_a_torn_cache_entry_is_a_miss(tmp_path, monkeypatch):
    monkeypatch.setenv("REPORTGEN_KEY_FILE", str(tmp_path / "key"))
    raw = sealed.seal("chart", "n", b"<svg>drawing</svg>")
    assert raw is not None and sealed.unseal("chart", "n", raw) == b"<svg>drawing</svg>"
    for torn in (b"", raw[:len(raw) // 2], raw[:-1], b"\xc3" + raw[1:], b"\xff\xfe\n" + raw):
        assert sealed.unseal("chart", "n", torn) is None     # a miss, never an error


def test_a_kept_entry_written_and_read_back_and_the_folder_kept_small(tmp_path, monkeypatch):
    monkeypatch.setenv("REPORTGEN_KEY_FILE", str(tmp_path / "key"))
    folder = tmp_path / ".cache" / "things"
    for i in range(10):
        sealed.write_entry("thing", folder, f"e{i}", f"body {i}".encode(), limit=8)
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) <= 8 and "e9" in names and not [n for n in names if n.startswith(".")]
    assert sealed.read_entry("thing", folder, "e9") == b"body 9"
    assert sealed.read_entry("other purpose", folder, "e9") is None
    assert sealed.read_entry("thing", folder, "absent") is None
    (folder / "e9").write_bytes(b"\xc3" + (folder / "e9").read_bytes()[1:])
    assert sealed.read_entry("thing", folder, "e9") is None
