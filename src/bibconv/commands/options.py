"""Plugin options on the command line: ``-O NAME=VALUE`` and the dedicated flags.

Why one place: every reader and writer declares its options as a typed
dataclass (:class:`bibconv.registry.Options`), so the CLI needs no flag per
option.  ``-O`` turns ``NAME=VALUE`` into the field's type (bool, int, str,
an optional of one of them, or one of a ``Literal``'s values) and refuses a
name the chosen format does not declare, with a did-you-mean and the
format's options: a misspelled option must not be ignored silently.

The dedicated flags (``--unicode``, ``--lossless``, ``--style`` …) stay;
one that does not apply to the chosen writer is reported (a warning, or a
note when the writer keeps everything anyway) instead of being ignored
without a word, and is not passed on.
"""

from __future__ import annotations

import argparse
import dataclasses
import types
import typing
from collections.abc import Sequence
from typing import Any

__all__ = ["OptionError", "add_option_flag", "convert_value", "describe", "parse_options", "type_name"]

_TRUE = frozenset({"true", "yes", "1", "on"})
_FALSE = frozenset({"false", "no", "0", "off"})


class OptionError(ValueError):
    """A ``-O`` the chosen format cannot take (a usage error: exit 2)."""


def add_option_flag(parser: argparse.ArgumentParser, kind: str) -> None:
    """Add ``-O/--option NAME=VALUE`` (repeatable) for the ``kind`` ('writer') of the command."""
    parser.add_argument(
        "-O",
        "--option",
        dest="plugin_options",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help=f"an option of the {kind} (repeatable; 'bibconv formats FORMAT' lists them), e.g. -O indent=0",
    )


def _hints(plugin: type[Any]) -> dict[str, Any]:
    """The resolved annotations of ``plugin``'s options (strings under ``from __future__``)."""
    cls = getattr(plugin, "Options", None)
    if cls is None:
        return {}
    try:
        return typing.get_type_hints(cls)
    except Exception:  # an annotation that does not resolve: the text is still worth showing
        return {f.name: f.type for f in dataclasses.fields(cls)}


def type_name(tp: Any) -> str:
    """A short readable name of an option's type (``bool``, ``int | None``, ``'omit' | 'print'``)."""
    if isinstance(tp, str):
        return tp
    if typing.get_origin(tp) is typing.Literal:
        return " | ".join(repr(a) for a in typing.get_args(tp))
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return " | ".join(type_name(a) for a in typing.get_args(tp))
    if tp is type(None):
        return "None"
    return str(getattr(tp, "__name__", tp)).replace("typing.", "")


def convert_value(name: str, text: str, tp: Any) -> Any:
    """``text`` as a value of ``tp``; :class:`OptionError` when it is not one."""
    if isinstance(tp, str):
        raise OptionError(f"option {name!r} has a type the command line cannot give ({tp})")
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        if type(None) in args and text.strip().lower() in ("", "none", "null"):
            return None
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return convert_value(name, text, arg)
            except OptionError as exc:
                errors.append(str(exc))
        raise OptionError(
            errors[0] if len(errors) == 1 else f"option {name!r}: {text!r} is not a {type_name(tp)}"
        )
    if origin is typing.Literal:
        choices = typing.get_args(tp)
        for choice in choices:
            if str(choice) == text:
                return choice
        raise OptionError(f"option {name!r} is one of {', '.join(map(str, choices))}, not {text!r}")
    if tp is bool:
        low = text.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise OptionError(f"option {name!r} is true or false (yes/no, 1/0), not {text!r}")
    if tp is int:
        try:
            return int(text.strip())
        except ValueError:
            raise OptionError(f"option {name!r} is a whole number, not {text!r}") from None
    if tp is float:
        try:
            return float(text.strip())
        except ValueError:
            raise OptionError(f"option {name!r} is a number, not {text!r}") from None
    if tp is str:
        return text  # as the shell gave it (a Windows path keeps its backslashes)
    raise OptionError(f"option {name!r} ({type_name(tp)}) cannot be given on the command line")


def describe(plugin: type[Any]) -> str:
    """``name (type, default …)`` of each option, for messages; 'none' for a plugin without any."""
    from bibconv.registry import option_fields

    hints = _hints(plugin)
    shown = [f"{f.name} ({type_name(hints.get(f.name, f.type))})" for f in option_fields(plugin)]
    return ", ".join(shown) or "none"


def parse_options(plugin: type[Any], given: Sequence[str]) -> dict[str, Any]:
    """The ``-O NAME=VALUE`` list as ``plugin``'s option values; :class:`OptionError` on a bad one."""
    from bibconv.registry import option_fields

    if given and getattr(plugin, "Options", None) is None:
        raise OptionError(f"{plugin.name} declares no typed options, so -O cannot set any")
    fields = {f.name: f for f in option_fields(plugin)}
    hints = _hints(plugin)
    out: dict[str, Any] = {}
    for item in given:
        name, eq, text = item.partition("=")
        name = name.strip().replace("-", "_")
        if not eq or not name:
            raise OptionError(f"-O takes NAME=VALUE, not {item!r}")
        if name not in fields:
            import difflib  # only for a misspelt name: every run would pay for it at start-up

            close = difflib.get_close_matches(name, list(fields), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise OptionError(f"{plugin.name} has no option {name!r}{hint}; its options: {describe(plugin)}")
        out[name] = convert_value(name, text, hints.get(name, fields[name].type))
    return out
