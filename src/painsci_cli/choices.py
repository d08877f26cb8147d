"""The closed vocabularies a user types on the command line, each built from where it is defined.

--category and --min-certainty come from the knowledge-base model, --sort from the documents
that sort, a --guideline stance from the model too. Typer validates enum options itself (any
case; --help lists the values), so no command re-checks them and no list is typed twice.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any, get_args

from . import profile, vocabulary
from .documents import SortKey
from .render.handout import PageFormat, Paper
from .render.treatment import SECTION_NAMES


def _choices(name: str, vocabulary: Any) -> type[StrEnum]:
    """A StrEnum whose members are the values of a `Literal[...]` type, in its order."""
    return StrEnum(name, {value: value for value in get_args(vocabulary)})  # type: ignore[return-value]


if TYPE_CHECKING:  # mypy sees enums; at run time they are built from the Literals below

    class Category(StrEnum): ...

    class Certainty(StrEnum): ...

    class Sort(StrEnum): ...

    class Stance(StrEnum): ...

    class PainPhase(StrEnum): ...

    class Comparator(StrEnum): ...

    class Section(StrEnum): ...

    class HandoutFormat(StrEnum): ...

    class PaperSize(StrEnum): ...

else:
    Category = _choices("Category", vocabulary.Category)
    Certainty = _choices("Certainty", vocabulary.CertaintyLevel)
    Sort = _choices("Sort", SortKey)
    Stance = _choices("Stance", vocabulary.Stance)
    PainPhase = _choices("PainPhase", profile.Phase)
    Comparator = _choices("Comparator", vocabulary.ComparatorKind)
    Section = StrEnum("Section", {name: name for name in SECTION_NAMES})
    HandoutFormat = _choices("HandoutFormat", PageFormat)
    PaperSize = _choices("PaperSize", Paper)

GUIDELINE_POSITIONS = (
    *get_args(vocabulary.Stance),
    *(f"{strength}-{stance}" for stance in ("for", "against") for strength in get_args(vocabulary.Strength)),
)
"""What --guideline NAME=POSITION accepts: a stance, or a strength and a direction ("open-for")."""


def listed(choices: type[StrEnum]) -> str:
    """'for, against, not_addressed, unverified': the values as help and errors list them."""
    return ", ".join(member.value for member in choices)
