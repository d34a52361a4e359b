"""Reading YAML safely: a safe loader that rejects duplicate keys and reads 5e-4 as a number."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import fail

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser where libyaml is there


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """Safe loader that rejects duplicate keys in a mapping."""


def _construct_unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
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
    """Parse a YAML file safely; a missing file or bad YAML is an `InputError` naming it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise fail(str(path), "", "file not found") from None
    except OSError as error:
        raise fail(str(path), "", f"cannot read the file ({error.strerror})") from None
    return parse_yaml(text, str(path))


def parse_yaml(text: str, source: str) -> Any:
    """Parse YAML text with the safe, duplicate-rejecting loader."""
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        context = getattr(error, "context", None)
        detail = f"{context}, {problem}" if context and problem else problem
        raise fail(source, "", f"malformed YAML: {where}{detail}") from None
