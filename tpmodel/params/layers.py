"""Parameters by place: the three layers of spec section 2, leaf by leaf.

A leaf is one number of a parameter: one agency, one year, or the single
value of a parameter that has no index. For each place and leaf the value
that applies is the first that exists of

1. the place's own value (`places.<place>.<path>`),
2. the single-offer freedom for that path, if the place makes the offer,
3. the value for all places (defaults, the scenario chain's `set`, `--set`).

Each of the first two layers is a list of `Setting`s in the order they were
made; the last setting whose keys lead to a leaf covers it (an assignment to
a path covers every leaf under it). The third layer is the resolved value for
all places, which covers every leaf (a missing agency or year means 0).

`reporting.indicators` is a step function (spec 5.5): its leaves are the
years of the mapping, and a year set in a higher layer adds a step to the
mapping of the highest layer that sets the whole parameter.

Pure: no files are read here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Key = str | int  # an agency or a year

#: Year key standing for "every year" when a step-function parameter is one number.
ALWAYS = -(10**9)


@dataclass(frozen=True)
class Setting:
    """One assignment inside a layer: the keys below the parameter it reaches, the value, and the
    dotted path of the assignment (a distribution found there is sampled under that path)."""

    keys: tuple[Key, ...]
    value: Any
    leaf_id: str


def is_distribution(value: Any) -> bool:
    """True for a `{dist: ...}` mapping."""
    return isinstance(value, Mapping) and "dist" in value


def look_up(value: Any, keys: Sequence[Key], leaf_id: str) -> tuple[str, Any]:
    """The number or distribution that `value` gives a leaf `keys` below it, with its leaf id.

    A number (or distribution) covers every key below it; a key missing from a
    mapping means 0.
    """
    node = value
    for key in keys:
        if not isinstance(node, Mapping) or is_distribution(node):
            break
        leaf_id = f"{leaf_id}.{key}"
        node = node.get(key, 0.0)
    return leaf_id, node


def covering(layer: Sequence[Setting], keys: Sequence[Key]) -> Setting | None:
    """The last setting of a layer whose keys lead to the leaf `keys`, or None."""
    for setting in reversed(layer):
        if tuple(keys[: len(setting.keys)]) == setting.keys:
            return setting
    return None


def leaf_value(keys: Sequence[Key], layers: Iterable[Sequence[Setting]]) -> tuple[str, Any]:
    """(leaf id, number or distribution) of one leaf: the first layer that covers it, in priority order.

    The last layer must cover every leaf (the value for all places).
    """
    for layer in layers:
        setting = covering(layer, keys)
        if setting is not None:
            return look_up(setting.value, keys[len(setting.keys) :], setting.leaf_id)
    raise ValueError(f"no layer covers {'.'.join(map(str, keys)) or 'the value'}")


def step_mapping(layers: Iterable[Sequence[Setting]]) -> dict[int, tuple[str, Any]]:
    """The year -> (leaf id, count) mapping of a step-function parameter (spec 5.5) over layers in
    priority order: the highest setting of the whole parameter, with the years set above it added.

    A whole value that is one number (or distribution) is the year `ALWAYS`.
    """
    mapping: dict[int, tuple[str, Any]] = {}
    for layer in layers:
        for setting in reversed(layer):
            if setting.keys:
                year = int(setting.keys[0])
                mapping.setdefault(year, (setting.leaf_id, setting.value))
                continue
            whole = setting.value
            if isinstance(whole, Mapping) and not is_distribution(whole):
                for year, count in whole.items():
                    mapping.setdefault(int(year), (f"{setting.leaf_id}.{year}", count))
            else:
                mapping.setdefault(ALWAYS, (setting.leaf_id, whole))
            return dict(sorted(mapping.items()))
    raise ValueError("no layer sets the whole parameter")
