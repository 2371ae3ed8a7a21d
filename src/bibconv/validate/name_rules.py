"""Names that were probably split wrongly or typed in a way citation styles mangle.

Each check is a heuristic, so the code is a warning: a mononym ("Aristotle")
or an organisation that was not marked as one both trip "single token", and
the fix (braces in BibTeX, ``literal`` in CSL-JSON) is what the message says.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bibconv.diagnostics import Diagnostic
from bibconv.ir import Name, Record
from bibconv.validate.rule import Context, record_rule

_AND = re.compile(r"(?<!\w)and(?!\w)", re.IGNORECASE)


def name_problem(name: Name) -> str | None:
    """Why ``name`` looks wrong, or None."""
    if name.is_literal:
        return None
    family, given = name.family or "", name.given or ""
    whole = " ".join(p for p in (given, family) if p)
    # cheap string tests first: this runs on every name of every file validated
    if "and" in whole.lower() and _AND.search(whole):
        return "contains 'and': two people joined into one name? (separate them with ' and ')"
    if family and not given and " " not in family.strip():
        return "has a single token: a mononym, or an organisation that should be kept whole"
    if not family.isupper():  # a lower-case letter (or none cased): not all capitals
        return None
    letters = [c for c in family if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return "family name is all capitals (styles cannot fix its case)"
    return None


@record_rule("BC310")
def names_plausible(record: Record, ctx: Context) -> Iterator[Diagnostic]:
    """Names with a single token, with "and" inside, or in all capitals are flagged."""
    for var, names in sorted(record.names.items()):
        for name in names:
            why = name_problem(name)
            if why:
                yield Diagnostic.make("BC310", f"suspicious {var} name {name.display()!r}: {why}")
