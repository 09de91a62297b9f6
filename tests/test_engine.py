"""reportgen.render.engine: WeasyPrint imported without ctypes' library search, and as
WeasyPrint imports itself when that fails."""

import subprocess
import sys
import textwrap


def _run(code: str) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120)


def test_the_engine_opens_its_libraries_without_the_search_and_gives_it_back():
    r = _run("""
        import ctypes.util
        search = ctypes.util.find_library
        asked = []
        ctypes.util.find_library = lambda name: asked.append(name) or search(name)
        patched = ctypes.util.find_library
        from reportgen.render.engine import weasyprint
        module = weasyprint()
        assert module.HTML and module is weasyprint()
        assert ctypes.util.find_library is patched, "the search is given back"
        assert asked == [], asked
        from weasyprint.text.ffi import pango
        assert pango.pango_version() > 0
        print("ok")
    """)
    assert r.returncode == 0 and r.stdout == "ok\n", r.stdout + r.stderr


def test_a_library_that_only_the_search_finds_is_found_by_the_second_attempt():
    # The first attempt fails on a library as on a system where only the search finds it:
    # the import is run again with the search, and WeasyPrint's help text of the failed
    # attempt is not printed.
    r = _run("""
        import ctypes.util
        import cffi.api
        real = cffi.api._load_backend_lib
        tried = []

        def load(backend, name, flags):
            if "pango-1.0" in str(name) and ctypes.util.find_library("x") is None and name != "pango-1.0":
                raise OSError("not on this system under that name")
            tried.append(name)
            return real(backend, name, flags)

        search = ctypes.util.find_library
        ctypes.util.find_library = lambda name: "x" if name == "x" else search(name)
        cffi.api._load_backend_lib = load
        from reportgen.render.engine import weasyprint
        module = weasyprint()
        assert module.HTML
        assert "pango-1.0" in tried, tried
        print("ok")
    """)
    assert r.returncode == 0 and r.stdout == "ok\n", r.stdout + r.stderr
