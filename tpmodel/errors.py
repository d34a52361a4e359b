"""Input errors: every problem found, each naming the file, the parameter path and what is allowed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem with the input."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return f"{where}: {self.message}"


class InputError(Exception):
    """Bad input: a file, a parameter or a command-line value. The CLI exits with status 2."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(self.render())

    def render(self) -> str:
        """All problems, one per line."""
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} problems in the input:"]
        lines += [f"  {problem}" for problem in self.problems]
        return "\n".join(lines)


def fail(file: str, path: str, message: str) -> InputError:
    """An `InputError` with one problem, to raise."""
    return InputError([Problem(file, path, message)])
