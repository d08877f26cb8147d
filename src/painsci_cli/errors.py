"""Domain errors, each carrying its documented exit code, raised deep and reported once in cli.py."""

from __future__ import annotations

EXIT_OK = 0
EXIT_USAGE = 2
"""Bad command line, including an unknown or ambiguous treatment name."""
EXIT_INVALID_KB = 65
"""The knowledge base was read but is not valid (sysexits EX_DATAERR)."""
EXIT_KB_UNREADABLE = 66
"""The knowledge base is missing, not a regular file, or unreadable (sysexits EX_NOINPUT)."""
EXIT_CANNOT_WRITE = 73
"""An export file could not be created (sysexits EX_CANTCREAT)."""
EXIT_INTERRUPTED = 130
"""Ctrl-C (128 + SIGINT)."""
EXIT_OUTPUT_CLOSED = 141
"""The reader of stdout went away, e.g. `painsci list | head -1` (128 + SIGPIPE); nothing is printed."""


class PainsciError(Exception):
    """An expected failure: printed as lines on stderr, never as a traceback."""

    exit_code = EXIT_USAGE

    def __init__(self, *lines: str) -> None:
        super().__init__(*lines)
        self.lines: tuple[str, ...] = lines


class UsageError(PainsciError):
    exit_code = EXIT_USAGE


class KnowledgeBaseInvalid(PainsciError):
    exit_code = EXIT_INVALID_KB


class KnowledgeBaseUnreadable(PainsciError):
    exit_code = EXIT_KB_UNREADABLE


class CannotWrite(PainsciError):
    exit_code = EXIT_CANNOT_WRITE


class OutputClosed(PainsciError):
    exit_code = EXIT_OUTPUT_CLOSED
