"""Reading a 50 MB camt.053 and hostile files: time and peak memory against a floor.

Builds a camt.053 of about 50 MB (one statement, tens of thousands of entries, each with
its transaction details) in memory, then measures, each in the same run:

- the floor: ``defusedxml`` parsing the same bytes entry by entry (``iterparse``, clearing
  each entry), without dunlib's mapping into values;
- ``read_camt053`` on the same bytes;
- the same file once more with ``max_bytes`` below its size (refused unread);
- a billion-laughs bomb and an external entity (refused at the document type);
- the file cut in half (refused at the line where it breaks off).

For each it prints the wall time and the peak memory traced by ``tracemalloc``, and the
ratio of ``read_camt053`` to the floor (tracing slows both alike); the floor and
``read_camt053`` are first timed untraced, and that ratio is printed too.
Run: ``PYTHONPATH=src python benchmarks/bench_statements.py``.
"""

from __future__ import annotations

import io
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from defusedxml.ElementTree import iterparse

from dunlib import DunlibError
from dunlib.bank import read_camt053

NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"
ENTRY = (
    '<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>'
    "<BookgDt><Dt>2026-04-01</Dt></BookgDt><ValDt><Dt>2026-03-31</Dt></ValDt>"
    "<AcctSvcrRef>REF-{n}</AcctSvcrRef><NtryDtls><TxDtls><Refs><EndToEndId>E2E-{n}</EndToEndId>"
    "</Refs><RltdPties><Dbtr><Pty><Nm>Kunde {n} GmbH</Nm></Pty></Dbtr><DbtrAcct><Id>"
    "<IBAN>DE89370400440532013000</IBAN></Id></DbtrAcct></RltdPties><RmtInf>"
    "<Ustrd>Rechnung RE-2026-{n:06d} vielen Dank fuer Ihren Auftrag</Ustrd></RmtInf>"
    "</TxDtls></NtryDtls></Ntry>\n"
)


def big_camt(target: int = 50 * 1024 * 1024) -> bytes:
    """A camt.053 of about ``target`` bytes whose balances add up."""
    head = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="{NS}"><BkToCstmrStmt><Stmt>'
        "<Id>BIG</Id><Acct><Id><IBAN>DE02100500000054540402</IBAN></Id><Ccy>EUR</Ccy></Acct>"
    )
    parts: list[str] = []
    size, n, total = len(head), 0, 0
    while size < target:
        cents = 100 + n % 100_000
        total += cents
        line = ENTRY.format(amount=f"{cents // 100}.{cents % 100:02d}", n=n)
        parts.append(line)
        size += len(line)
        n += 1
    closing = f"{total // 100}.{total % 100:02d}"
    balances = (
        '<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">0.00</Amt>'
        "<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-03-31</Dt></Dt></Bal>"
        f'<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{closing}</Amt>'
        "<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-04-01</Dt></Dt></Bal>"
    )
    return (head + balances + "".join(parts) + "</Stmt></BkToCstmrStmt></Document>").encode()


def floor(data: bytes) -> int:
    """defusedxml over the same bytes, entry by entry, nothing mapped: the floor."""
    count = 0
    for _, element in iterparse(io.BytesIO(data), events=("end",), forbid_dtd=True):
        if element.tag == f"{{{NS}}}Ntry":
            count += 1
            element.clear()
    return count


def measure(name: str, call: Callable[[], Any]) -> tuple[float, int]:
    """Wall time and traced peak memory of one call (a DunlibError counts as its outcome)."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        outcome = call()
        said = f"{len(outcome[0].entries)} entries" if isinstance(outcome, tuple) else "ok"
    except DunlibError as error:
        said = f"refused: {type(error).__name__}"
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"{name:<38} {elapsed:8.3f} s {peak / 2**20:9.1f} MiB  {said}")
    return elapsed, peak


BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(9)
    )
    + b"]><Document>&j;</Document>"
)
EXTERNAL = b'<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><Document>&x;</Document>'


def untraced(call: Callable[[], Any]) -> float:
    """Wall time of one call, no memory traced."""
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def main() -> None:
    data = big_camt()
    print(f"camt.053 of {len(data) / 2**20:.1f} MiB")
    plain_floor = untraced(lambda: floor(data))
    plain_read = untraced(lambda: read_camt053(data))
    print(
        f"untraced: floor {plain_floor:.3f} s, read_camt053 {plain_read:.3f} s, "
        f"{plain_read / plain_floor:.2f}x the floor"
    )
    floor_time, floor_peak = measure("floor: defusedxml iterparse", lambda: floor(data))
    read_time, read_peak = measure("read_camt053", lambda: read_camt053(data))
    measure("read_camt053, max_bytes 10 MiB", lambda: read_camt053(data, max_bytes=10 * 2**20))
    measure("billion laughs (10^10 a's)", lambda: read_camt053(BOMB))
    measure("external entity", lambda: read_camt053(EXTERNAL))
    half = data[: len(data) // 2]
    measure("truncated at half", lambda: read_camt053(half))
    print(
        f"read_camt053 / floor: time {read_time / floor_time:.2f}x, "
        f"peak memory {read_peak / max(floor_peak, 1):.2f}x"
    )


if __name__ == "__main__":
    main()
