"""Split a generated raw Parquet set into "the data minus its last day" and "the last day
appended", the two states an incremental refresh goes through.

The final state is the initial one with rows appended (the contract of the incremental
models): the last day's tickets and events, late events of older tickets, re-exports of
older tickets with a later ``updated_at``, and a ticket whose ``created`` event was exported
a day before the ticket itself (rejected as ``unknown_ticket`` at first, valid once the
ticket arrives). Both ``tests/python/test_incremental.py`` and ``scripts/benchmark.py`` use
it, so the test checks the same kind of day the benchmark times.

Usage::

    .venv/bin/python scripts/split_last_day.py GENERATED_DIR INITIAL_DIR FINAL_DIR
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import duckdb

SPLIT_TABLES = ("tickets", "ticket_events")
# One late event in LATE_EVENT_SHARE of the older tickets' events arrives with the new day.
LATE_EVENT_SHARE = 0.02
REEXPORT_SHARE = 0.03


def split_last_day(
    source_dir: Path,
    initial_dir: Path,
    final_dir: Path,
    late_event_share: float = LATE_EVENT_SHARE,
    reexport_share: float = REEXPORT_SHARE,
) -> None:
    """Write the initial and the final state of ``source_dir`` (left unchanged).

    Raw files other than tickets and ticket_events are copied to both states as they are.
    The final tickets and events files hold the initial rows in their order, then the
    arriving ones, so the final state is an append to the initial one."""
    initial_dir.mkdir(parents=True)
    final_dir.mkdir(parents=True)
    split_files = {f"{table}.parquet" for table in SPLIT_TABLES}
    for path in source_dir.iterdir():
        if path.is_file() and path.name not in split_files:
            shutil.copy2(path, initial_dir / path.name)
            shutil.copy2(path, final_dir / path.name)
    tickets = source_dir / "tickets.parquet"
    events = source_dir / "ticket_events.parquet"
    late_per_mille = round(late_event_share * 1000)
    reexport_per_mille = round(reexport_share * 1000)
    with duckdb.connect() as connection:
        row = connection.execute(
            f"select max(try_cast(left(event_at, 10) as date)) from '{events}'"
        ).fetchone()
        assert row is not None and row[0] is not None, f"no dated event in {events}"
        last_day = row[0]
        # Views over the files, not tables: at 10M tickets the events would not fit in memory;
        # only the (small) sets of arriving positions and re-exports are materialised.
        connection.execute(f"""
            create view tickets as
            select
                *,
                file_row_number as position,
                try_cast(left(created_at, 10) as date) as created_day
            from read_parquet('{tickets}', file_row_number = true);
            create view events as
            select *, file_row_number as position, try_cast(left(event_at, 10) as date) as event_day
            from read_parquet('{events}', file_row_number = true);
            -- The ticket whose event came a day early: the first created the day before.
            create table early_event_ticket as
            select ticket_id from tickets
            where created_day = date '{last_day}' - 1
            order by position limit 1;
            create table arriving_tickets as
            select position from tickets
            where
                created_day >= date '{last_day}'
                or ticket_id in (select ticket_id from early_event_ticket);
            create table arriving_events as
            select position from events
            where
                event_day >= date '{last_day}'
                or (
                    ticket_id in (select ticket_id from early_event_ticket)
                    and event_type <> 'created'
                )
                or (
                    event_day < date '{last_day}' - 7
                    and hash(event_id) % 1000 < {late_per_mille}
                );
            create table reexports as
            select
                * replace (
                    strftime(date '{last_day}' + interval 10 hour, '%Y-%m-%dT%H:%M:%SZ')
                        as updated_at,
                    'urgent' as priority,
                    'reexported' as queue
                )
            from tickets
            where
                created_day < date '{last_day}' - 14
                and hash(ticket_id) % 1000 < {reexport_per_mille};
        """)
        connection.execute(
            state_copies(
                "tickets",
                "created_day",
                "arriving_tickets",
                initial_dir / "tickets.parquet",
                final_dir / "tickets.parquet",
                appended="reexports",
            )
            + state_copies(
                "events",
                "event_day",
                "arriving_events",
                initial_dir / "ticket_events.parquet",
                final_dir / "ticket_events.parquet",
            )
        )


def state_copies(
    view: str,
    day_column: str,
    arriving: str,
    initial_file: Path,
    final_file: Path,
    appended: str | None = None,
) -> str:
    """The two copy statements of one split file: the initial state holds the rows that do
    not arrive; the final state holds them, then the arriving rows, then ``appended``."""
    columns = f"* exclude (file_row_number, position, {day_column}, part)"
    parts = [
        f"select *, 0 as part from {view} where position not in (select position from {arriving})",
        f"select *, 1 as part from {view} where position in (select position from {arriving})",
    ]
    if appended is not None:
        parts.append(f"select *, 2 as part from {appended}")
    return f"""
        copy (select {columns} from ({parts[0]}) order by position)
            to '{initial_file}' (format parquet);
        copy (select {columns} from ({" union all ".join(parts)}) order by part, position)
            to '{final_file}' (format parquet);
    """


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="generated raw Parquet folder (unchanged)")
    parser.add_argument("initial", type=Path, help="new folder: the data minus its last day")
    parser.add_argument("final", type=Path, help="new folder: the last day appended")
    args = parser.parse_args(argv)
    split_last_day(args.source, args.initial, args.final)
    return 0


if __name__ == "__main__":
    sys.exit(main())
