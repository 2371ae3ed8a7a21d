"""A griffe extension for the API pages: Sphinx cross-reference roles as inline code.

bibconv's docstrings name other objects the Sphinx way (``:class:`ReadError```,
``:mod:`bibconv.textio```), which reads well in ``help()``.  mkdocstrings renders
Markdown, where the role would show as literal ``:class:`` text; this extension
(mkdocs.yml, ``extensions:`` of the python handler) turns each role into inline
code when the API pages are built.  The source docstrings are not changed.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

ROLE = re.compile(r":(?:py:)?(?:class|func|meth|mod|attr|data|exc|obj|const):`~?([^`]+)`")


def plain_roles(text: str) -> str:
    """``:class:`~a.B``` → ```a.B```; text without roles is returned unchanged."""
    return ROLE.sub(lambda m: f"`{m.group(1)}`", text)


class SphinxRoles(griffe.Extension):
    """Rewrites the roles in every docstring once the object tree is complete."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = plain_roles(obj.docstring.value)
