"""Incremental refresh gives exactly the full refresh's marts, and refuses raw files that
were rewritten instead of appended to.

Generated data is split by `scripts/split_last_day.py` into an initial and a final state,
where the final raw files are the initial ones with rows appended (the contract of the
incremental models): the last day's tickets and events, late events of older tickets,
re-exports of older tickets with a later `updated_at`, and a ticket whose event was
exported a day before the ticket itself. The initial state is built, then the final state
incrementally into the same warehouse, and the final state with a full refresh into
another: every mart must hold the same rows, and the incremental models too (bookkeeping
column aside). Then copies of the incremental warehouse meet raw files that break the
contract (another data set, another row order, a truncated file): the run must stop with
a request for a full refresh and leave every mart fed by the ticket data as it was.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_ROOT, generate_raw, query, run_dbt
from script_loading import load_script
from test_reproducibility import assert_marts_identical, content_hashes

GENERATOR_ARGS = ["--tickets", "3000", "--months", "3", "--agents", "12", "--teams", "3"]
GENERATOR_ARGS += ["--seed", "11", "--quiet"]
# Another data set for the rewritten-file case: more tickets, so it is not merely shorter.
OTHER_GENERATOR_ARGS = ["--tickets", "4000", "--months", "3", "--agents", "12", "--teams", "3"]
OTHER_GENERATOR_ARGS += ["--seed", "12", "--quiet"]
INCREMENTAL_MODELS = {
    "staging": [
        "base_ticketing__tickets",
        "base_ticketing__ticket_events",
        "stg_ticketing__ticket_events",
    ],
    "intermediate": ["int_ticket_events_sequenced", "int_ticket_lifecycles_derived"],
}
BASE_MODELS = ["base_ticketing__tickets", "base_ticketing__ticket_events"]


SPLIT = load_script(PROJECT_ROOT / "scripts" / "split_last_day.py")


def build(args: list[str], raw_dir: Path, warehouse: Path) -> None:
    for command in (["seed"], args):
        result = run_dbt(command, raw_dir=raw_dir, warehouse=warehouse, raw_format="parquet")
        assert result.ok, result.output[-6000:]


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(incremental warehouse, full-refresh warehouse, final raw folder)."""
    work = tmp_path_factory.mktemp("incremental")
    generated = work / "generated"
    generate_raw(generated, GENERATOR_ARGS, "parquet")
    initial_dir, final_dir = work / "initial", work / "final"
    SPLIT.split_last_day(generated, initial_dir, final_dir)
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
    assert_marts_identical(incremental, full)


def loaded_rows(warehouse: Path, model: str) -> int:
    ((count,),) = query(warehouse, f"select count(*) from staging.{model}")
    return count


def rewrite_parquet(path: Path, select_sql: str) -> int:
    """Rewrites a raw file with `select_sql` over its rows (`raw`, with `file_row_number`);
    returns the new row count."""
    with duckdb.connect() as connection:
        connection.execute(
            f"create table raw as select * from read_parquet('{path}', file_row_number = true)"
        )
        connection.execute(f"copy ({select_sql}) to '{path}' (format parquet)")
        ((count,),) = connection.execute(f"select count(*) from '{path}'").fetchall()
    return count


@pytest.mark.parametrize(
    "case", ["other_data_set", "reordered_tickets", "shrunk_events", "rewritten_tail_events"]
)
def test_rewritten_raw_file_stops_the_incremental_run(
    builds: tuple[Path, Path, Path], case: str, tmp_path: Path
) -> None:
    """The base models assume appended rows only; a raw folder that breaks that must stop
    the run with a request for --full-refresh, never give marts mixing old and new rows."""
    incremental, _, final_dir = builds
    warehouse = tmp_path / "warehouse" / "scorecard.duckdb"
    warehouse.parent.mkdir()
    shutil.copy2(incremental, warehouse)
    raw_dir = tmp_path / "raw"
    tickets_loaded = loaded_rows(warehouse, "base_ticketing__tickets")
    events_loaded = loaded_rows(warehouse, "base_ticketing__ticket_events")
    # Only the base models hold the guard: the other cases select them to stay fast.
    args = ["run", "--select", *BASE_MODELS]
    if case == "other_data_set":
        generate_raw(raw_dir, OTHER_GENERATOR_ARGS, "parquet")
        args = ["run"]
        expected = f"the first {tickets_loaded} row(s) of the raw file of 'tickets' are not"
    elif case == "reordered_tickets":
        shutil.copytree(final_dir, raw_dir)
        rewrite_parquet(
            raw_dir / "tickets.parquet",
            "select * exclude (file_row_number) from raw order by file_row_number desc",
        )
        expected = f"the first {tickets_loaded} row(s) of the raw file of 'tickets' are not"
    elif case == "rewritten_tail_events":
        # Longer than before, so only the rows themselves can tell: the last loaded rows
        # come in another order, and more rows follow.
        shutil.copytree(final_dir, raw_dir)
        tail_start = events_loaded - 40
        rewrite_parquet(
            raw_dir / "ticket_events.parquet",
            f"""
            select * exclude (file_row_number, part) from (
                select *, 0 as part from raw where file_row_number < {tail_start}
                union all
                select *, 1 as part from raw where file_row_number >= {tail_start}
                union all
                select *, 2 as part from raw where file_row_number < 100
            )
            order by part, case when part = 1 then -file_row_number else file_row_number end
            """,
        )
        expected = f"the first {events_loaded} row(s) of the raw file of 'ticket_events' are not"
    else:
        shutil.copytree(final_dir, raw_dir)
        kept = rewrite_parquet(
            raw_dir / "ticket_events.parquet",
            "select * exclude (file_row_number) from raw"
            f" where file_row_number < {events_loaded * 9 // 10} order by file_row_number",
        )
        expected = (
            f"the raw file of 'ticket_events' has {kept} row(s) where {events_loaded} are"
            " already loaded: it shrank"
        )
    marts_before = content_hashes(warehouse)
    result = run_dbt(args, raw_dir=raw_dir, warehouse=warehouse, raw_format="parquet")
    assert not result.ok, result.output[-4000:]
    output = " ".join(result.output.split())
    assert expected in output, result.output[-4000:]
    assert "Run `dbt build --full-refresh`" in output
    assert loaded_rows(warehouse, "base_ticketing__tickets") == tickets_loaded
    assert loaded_rows(warehouse, "base_ticketing__ticket_events") == events_loaded
    # Models that read no ticket data (the HR dimensions) may have been rebuilt from the new
    # files, as in any failed run; everything fed by the ticket chain must be untouched.
    run_results = json.loads((warehouse.parent / "target" / "run_results.json").read_text())
    statuses = {
        result["unique_id"].split(".")[-1]: result["status"] for result in run_results["results"]
    }
    assert statuses["base_ticketing__tickets"] == "error" or (
        statuses["base_ticketing__ticket_events"] == "error"
    ), statuses
    skipped = {model for model, status in statuses.items() if status == "skipped"}
    if case == "other_data_set":
        assert {"fct_tickets", "fct_kpi_cascade", "stg_ticketing__ticket_events"} <= skipped
    marts_after = content_hashes(warehouse)
    changed = {mart for mart in marts_after if marts_after[mart] != marts_before[mart]}
    assert not changed & skipped, changed
    assert changed <= set(statuses) - skipped, (changed, statuses)
