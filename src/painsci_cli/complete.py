"""Shell completion of treatment names without importing the CLI.

The shell runs `painsci` on every TAB. When the word being completed is a treatment name (the
argument of show, explain, compare, plot or sources) and the names of the current knowledge base
are cached, this module answers in the exact format Typer's bash and zsh scripts expect, having
imported nothing heavier than hashlib and json. In every other case it returns False and the
full CLI answers (and fills the cache for next time). tests/test_complete.py checks both paths
give identical output.

A completion request never fails: a malformed one (COMP_CWORD=abc, COMP_WORDS unset) offers no
candidates and exits 0, a value of _PAINSCI_COMPLETE that is no request at all (`=1` left
exported) is ignored (see `requested`), and a candidate the terminal's encoding cannot carry is
left out rather than offered garbled.
"""

from __future__ import annotations

import os
import shlex
import sys

from .load import cache
from .load.completion_names import read_names
from .load.locate import locate
from .load.read import MAX_BYTES, read_guarded
from .names import completions

NAME_COMMANDS = {"show": 1, "explain": 1, "sources": 1, "compare": None, "plot": None}
"""Commands whose positional arguments are treatment names, with how many (None: any number)."""
SHELLS = frozenset({"bash", "zsh", "fish", "powershell", "pwsh"})
"""The shells Typer completes for."""
VALUE_OPTIONS = {"--data", "--format", "-f", "--export", "--category", "--guideline", "--min-certainty", "--sort"}
"""Options that take a value, so the word after them is never a treatment name."""


class Malformed(Exception):
    """A completion request whose variables are missing or unreadable."""


def requested() -> str | None:
    """'complete' or 'source' when _PAINSCI_COMPLETE is a request Typer knows ('complete_bash',
    'source_zsh' …); None for anything else, which is then no completion request at all."""
    action, _, shell = os.environ.get("_PAINSCI_COMPLETE", "").partition("_")
    return action if action in ("complete", "source") and shell in SHELLS else None


def encodable(values: list[str]) -> list[str]:
    """The candidates stdout's encoding can carry (PYTHONIOENCODING=ascii drops 'café')."""
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    kept = []
    for value in values:
        try:
            value.encode(encoding)
        except (UnicodeError, LookupError):
            continue
        kept.append(value)
    return kept


def _split(line: str) -> list[str] | None:
    """shlex the way click does; None for input it would treat specially (an open quote)."""
    lexer = shlex.shlex(line, posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        return list(lexer)
    except ValueError:
        return None


def _words() -> tuple[str, list[str], str] | None:
    """(shell, words before the cursor word, the word being completed) as Typer computes them."""
    shell = os.environ.get("_PAINSCI_COMPLETE", "")
    if shell == "complete_bash":
        if "COMP_WORDS" not in os.environ:
            raise Malformed("COMP_WORDS is not set")
        words = _split(os.environ["COMP_WORDS"])
        try:
            cword = int(os.environ.get("COMP_CWORD", ""))
        except ValueError:
            raise Malformed("COMP_CWORD is not a number") from None
        if cword < 0 or cword > 100_000:
            raise Malformed("COMP_CWORD is out of range")
        if words is None or cword < 1:
            return None
        return "bash", words[1:cword], words[cword] if cword < len(words) else ""
    if shell == "complete_zsh":
        line = os.environ.get("_TYPER_COMPLETE_ARGS", "")
        words = _split(line)
        if words is None:
            return None
        args = words[1:]
        if args and not line.endswith(" "):
            return "zsh", args[:-1], args[-1]
        return "zsh", args, ""
    return None


def _treatment_position(args: list[str], incomplete: str) -> str | None:
    """The --data value (or "") when the cursor word is a treatment name, else None."""
    if incomplete.startswith("-"):
        return None
    data = ""
    command = None
    positionals = 0
    i = 0
    while i < len(args):
        word = args[i]
        if word in VALUE_OPTIONS:
            if i + 1 >= len(args):
                return None  # the cursor word is this option's value
            if word == "--data" and command is None:
                data = args[i + 1]
            i += 2
            continue
        if word.startswith("--data="):
            data = word.split("=", 1)[1]
        elif word == "--":
            return None
        elif not word.startswith("-"):
            if command is None:
                command = word
            else:
                positionals += 1
        i += 1
    if command not in NAME_COMMANDS:
        return None
    limit = NAME_COMMANDS[command]
    return data if limit is None or positionals < limit else None


def answer() -> bool:
    """Print the completions and return True, or return False to let the full CLI answer."""
    try:
        parsed = _words()
    except Malformed:
        return True  # no candidates: the shell offers nothing, and nothing fails
    if parsed is None:
        return False
    shell, args, incomplete = parsed
    data = _treatment_position(args, incomplete)
    if data is None:
        return False
    try:  # the loader's own guards: never block on a FIFO, never read a device or a huge file
        raw = read_guarded(locate(data or None), MAX_BYTES)
    except Exception:  # not a knowledge base the CLI would read: nothing to offer
        found: list[str] = []
    else:
        cached = read_names(cache.key_for(raw))
        if cached is None:
            return False
        found = encodable(completions(*cached, incomplete))
    if shell == "bash":
        text = "\n".join(found)
    else:
        text = "_arguments '*: :((" + "\n".join(f'"{_zsh_escape(v)}"' for v in found) + "))'" if found else "_files"
    sys.stdout.write(text + "\n")
    return True


def _zsh_escape(value: str) -> str:
    """Typer's own escaping for zsh completion values."""
    return value.replace('"', '""').replace("'", "''").replace("$", "\\$").replace("`", "\\`").replace(":", r"\\:")
