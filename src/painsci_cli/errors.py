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
EXIT_OUTPUT_FAILED = 74
"""Standard output could not be written: a full disk, an I/O error, a closed descriptor (sysexits EX_IOERR)."""
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


class OutputFailed(PainsciError):
    exit_code = EXIT_OUTPUT_FAILED


# --------------------------------------------------------------------------- wording


def printable(text: str, limit: int = 60) -> str:
    """User input made safe to echo in one line: escaped, quoted and shortened."""
    from .charset import visible

    return "'" + visible(text[:limit]) + ("…'" if len(text) > limit else "'")


def one_of(options: list[str]) -> str:
    """'a', 'b' or 'c': suggestions the way a person would list them."""
    from .charset import visible

    quoted = [f"'{visible(o)}'" for o in options]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


class EmptyName(UsageError):
    def __init__(self) -> None:
        super().__init__("painsci: empty treatment name; try 'painsci list'")


class AmbiguousName(UsageError):
    """A prefix shared by several treatments; `candidates` are their ids, best first."""

    SHOWN = 3

    def __init__(self, name: str, candidates: list[str]) -> None:
        self.name, self.candidates = name, candidates
        listed = ", ".join(repr(c) for c in candidates[: self.SHOWN])
        more = f" and {len(candidates) - self.SHOWN} more" if len(candidates) > self.SHOWN else ""
        super().__init__(
            f"painsci: {printable(name)} matches {len(candidates)} treatments: {listed}{more}; type more of the name"
        )


class UnknownName(UsageError):
    """No treatment by this name; `suggestions` are ids that look like it, best first."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        self.name, self.suggestions = name, suggestions
        hint = f"; did you mean {one_of(suggestions)}?" if suggestions else ""
        super().__init__(f"painsci: unknown treatment {printable(name)}{hint} (see 'painsci list')")


class UnknownGuideline(UsageError):
    """A --guideline name that picks no single guideline: blank, unknown, or (with `candidates`,
    the ids it matches in KB order) a prefix shared by several, like AmbiguousName."""

    def __init__(self, name: str, choices: list[str], candidates: list[str] | None = None) -> None:
        self.name, self.choices, self.candidates = name, choices, candidates or []
        if not name.strip():
            message = "painsci: --guideline needs a guideline name before '=' (e.g. nice=against)"
        elif len(self.candidates) > 1:
            listed = ", ".join(repr(c) for c in self.candidates)
            message = (
                f"painsci: guideline {printable(name)} matches {len(self.candidates)} guidelines: {listed};"
                " type more of the name"
            )
        else:
            message = f"painsci: unknown guideline {printable(name)}; choose one of {', '.join(choices)}"
        super().__init__(message)
