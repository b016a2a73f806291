"""Tables for notebooks: HTML, pandas and polars frames from typed columns (private).

Schedules, comparisons and ageing reports describe their rows as :class:`Column` values;
this module turns them into

- HTML (:func:`html_table`): every text escaped, so a customer named ``<script>`` or an
  invoice number with ``&`` shows as text, never as markup;
- a pandas frame (:func:`pandas_frame`): text as pandas' string type, whole numbers as
  ``int64`` (``Int64``, nullable, where a value may be missing), dates as
  :class:`datetime.date` values and amounts as :class:`decimal.Decimal` values (both in
  ``object`` columns: pandas has no exact decimal type of its own, and a float column
  would lose cents);
- a polars frame (:func:`polars_frame`): ``pl.String``, ``pl.Int64``, ``pl.Date`` and
  ``pl.Decimal(38, scale)``, the scale being the largest minor unit among the frame's
  currencies (2 for EUR).

pandas and polars are optional extras, imported only here and only when a frame is asked
for; without them :class:`~dunlib.core.errors.MissingExtraError` names the extra to install.
"""

from __future__ import annotations

import html
import importlib
from collections.abc import Iterable, Sequence
from enum import Enum
from types import ModuleType
from typing import TYPE_CHECKING, Any

import attrs

from dunlib.core.errors import MissingExtraError
from dunlib.core.money import minor_unit

if TYPE_CHECKING:
    import pandas
    import polars


class Kind(Enum):
    """What a column holds."""

    TEXT = "text"
    INT = "int"
    OPTIONAL_INT = "optional int"
    DATE = "date"
    AMOUNT = "amount"
    DAYS = "days"
    """A number of days to one decimal place (a DSO), or None."""


@attrs.frozen
class Column:
    """A named column of one kind; ``values`` are str, int, date or Decimal (or None)."""

    name: str
    kind: Kind
    values: tuple[Any, ...]


def load(package: str, extra: str) -> ModuleType:
    """The optional ``package``, or :class:`MissingExtraError` naming the dunlib ``extra``."""
    try:
        return importlib.import_module(package)
    except ImportError:
        raise MissingExtraError(package=package, extra=extra) from None


def amount_scale(currencies: Iterable[str]) -> int:
    """The decimal places an amount column needs for ``currencies`` (2 when there are none)."""
    return max((minor_unit(code) for code in set(currencies)), default=2)


def pandas_frame(columns: Sequence[Column]) -> pandas.DataFrame:
    """A ``pandas.DataFrame`` of ``columns`` (see the module docs for the types)."""
    pd = load("pandas", "pandas")
    data = {}
    for column in columns:
        values = list(column.values)
        match column.kind:
            case Kind.TEXT:
                data[column.name] = pd.Series(values, dtype=None if values else object)
            case Kind.INT:
                data[column.name] = pd.Series(values, dtype="int64")
            case Kind.OPTIONAL_INT:
                data[column.name] = pd.Series(values, dtype="Int64")
            case _:  # dates and amounts (and DSO days) as Python values, exactly
                data[column.name] = pd.Series(values, dtype=object)
    frame: pandas.DataFrame = pd.DataFrame(data)
    return frame


def polars_frame(columns: Sequence[Column], *, scale: int) -> polars.DataFrame:
    """A ``polars.DataFrame`` of ``columns``; amounts as ``pl.Decimal(38, scale)``."""
    pl = load("polars", "polars")
    types = {
        Kind.TEXT: pl.String,
        Kind.INT: pl.Int64,
        Kind.OPTIONAL_INT: pl.Int64,
        Kind.DATE: pl.Date,
        Kind.AMOUNT: pl.Decimal(38, scale),
        Kind.DAYS: pl.Decimal(38, 1),
    }
    frame: polars.DataFrame = pl.DataFrame(
        [
            pl.Series(column.name, list(column.values), dtype=types[column.kind])
            for column in columns
        ]
    )
    return frame


def html_table(
    *,
    css_class: str,
    caption: str,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    right: Iterable[int] = (),
    strong: Iterable[int] = (),
    notes: Sequence[str] = (),
) -> str:
    """An HTML table with every text escaped: ``right`` are the right-aligned columns
    (numbers), ``strong`` the indices of rows shown in bold (totals), ``notes`` lines of
    text below the table."""
    esc = html.escape
    aligned, bold = set(right), set(strong)

    def cell(tag: str, index: int, text: str) -> str:
        style = ' style="text-align: right"' if index in aligned else ""
        return f"<{tag}{style}>{esc(text)}</{tag}>"

    parts = [f'<table class="dunlib {esc(css_class)}">', f"<caption>{esc(caption)}</caption>"]
    parts.append("<thead><tr>")
    parts.extend(cell("th", i, text) for i, text in enumerate(header))
    parts.append("</tr></thead>")
    parts.append("<tbody>")
    for number, row in enumerate(rows):
        parts.append('<tr style="font-weight: bold">' if number in bold else "<tr>")
        parts.extend(cell("td", i, text) for i, text in enumerate(row))
        parts.append("</tr>")
    parts.append("</tbody></table>")
    parts.extend(f"<p>{esc(note)}</p>" for note in notes)
    return "\n".join(parts)
