from .cli import _before_exit, app

try:
    app(prog_name="reportgen")
finally:
    _before_exit()
