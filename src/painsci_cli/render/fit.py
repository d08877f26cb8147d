"""Fitting text into terminal columns: figures kept whole, words wrapped, cells capped.

Every function here costs time in proportion to the text it is given, whatever that text is (issue
17: a figure pattern that backtracked took 15 s on one 48 KB word of digits, and rich's own
table layout cost seconds per thousand rows). `wrap` breaks lines exactly where rich breaks a
`Text` in a table cell (rich's word rule and its cell widths), so the lean tables of grid.py look
like the rich tables they replace.
"""

from __future__ import annotations

import itertools
import re

from rich.cells import cell_len, chop_cells, set_cell_size

FIGURE_CHARACTERS = frozenset("0123456789.,;:%/()[]+-−")
DIGITS = frozenset("0123456789")
FIGURE_MAX = 50
"""A run of digits and punctuation longer than this is no figure a reader reads (the longest in
the bundled KB is a 40-character DOI): it may fold like any long word."""
WORD_FLOOR = 16
"""Other words longer than this may be folded: a 36-letter id must not force a stacked layout."""
CELL_CAP = 4000
"""Characters of one text a terminal table shows (the longest in the bundled KB: ~1,700); the
rest is replaced by a note, so one 8 MB description cannot cost seconds to lay out."""
TAB_SIZE = 8
_WORD = re.compile(r"\S+")
"""A word: a run of non-space characters (one pass, no backtracking)."""


def is_figure(word: str) -> bool:
    """A number with its punctuation, never to be split: "-4.0", "(95%", "[-0.61,", "0-100",
    "2017;166(7):514-530." (a word of digits and these marks, with a digit in it).

    A set test, so one pass over the word whatever it holds. (table.py used a pattern whose
    middle and closing classes overlapped: it backtracked over every split of a run of `.,:`,
    quadratic in the word, 15 s for one 48 KB word.)"""
    if len(word) > FIGURE_MAX:
        return False
    found = set(word)
    return found <= FIGURE_CHARACTERS and not found.isdisjoint(DIGITS)


def figures(text: str) -> list[str]:
    """The figures in `text`, in order: what a layout must never split."""
    return [word for word in text.split() if is_figure(word)]


def longest_word(texts: list[str], floor: int = WORD_FLOOR) -> int:
    """The narrowest a column may be: every figure whole, other words up to `floor` wide.

    A paragraph's first word is measured with the blanks before it, as rich folds them together.
    """
    widest = 1
    for text in set(texts):
        for paragraph in text.split("\n"):
            lead = cell_len(paragraph[: len(paragraph) - len(paragraph.lstrip())])
            for i, word in enumerate(paragraph.split()):
                size = cell_len(word) + (lead if i == 0 else 0)
                if size <= widest:
                    continue  # cannot widen the column, whatever the word is
                widest = size if is_figure(word) else max(widest, min(size, floor))
    return widest


def natural(texts: list[str]) -> int:
    """The widest line among `texts`: the width at which none of them wraps."""
    return max((cell_len(expand_tabs(line)) for text in set(texts) for line in text.split("\n")), default=0)


def capped(text: str, limit: int = CELL_CAP) -> str:
    """`text` cut to about `limit` characters at a space, with a note of what was left out.

    Figures are never cut: the cut falls on a space when one is near, and a word with no space in
    the last 200 characters is longer than any figure.
    """
    if len(text) <= limit:
        return text
    cut = limit
    for i in range(limit, limit - 200, -1):
        if text[i].isspace():
            cut = i
            break
    head = text[:cut].rstrip()
    return f"{head} … [{len(text) - len(head):,} more characters: --json or --format markdown prints the whole text]"


def expand_tabs(line: str) -> str:
    """Tabs as spaces to the next multiple of 8 cells, as rich expands them."""
    if "\t" not in line:
        return line
    parts = line.split("\t")
    position = 0
    out = []
    for part in parts[:-1]:
        position += cell_len(part) + 1  # the tab is a blank at least
        blanks = 1 + (-position % TAB_SIZE)
        position += blanks - 1
        out.append(part + " " * blanks)
    out.append(parts[-1])
    return "".join(out)


def wrap(text: str, width: int, no_wrap: bool = False, pad: bool = True) -> list[str]:
    """`text` in lines of at most `width` cells (exactly `width` when padded), as rich wraps a
    left-justified `Text` with overflow "fold": at spaces, a word wider than the line folded,
    each paragraph ("\\n") on new lines."""
    width = max(width, 1)
    if "\n" not in text and "\t" not in text and len(text) <= width:
        size = cell_len(text)
        if size <= width:  # the common case: one line, nothing to break
            return [text + " " * (width - size) if pad else text]
    lines = []
    for paragraph in map(expand_tabs, text.split("\n")):
        for piece in [paragraph] if no_wrap else divide(paragraph, width):
            lines.append(_fit(piece, width, pad, trim=not no_wrap))
    return lines


def divide(paragraph: str, width: int) -> list[str]:
    """The paragraph cut into lines: rich's `divide_line` (a word is a run of non-spaces with the
    spaces after it, the first also with the spaces before it)."""
    runs = [(m.start(), m.end()) for m in _WORD.finditer(paragraph)]
    breaks: list[int] = []
    offset = 0
    for k, (found, stripped_end) in enumerate(runs):
        start = 0 if k == 0 else found
        end = runs[k + 1][0] if k + 1 < len(runs) else len(paragraph)
        word = paragraph[start:end]
        length = cell_len(paragraph[start:stripped_end])
        if width - offset >= length:
            offset += cell_len(word)
        elif length > width:  # folded: a break before each piece but the first of the text
            for chunk in chop_cells(word, width):
                if start:
                    breaks.append(start)
                start += len(chunk)
                offset = cell_len(chunk)
        elif offset and start:
            breaks.append(start)
            offset = cell_len(word)
    bounds = [0, *breaks, len(paragraph)]
    return [paragraph[a:b] for a, b in itertools.pairwise(bounds)]


def _fit(piece: str, width: int, pad: bool, trim: bool) -> str:
    """One line: blanks past the width dropped, cut to the width, padded to it."""
    if trim and len(piece) > width:
        blanks = len(piece) - len(piece.rstrip())
        piece = piece[: len(piece) - min(blanks, len(piece) - width)]
    size = cell_len(piece)
    if size > width:
        return set_cell_size(piece, width)
    return piece + " " * (width - size) if pad else piece


def wrapped_lines(text: str, width: int) -> int:
    """Lines of `text` wrapped greedily at spaces to `width` cells (a longer word folds): a cheap
    estimate for choosing widths, without building the lines."""
    count = 0
    for paragraph in text.split("\n"):
        used = -1
        count += 1
        for word in paragraph.split():
            size = cell_len(word)
            if used >= 0 and used + 1 + size <= width:
                used += 1 + size
                continue
            if used >= 0:
                count += 1
            count += (size - 1) // width if width else 0
            used = (size % width or width) if size > width else size
    return count
