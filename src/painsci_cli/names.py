"""Treatment-name matching shared by the CLI and the import-free completion fast path.

Names are compared in one form at load and at lookup: NFKC (so "Café" typed composed or
decomposed, fullwidth "ＴＥＮＳ" and "TENS" are one name), case-folded, hyphens, underscores and
runs of whitespace as one space. Look-alikes across scripts (Cyrillic "mаssage" for "massage")
are caught by a skeleton: a small table of Cyrillic and Greek letters that look like Latin ones
(after UTS #39's idea of confusables, reduced to the scripts a KB of English names meets). The
loader refuses names that are invisible, empty once normalised, mix Latin with Cyrillic or Greek
letters in one word, or look like another treatment's name (rules.check_names); lookup accepts
a look-alike of exactly one treatment's name. `completions` stays free of imports: TAB runs it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache

CONFUSABLES = {
    # Cyrillic, capital and small
    **dict.fromkeys("АаⱭ", "a"),
    "В": "b",
    "в": "b",
    "Ԁ": "d",
    "ԁ": "d",
    **dict.fromkeys("ЕеЁё", "e"),
    **dict.fromkeys("Һһ", "h"),
    "Н": "h",
    "н": "h",
    **dict.fromkeys("ІіЇїӀӏ", "i"),
    **dict.fromkeys("Јј", "j"),
    **dict.fromkeys("Кк", "k"),
    **dict.fromkeys("Мм", "m"),
    **dict.fromkeys("Оо", "o"),
    **dict.fromkeys("Рр", "p"),
    **dict.fromkeys("Ԛԛ", "q"),
    **dict.fromkeys("Сс", "c"),
    **dict.fromkeys("Ѕѕ", "s"),
    **dict.fromkeys("Тт", "t"),
    **dict.fromkeys("УуҮү", "y"),
    **dict.fromkeys("Ѵѵ", "v"),
    **dict.fromkeys("ԜԝѠѡ", "w"),
    **dict.fromkeys("Хх", "x"),
    # Greek, capital and small
    **dict.fromkeys("Αα", "a"),
    **dict.fromkeys("Ββ", "b"),
    **dict.fromkeys("Εε", "e"),
    "Ζ": "z",
    "Η": "h",
    "η": "n",
    **dict.fromkeys("Ιιί", "i"),
    **dict.fromkeys("Κκ", "k"),
    "Μ": "m",
    "μ": "u",
    "Ν": "n",
    "ν": "v",
    **dict.fromkeys("Οοό", "o"),
    **dict.fromkeys("Ρρ", "p"),
    **dict.fromkeys("Ττ", "t"),
    "Υ": "y",
    "υ": "u",
    "γ": "y",
    **dict.fromkeys("Χχ", "x"),
    "ω": "w",
    # Latin letters that pass for others
    "ı": "i",
    "ȷ": "j",
    "ɑ": "a",
    "ɡ": "g",
}
"""Letter -> the Latin letter it passes for; applied before case folding, so capitals count."""

INVISIBLE = frozenset(
    "\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u2800\u3164\uffa0\u034f"
    "\ufe00\ufe01\ufe02\ufe03\ufe04\ufe05\ufe06\ufe07\ufe08\ufe09\ufe0a\ufe0b\ufe0c\ufe0d\ufe0e\ufe0f"
)
"""Characters that draw nothing but are not refused everywhere (Hangul and halfwidth fillers,
the braille blank, variation selectors, the combining grapheme joiner): never in a name."""

SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


def normalise_name(name: str) -> str:
    """The form names are compared in: NFKC, case-folded, hyphens and runs of spaces as one space."""
    if name.isascii():  # NFKC leaves ASCII as it is, and casefold() is lower() there
        folded = name.lower()
    else:
        import unicodedata

        folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return " ".join(folded.replace("-", " ").replace("_", " ").split())


def skeleton(name: str) -> str:
    """What a name looks like: NFKC, Cyrillic and Greek look-alikes as Latin, then normalised."""
    if name.isascii():  # no look-alike letter is ASCII: the loop below would only normalise
        return normalise_name(name)
    import unicodedata

    text = unicodedata.normalize("NFKC", name)
    for _ in range(4):  # case folding can make a new look-alike (U+0345 folds to Greek iota): repeat
        mapped = normalise_name("".join(CONFUSABLES.get(c, c) for c in text))
        if mapped == text:
            break
        text = mapped
    return text


def name_problem(name: str) -> str | None:
    """Why a name (id, name or alias) cannot be one, or None."""
    key = normalise_name(name)
    hidden = [c for c in name if c in INVISIBLE] or [c for c in key if c in INVISIBLE]
    if hidden:
        return f"contains an invisible character U+{ord(hidden[0]):04X}"
    if not key:
        return "is empty once normalised (only spaces, hyphens or underscores)"
    if key.isascii():
        return None  # one script, no look-alike
    for word in key.split():
        mixed = [s.title() for s in _scripts(word)]
        if len(mixed) > 1:
            return f"mixes {', '.join(mixed[:-1])} and {mixed[-1]} letters in {word!r} (a look-alike)"
    return None


def quoted(name: str) -> str:
    """A name in a message: its repr, with the invisible characters spelt out."""
    return "".join(f"\\u{ord(c):04x}" if c in INVISIBLE else c for c in repr(name))


def _scripts(word: str) -> list[str]:
    found = {_script(c) for c in word if c.isalpha()}
    return [s for s in SCRIPTS if s in found]


@cache
def _script(letter: str) -> str | None:
    import unicodedata

    name = unicodedata.name(letter, "")
    return next((s for s in SCRIPTS if name.startswith(s)), None)


def name_index(treatments: Iterable[Sequence[str]]) -> dict[str, str]:
    """Normalised id, name and aliases -> id; each sequence is (id, name, *aliases)."""
    index: dict[str, str] = {}
    for names in treatments:
        for name in names:
            index.setdefault(normalise_name(name), names[0])
    return index


def look_alike(names: Mapping[str, str], name: str) -> str | None:
    """The id of the one treatment whose name `name` looks like (Cyrillic "mаssage"), else None."""
    wanted = skeleton(name)
    found = {tid for key, tid in names.items() if skeleton(key) == wanted}
    return found.pop() if len(found) == 1 else None


def completions(ids: Sequence[str], names: Mapping[str, str], incomplete: str) -> list[str]:
    """What TAB offers: ids starting with the typed text; failing that, names and aliases.

    Names are offered in their hyphenated form ("swedish-massage"), which the resolver accepts,
    so the shell inserts one word. Matching is by exact prefix because Typer (and the shells)
    drop any offer that does not start with the typed text.
    """
    matching = [i for i in ids if i.startswith(incomplete)]
    if matching:
        return matching
    return sorted({hyphenated for n in names if (hyphenated := n.replace(" ", "-")).startswith(incomplete)})
