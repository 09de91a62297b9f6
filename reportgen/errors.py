"""Errors that end a command with a clear one-paragraph message instead of a traceback.

The exit code is part of the contract: 2 for bad usage or bad input (the user can fix
the input), 1 for a build failure (the tool could not finish).
"""

from __future__ import annotations


class ReportgenError(Exception):
    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(ReportgenError):
    """Bad input: a file, line or value the user must fix."""

    exit_code = 2


class BuildError(ReportgenError):
    exit_code = 1
