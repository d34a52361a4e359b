"""Reading YAML safely: a safe loader that rejects duplicate and unhashable keys and reads 5e-4 as a
number, with limits on the size of a file, the depth of nesting and the size once aliases are expanded
(so that a few lines of `&a [*b, *b, ...]` cannot exhaust memory downstream: "billion laughs")."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from ..errors import fail

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser where libyaml is there

#: Largest YAML file read [bytes]; params/defaults.yaml is about 60 kB.
MAX_YAML_BYTES = 1024 * 1024
#: Most YAML nodes (values, keys, lists, mappings, aliases) written in one document; defaults.yaml has
#: about 2,000. Counted before the document is built, which is the slow part.
MAX_NODES = 50_000
#: Deepest nesting of lists and mappings in a YAML value (the deepest parameter needs 6).
MAX_DEPTH = 32
#: Most items (values, keys, lists and mappings) in a YAML document once its aliases are expanded.
MAX_ITEMS = 200_000


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """Safe loader that rejects duplicate keys in a mapping."""


def _construct_unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            duplicate = key in seen
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, f"a key that is a {type(key).__name__} (keys are names or numbers)", key_node.start_mark
            ) from None
        if duplicate:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping)


# YAML 1.1 reads 1e-3 (no dot) as text; read it as the number an economist meant, as YAML 1.2 does.
_UniqueKeyLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)


def read_yaml(path: Path) -> Any:
    """Parse a YAML file safely; a missing, unreadable, over-large or non-UTF-8 file or bad YAML is an
    `InputError` naming it."""
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise fail(str(path), "", "is a folder, not a YAML file")
        if size > MAX_YAML_BYTES:
            raise fail(str(path), "", f"file too large ({size:,} bytes; at most {MAX_YAML_BYTES:,})")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise fail(str(path), "", "file not found") from None
    except UnicodeDecodeError as error:
        raise fail(str(path), "", f"not UTF-8 text (byte {error.start}); save the file as UTF-8") from None
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise fail(str(path), "", f"cannot read the file ({reason})") from None
    return parse_yaml(text, str(path))


def parse_yaml(text: str, source: str) -> Any:
    """Parse YAML text with the safe, duplicate-rejecting loader, within MAX_NODES, MAX_DEPTH and MAX_ITEMS."""
    try:
        for count, _ in enumerate(yaml.parse(text, Loader=_UniqueKeyLoader)):
            if count > 2 * MAX_NODES:  # a node is one or two events (start and end)
                raise fail(source, "", f"too large: more than {MAX_NODES:,} values")
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        context = getattr(error, "context", None)
        detail = f"{context}, {problem}" if context and problem else problem
        raise fail(source, "", f"malformed YAML: {where}{detail}") from None
    except RecursionError:
        raise fail(source, "", f"malformed YAML: nested more than {MAX_DEPTH} deep") from None
    check_size(data, source)
    return data


def check_size(data: Any, source: str) -> None:
    """Refuse a value nested deeper than MAX_DEPTH or holding more than MAX_ITEMS items once its aliases
    are expanded. Counts each shared list or mapping once per use without expanding it (linear time)."""
    items: dict[int, int] = {}  # id of a container -> its expanded size
    depth: dict[int, int] = {}
    open_: set[int] = set()  # containers whose children are being counted
    stack: list[tuple[Any, bool]] = [(data, False)]
    while stack:
        node, done = stack.pop()
        if not isinstance(node, Mapping | list) or (id(node) in items and not done):
            continue
        if not done and id(node) in open_:
            raise fail(source, "", "a value contains itself (a YAML alias inside its own anchor)")
        children = [c for pair in node.items() for c in pair] if isinstance(node, Mapping) else node
        if not done:
            open_.add(id(node))
            stack.append((node, True))
            stack += [(child, False) for child in children]
            continue
        open_.discard(id(node))
        inner = [child for child in children if isinstance(child, Mapping | list)]
        items[id(node)] = 1 + len(children) + sum(items[id(c)] - 1 for c in inner)
        depth[id(node)] = 1 + max((depth[id(c)] for c in inner), default=0)
        if depth[id(node)] > MAX_DEPTH:
            raise fail(source, "", f"nested more than {MAX_DEPTH} deep")
        if items[id(node)] > MAX_ITEMS:
            raise fail(source, "", f"too large: more than {MAX_ITEMS:,} values once its aliases (*name) are expanded")
