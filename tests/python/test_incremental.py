"""Incremental refresh gives exactly the full refresh's marts.

Generated data is split into an initial and a final state, where the final raw files are
the initial ones with rows appended (the contract of the incremental models): the last
day's tickets and events, late events of older tickets, re-exports of older tickets with a
later `updated_at`, and a ticket whose event was exported a day before the ticket itself
(rejected as `unknown_ticket` at first, valid once the ticket arrives). The initial state
is built, then the final state incrementally into the same warehouse, and the final
state with a full refresh into another: every mart must hold the same rows, and the
incremental models too (bookkeeping column aside).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import GENERATOR, PROJECT_ROOT, query, run_dbt
from test_reproducibility import content_hashes

GENERATOR_ARGS = ["--tickets", "3000", "--months", "3", "--agents", "12", "--teams", "3"]
GENERATOR_ARGS += ["--seed", "11", "--quiet"]
INCREMENTAL_MODELS = {
    "staging": [
        "base_ticketing__tickets",
        "base_ticketing__ticket_events",
        "stg_ticketing__ticket_events",
    ],
    "intermediate": ["int_ticket_events_sequenced", "int_ticket_lifecycles_derived"],
}
# One late event in LATE_EVENT_SHARE of the older tickets' events arrives with the new day.
LATE_EVENT_SHARE = 0.02
REEXPORT_SHARE = 0.03


def split_raw(final_dir: Path, initial_dir: Path) -> None:
    """Write the initial state: the final files minus the rows that arrive with the last day.

    The final files are rewritten as initial rows (in their order) followed by the arriving
    rows, so the final state is an append to the initial one."""
    initial_dir.mkdir()
    for path in final_dir.iterdir():
        if path.name not in {"tickets.parquet", "ticket_events.parquet"}:
            shutil.copy2(path, initial_dir / path.name)
    tickets = final_dir / "tickets.parquet"
    events = final_dir / "ticket_events.parquet"
    with duckdb.connect() as connection:
        (last_day,) = connection.execute(
            f"select max(try_cast(left(event_at, 10) as date)) from '{events}'"
        ).fetchone()
        connection.execute(f"""
            create table tickets as
            select
                *,
                file_row_number as position,
                try_cast(left(created_at, 10) as date) as created_day
            from read_parquet('{tickets}', file_row_number = true);
            create table events as
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
                    and hash(event_id) % 1000 < {LATE_EVENT_SHARE * 1000:.0f}
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
                and hash(ticket_id) % 1000 < {REEXPORT_SHARE * 1000:.0f};
        """)
        columns = "* exclude (file_row_number, position, created_day)"
        event_columns = "* exclude (file_row_number, position, event_day)"
        connection.execute(f"""
            copy (
                select {columns} from tickets
                where position not in (select position from arriving_tickets) order by position
            ) to '{initial_dir / "tickets.parquet"}' (format parquet);
            copy (
                select {event_columns} from events
                where position not in (select position from arriving_events) order by position
            ) to '{initial_dir / "ticket_events.parquet"}' (format parquet);
            copy (
                select {columns} from (
                    select *, 0 as part from tickets
                    where position not in (select position from arriving_tickets)
                    union all
                    select *, 1 as part from tickets
                    where position in (select position from arriving_tickets)
                    union all
                    select *, 2 as part from reexports
                ) order by part, position
            ) to '{final_dir / "tickets.next.parquet"}' (format parquet);
            copy (
                select {event_columns} from (
                    select *, 0 as part from events
                    where position not in (select position from arriving_events)
                    union all
                    select *, 1 as part from events
                    where position in (select position from arriving_events)
                ) order by part, position
            ) to '{final_dir / "ticket_events.next.parquet"}' (format parquet);
        """)
    (final_dir / "tickets.next.parquet").replace(tickets)
    (final_dir / "ticket_events.next.parquet").replace(events)


def build(args: list[str], raw_dir: Path, warehouse: Path) -> None:
    for command in (["seed"], args):
        result = run_dbt(command, raw_dir=raw_dir, warehouse=warehouse, raw_format="parquet")
        assert result.ok, result.output[-6000:]


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(incremental warehouse, full-refresh warehouse, final raw folder)."""
    work = tmp_path_factory.mktemp("incremental")
    final_dir = work / "final"
    generated = subprocess.run(
        [
            sys.executable,
            str(GENERATOR),
            "--out",
            str(final_dir),
            "--format",
            "parquet",
            *GENERATOR_ARGS,
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert generated.returncode == 0, generated.stdout[-3000:] + generated.stderr[-3000:]
    initial_dir = work / "initial"
    split_raw(final_dir, initial_dir)
    live_dir = work / "live"
    shutil.copytree(initial_dir, live_dir)
    incremental = work / "incremental" / "scorecard.duckdb"
    incremental.parent.mkdir()
    build(["run"], live_dir, incremental)
    for path in final_dir.iterdir():
        shutil.copy2(path, live_dir / path.name)
    build(["run"], live_dir, incremental)
    full = work / "full" / "scorecard.duckdb"
    full.parent.mkdir()
    build(["run", "--full-refresh"], final_dir, full)
    return incremental, full, final_dir


def test_split_appends_every_kind_of_arrival(builds: tuple[Path, Path, Path]) -> None:
    """Guards the test itself: the final state adds a new day, late events, re-exports and
    a ticket that makes an earlier-rejected event valid."""
    incremental, _, _ = builds
    ((loads,),) = query(
        incremental, "select count(distinct _loaded_at) from staging.base_ticketing__tickets"
    )
    assert loads == 2
    ((reexported,),) = query(
        incremental,
        "select count(*) from staging.stg_ticketing__tickets where queue = 'reexported'",
    )
    assert reexported > 0
    ((late, new_day),) = query(
        incremental,
        """
        select
            count(*) filter (where base.event_at < reporting_dates.as_of_date - interval 7 day),
            count(*) filter (where cast(base.event_at as date) = reporting_dates.as_of_date)
        from staging.base_ticketing__ticket_events as base
        cross join intermediate.int_reporting_dates as reporting_dates
        where base._loaded_at = (select max(_loaded_at) from staging.base_ticketing__ticket_events)
            and base.rejection_reason is null
        """,
    )
    assert late > 0 and new_day > 0
    ((revalidated,),) = query(
        incremental,
        """
        select count(*) from staging.base_ticketing__ticket_events
        where _loaded_at = (select max(_loaded_at) from staging.base_ticketing__ticket_events)
            and rejection_reason is null
            and _row_number <= (
                select max(_row_number) from staging.base_ticketing__ticket_events
                where _loaded_at < (
                    select max(_loaded_at) from staging.base_ticketing__ticket_events
                )
            )
        """,
    )
    assert revalidated > 0


def test_incremental_run_refreshed_only_part_of_the_history(
    builds: tuple[Path, Path, Path],
) -> None:
    incremental, _, _ = builds
    for schema, models in INCREMENTAL_MODELS.items():
        for model in models:
            ((kept, refreshed),) = query(
                incremental,
                f"""
                select
                    count(*) filter (where _loaded_at < newest.loaded_at),
                    count(*) filter (where _loaded_at = newest.loaded_at)
                from {schema}.{model}
                cross join (select max(_loaded_at) as loaded_at from {schema}.{model}) as newest
                """,
            )
            assert refreshed > 0, model
            assert kept > 2 * refreshed, (model, kept, refreshed)


def test_incremental_models_equal_full_refresh(builds: tuple[Path, Path, Path]) -> None:
    incremental, full, _ = builds
    with duckdb.connect(str(incremental), read_only=True) as connection:
        connection.execute(f"attach '{full}' as full_build (read_only)")
        for schema, models in INCREMENTAL_MODELS.items():
            for model in models:
                differing = connection.execute(
                    f"""
                    select count(*) from (
                        (select * exclude (_loaded_at) from {schema}.{model}
                        except all
                        select * exclude (_loaded_at) from full_build.{schema}.{model})
                        union all
                        (select * exclude (_loaded_at) from full_build.{schema}.{model}
                        except all
                        select * exclude (_loaded_at) from {schema}.{model})
                    )
                    """
                ).fetchone()[0]
                assert differing == 0, (model, differing)


def test_incremental_marts_equal_full_refresh(builds: tuple[Path, Path, Path]) -> None:
    incremental, full, _ = builds
    first = content_hashes(incremental)
    second = content_hashes(full)
    mart_models = {path.stem for path in (PROJECT_ROOT / "models" / "marts").rglob("*.sql")}
    assert set(first) == mart_models
    assert set(second) == mart_models
    differing = {
        table: (first[table], second[table]) for table in first if first[table] != second[table]
    }
    assert not differing, differing
    assert all(count > 0 for count, _ in first.values()), first
