"""Input errors: every problem found, each naming the file, the parameter path and what is allowed."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

#: Characters of a file name, a path or a message shown at most (longer text is cut, with "...").
MAX_SHOWN = {"file": 200, "path": 200, "message": 1000}
#: Problems listed at most in one message; the rest are counted.
MAX_PROBLEMS = 20


def printable(text: str, limit: int) -> str:
    """`text` safe to print on one line of a terminal: control characters, line and paragraph separators and
    format characters (such as a right-to-left override) shown as escapes, cut to `limit` characters."""
    shown = "".join(
        char.encode("unicode_escape").decode("ascii")
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")
        else char
        for char in text[: limit + 1]
    )
    return shown if len(shown) <= limit and len(text) <= limit else shown[: max(limit - 3, 0)] + "..."


@dataclass(frozen=True)
class Problem:
    """One problem with the input."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        file, path = printable(self.file, MAX_SHOWN["file"]), printable(self.path, MAX_SHOWN["path"])
        where = f"{file}: {path}" if self.path else file
        return f"{where}: {printable(self.message, MAX_SHOWN['message'])}"


class InputError(Exception):
    """Bad input: a file, a parameter or a command-line value. The CLI exits with status 2."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(dict.fromkeys(problems))
        super().__init__(self.render())

    def render(self) -> str:
        """All problems, one per line (at most MAX_PROBLEMS, then how many more)."""
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} problems in the input:"]
        lines += [f"  {problem}" for problem in self.problems[:MAX_PROBLEMS]]
        if len(self.problems) > MAX_PROBLEMS:
            lines.append(f"  ... and {len(self.problems) - MAX_PROBLEMS} more")
        return "\n".join(lines)


def fail(file: str, path: str, message: str) -> InputError:
    """An `InputError` with one problem, to raise."""
    return InputError([Problem(file, path, message)])
