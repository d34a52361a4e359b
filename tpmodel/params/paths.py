"""Dotted paths: splitting a path into its parameter and the keys below it (naming the segment that
failed, with a suggestion), and applying one assignment to the values."""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Mapping
from typing import Any

from ..core.axes import AGENCIES
from ..core.distributions import is_distribution
from .schema import ParamSpec


def _did_you_mean(word: str, options: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, [str(o) for o in options], n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def split_path(path: str, specs: Mapping[str, ParamSpec]) -> tuple[ParamSpec, list[str]]:
    """Split a dotted path into its parameter and the keys below it; raise ValueError naming the failing segment."""
    segments = path.split(".")
    for cut in range(len(segments), 0, -1):
        head = ".".join(segments[:cut])
        if head in specs:
            return specs[head], segments[cut:]
    prefix = ""
    for segment in segments:
        candidate = f"{prefix}{segment}"
        children = sorted({p[len(prefix) :].split(".")[0] for p in specs if p.startswith(prefix)})
        if not any(p == candidate or p.startswith(candidate + ".") for p in specs):
            where = f"in '{prefix[:-1]}'" if prefix else "at the top level"
            raise ValueError(
                f"no parameter '{segment}' {where}{_did_you_mean(segment, children)}; choices: {', '.join(children)}"
            )
        prefix = candidate + "."
    raise ValueError(f"'{path}' is a group of parameters, not one parameter; name one of its parameters")


def _sub_keys(spec: ParamSpec) -> list[str]:
    return {"agency": ["agency"], "year": ["year"], "agency_year": ["agency", "year"]}.get(spec.index or "", [])


def _parse_key(kind: str, segment: str) -> str | int:
    if kind == "agency":
        if segment not in AGENCIES:
            raise ValueError(
                f"no agency '{segment}'{_did_you_mean(segment, AGENCIES)}; agencies: {', '.join(AGENCIES)}"
            )
        return segment
    if not re.fullmatch(r"\d{4}", segment):
        raise ValueError(f"'{segment}' is not a year (a financial year such as 2012 for 2012-13)")
    return int(segment)


def apply_assignment(values: dict[str, Any], spec: ParamSpec, keys: list[str], value: Any, years: range) -> None:
    """Set `value` at `spec.path` + keys inside `values`, expanding a single number into the full
    mapping (every agency, or every year of `years`) before one key of it changes (spec section 10)."""
    kinds = _sub_keys(spec)
    if len(keys) > len(kinds):
        if not kinds:
            raise ValueError(f"'{spec.path}' holds one value, there is nothing below it to set")
        raise ValueError(f"'{spec.path}' is indexed by {' then '.join(kinds)}; too many segments: {'.'.join(keys)}")
    if not keys:
        values[spec.path] = copy.deepcopy(value)
        return
    parsed = [_parse_key(kind, segment) for kind, segment in zip(kinds, keys, strict=False)]
    holder: dict[Any, Any] = values
    slot: Any = spec.path
    for kind, key in zip(kinds, parsed, strict=False):
        node = holder[slot]
        if isinstance(node, Mapping) and not is_distribution(node):
            node = dict(node)
        else:
            node = {k: copy.deepcopy(node) for k in (AGENCIES if kind == "agency" else years)}
        holder[slot] = node
        holder, slot = node, key
        holder.setdefault(key, 0.0)  # a missing agency or year means 0
    holder[slot] = copy.deepcopy(value)
