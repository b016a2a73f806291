"""Every error dunlib raises.

One root, :class:`DunlibError`, and a few families below it. Each error carries
its facts as attributes and builds its message from them, so a caller can both
read the message and act on the fields. Errors are for caller mistakes only;
business outcomes ("nothing to do", "overpaid by 1.50") are returned as values.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

__all__ = [
    "CurrencyMismatchError",
    "DocumentError",
    "DocumentProblem",
    "DunlibError",
    "InvalidTypeError",
    "InvalidValueError",
    "TransitionNotAllowedError",
]


class DunlibError(Exception):
    """The root of every error raised by dunlib: ``except DunlibError`` catches them all."""


class InvalidValueError(DunlibError, ValueError):
    """A value given to dunlib is not valid for the field it was given to.

    Raised at construction of a value object (or at the call that received the
    value), never later. ``field`` names where the value went (``LineItem.quantity``),
    ``value`` is what was given and ``expected`` says what would be valid.
    """

    def __init__(self, field: str, value: Any, expected: str) -> None:
        self.field = field
        self.value = value
        self.expected = expected
        super().__init__(f"{field}: got {value!r}; expected {expected}")


class InvalidTypeError(InvalidValueError, TypeError):
    """A value of the wrong type was given, such as a float where money belongs.

    Also a :class:`TypeError`, so code that already catches that keeps working.
    """


class CurrencyMismatchError(DunlibError, ValueError):
    """Two amounts in different currencies were combined or compared.

    dunlib never converts currencies; ``left`` and ``right`` are the two codes
    and ``operation`` what was attempted.
    """

    def __init__(self, left: str, right: str, operation: str) -> None:
        self.left = left
        self.right = right
        self.operation = operation
        super().__init__(
            f"cannot {operation} amounts in {left} and {right}: "
            f"amounts must share one currency (convert first, outside dunlib)"
        )


class TransitionNotAllowedError(DunlibError):
    """The workflow table has no row for this command in the invoice's current state.

    ``status`` is the invoice's state, ``command`` what was attempted and
    ``allowed`` the commands the table does allow there.
    """

    def __init__(self, *, status: Any, command: str, allowed: list[str]) -> None:
        self.status = status
        self.command = command
        self.allowed = allowed
        options = ", ".join(allowed) if allowed else "none (a final state)"
        super().__init__(
            f"{command} is not allowed in state {int(status)} {status.name}; "
            f"allowed there: {options}"
        )


@attrs.frozen(kw_only=True)
class DocumentProblem:
    """One thing wrong with a stored document: where (``path``) and what (``message``).

    ``path`` is written the way the document is read: ``stages[2].fee.amount``
    (``$`` for the document as a whole).
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class DocumentError(DunlibError, ValueError):
    """A document handed to :mod:`dunlib.serialize` cannot be read.

    Raised once per document, listing every problem found (not just the first)
    in ``problems``, each with its path. ``document`` names what was being read
    (``Invoice``, ``DunningRules``). Fix the listed fields and load again; the
    message says what each field expects.
    """

    def __init__(self, document: str, problems: Iterable[DocumentProblem]) -> None:
        self.document = document
        self.problems = tuple(problems)
        count = len(self.problems)
        lines = "".join(f"\n  {problem}" for problem in self.problems)
        super().__init__(
            f"cannot read the {document} document, {count} problem{'s' if count != 1 else ''}:"
            f"{lines}"
        )
