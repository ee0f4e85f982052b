"""Per-file cache of read, normalised and validated rows, kept inside each version.

A monthly upload must cost what the new file costs, not what years of exports cost: a load
reads and validates only the files whose entry is missing, and rebuilds the tables from the
entries of all files. An entry lives in `<version>/cache/<source>/` as three files named by
the file's content hash and a key of everything else its rows depend on (the source's suite,
the register and the wijken, the pipeline): `<key>.parquet` (its valid rows, normalised),
`<key>.quarantaine.parquet` (its refused rows) and `<key>.json` (what the manifest says of
it, and its failing rows per expectation). A new version links the entries it still uses from
the version before (hard links: no copy) and drops the rest.

One rule depends on the day (a date may not lie after 'vandaag'): an entry whose rows failed
such a rule is used only on the day it was made, so a row dated tomorrow loads tomorrow.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

CACHE = "cache"
VALID = ".parquet"
REFUSED = ".quarantaine.parquet"
META = ".json"


def context_key(pipeline: str, suite_json: dict, reference: dict[str, str]) -> str:
    """What a source's entries depend on besides the file itself."""
    digest = hashlib.sha256(pipeline.encode())
    digest.update(json.dumps(suite_json, sort_keys=True, ensure_ascii=False).encode())
    for name, value in sorted(reference.items()):
        digest.update(f"{name}={value}\n".encode())
    return digest.hexdigest()[:16]


def today_rules(suite_json: dict) -> list[int]:
    """The indices of the suite's expectations that read the 'vandaag' parameter."""
    return [
        i
        for i, e in enumerate(suite_json.get("expectations", []))
        if '"$PARAMETER": "vandaag"' in json.dumps(e.get("kwargs", {}))
    ]


@dataclass
class Entry:
    """One file's cached result."""

    key: str  # <content hash>-<context key>
    result: dict  # the FileResult's fields that reading and validating fill in
    failing: list[int]  # per expectation of the suite: this file's failing rows
    made_on: str  # ISO date the entry was made
    today_failures: int  # failing rows of rules that read 'vandaag'


class SourceCache:
    """The entries of one source: those of the version before, and the new version's."""

    def __init__(self, previous: Path | None, source: str, context: str) -> None:
        self.previous = previous / CACHE / source if previous is not None else None
        self.source = source
        self.context = context
        self.folder = Path()  # set by `attach`, once the new version's folder exists

    def attach(self, new_version: Path) -> None:
        self.folder = new_version / CACHE / self.source

    def key(self, sha: str) -> str:
        return f"{sha[:32]}-{self.context}"

    def find(self, sha: str, today: dt.date) -> Entry | None:
        """The entry of content `sha` from the version before, if it still holds today."""
        if self.previous is None or not sha:
            return None
        meta = self.previous / f"{self.key(sha)}{META}"
        try:
            entry = Entry(**json.loads(meta.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None  # no entry, or one this code cannot read: read the file again
        if entry.today_failures and entry.made_on != today.isoformat():
            return None
        if not all((self.previous / f"{entry.key}{part}").exists() for part in (VALID, REFUSED)):
            return None
        return entry

    def keep(self, entry: Entry) -> None:
        """Link an entry of the version before into the new version."""
        self.folder.mkdir(parents=True, exist_ok=True)
        assert self.previous is not None
        for part in (VALID, REFUSED, META):
            target = self.folder / f"{entry.key}{part}"
            if not target.exists():
                try:
                    os.link(self.previous / f"{entry.key}{part}", target)
                except OSError:  # another file system: a copy will do
                    target.write_bytes((self.previous / f"{entry.key}{part}").read_bytes())

    def store(self, entry: Entry, valid: pa.Table, refused: pd.DataFrame) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(valid, self.folder / f"{entry.key}{VALID}")
        refused.to_parquet(self.folder / f"{entry.key}{REFUSED}", index=False)
        (self.folder / f"{entry.key}{META}").write_text(
            json.dumps(dataclasses.asdict(entry), ensure_ascii=False), encoding="utf-8"
        )

    def valid_path(self, entry: Entry) -> Path:
        return self.folder / f"{entry.key}{VALID}"

    def refused(self, named: list[tuple[str, Entry]]) -> pd.DataFrame:
        """The refused rows of these files' entries, each under its file's name (`bestand`;
        two files with the same content share an entry). Read with Arrow and made one frame
        once: a pandas frame per file cost a month's load 0,1 to 0,2 s at 100x."""
        tables = []
        for name, entry in named:
            if entry.result.get("rijen_quarantaine") == 0:  # most files: nothing to read
                continue
            table = pq.read_table(self.folder / f"{entry.key}{REFUSED}")
            if "bestand" in table.column_names:
                table = table.drop_columns(["bestand"])
            tables.append(table.append_column("bestand", pa.repeat(name, table.num_rows)))
        tables = [t for t in tables if t.num_rows]
        if not tables:
            return pd.DataFrame()
        return pa.concat_tables(tables, promote_options="permissive").to_pandas()
