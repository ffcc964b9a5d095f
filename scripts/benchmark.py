"""Benchmark the full ``dbt build`` of cs_scorecard at several data sizes.

For each size (a number of tickets) the script

1. generates the raw Parquet set with ``scripts/generate_demo_data.py --tickets N`` into
   ``<work>/data/tickets_<N>`` (kept and reused while its ``_manifest.json`` records the
   same generator arguments);
2. runs ``dbt build`` into a fresh warehouse with its own target and log folders under
   ``<work>/runs/tickets_<N>``, streaming dbt's progress, and records the wall time, the
   peak resident memory of dbt's whole process tree (sampled from ``/proc`` every 0.2 s;
   ``wait4``'s ``ru_maxrss`` as a cross-check) and the slowest models of
   ``run_results.json``;
3. measures a floor: one DuckDB pass, with the profile's thread and memory settings, that
   reads every raw file once and writes as many rows as the build's marts hold;
4. times one new day: ``scripts/split_last_day.py`` (the split ``test_incremental.py``
   checks) splits the data into "minus its last day" and "last day appended"; the first is
   built into a fresh warehouse, then a plain ``dbt build`` (incremental) of the second is
   timed (``incremental_day_s``) and compared with the full build (``--skip-incremental``
   leaves the field null).

It then fits the scaling exponent of build time against tickets (least squares on
log-log), writes ``<out>/results.json`` and renders ``<out>/README.md`` from that JSON,
with the issue's targets marked met or missed.

Usage::

    .venv/bin/python scripts/benchmark.py --sizes 100000,1000000,10000000
    .venv/bin/python scripts/benchmark.py --render-only   # re-render README.md from results.json
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shlex
import shutil
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any

import duckdb
from script_loading import load_script

REPO_ROOT = Path(__file__).resolve().parents[1]
GENERATOR = REPO_ROOT / "scripts" / "generate_demo_data.py"
SPLITTER = REPO_ROOT / "scripts" / "split_last_day.py"
DBT = Path(sys.executable).with_name("dbt")
DEFAULT_SIZES = "100000,1000000,10000000"
SAMPLE_SECONDS = 0.2
RESCAN_EVERY = 5  # samples between two walks of /proc for new descendants
TOP_MODELS = 10
MIB = 2**20
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
# Generator options that do not change the data, so they do not decide reuse.
NOT_DATA_ARGS = {"out", "quiet"}
INCREMENTAL_NOTE = (
    "wall time of a plain (incremental) dbt build after appending the last day of raw data"
    " (scripts/split_last_day.py: the day's tickets and events, 2 % late events, 3 % re-exported"
    " tickets) to a warehouse built from the data minus that day"
)
SKIPPED_INCREMENTAL_NOTE = "null: not measured (--skip-incremental)"


# --------------------------------------------------------------------------------------
# Progress
# --------------------------------------------------------------------------------------

_STARTED = time.perf_counter()


def log(message: str) -> None:
    print(f"[bench {time.perf_counter() - _STARTED:7.1f}s] {message}", flush=True)


# --------------------------------------------------------------------------------------
# Raw data
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RawData:
    folder: Path
    row_counts: dict[str, int]
    reused: bool
    generate_s: float | None

    @property
    def files(self) -> list[Path]:
        return sorted(self.folder.glob("*.parquet"))

    @property
    def megabytes(self) -> float:
        return sum(path.stat().st_size for path in self.files) / MIB


def load_generator() -> ModuleType:
    return load_script(GENERATOR)


def generator_argv(size: int, folder: Path, extra: list[str]) -> list[str]:
    return ["--out", str(folder), "--format", "parquet", *extra, "--tickets", str(size)]


def data_args(args: dict[str, Any]) -> dict[str, str]:
    return {key: str(value) for key, value in args.items() if key not in NOT_DATA_ARGS}


def matching_manifest(folder: Path, argv: list[str]) -> dict[str, Any] | None:
    """The folder's manifest when it was written with the same data arguments, else None."""
    manifest_path = folder / "_manifest.json"
    if not manifest_path.is_file():
        return None
    manifest = json.loads(manifest_path.read_text())
    expected = data_args(vars(load_generator().parse_args(argv)))
    if data_args(manifest.get("args", {})) != expected:
        return None
    tables = manifest.get("row_counts", {})
    if not all((folder / f"{table}.parquet").is_file() for table in tables):
        return None
    return manifest


def ensure_data(size: int, work: Path, extra: list[str]) -> RawData:
    folder = work / "data" / f"tickets_{size}"
    argv = generator_argv(size, folder, extra)
    manifest = matching_manifest(folder, argv)
    if manifest is not None:
        log(f"tickets={size}: reusing raw data in {folder}")
        return RawData(folder, manifest["row_counts"], reused=True, generate_s=None)
    log(f"tickets={size}: generating raw data into {folder}")
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    # The generator prints its own per-stage progress on stderr: let it through.
    subprocess.run([sys.executable, str(GENERATOR), *argv], cwd=REPO_ROOT, check=True)
    elapsed = time.perf_counter() - started
    manifest = json.loads((folder / "_manifest.json").read_text())
    log(f"tickets={size}: generated in {elapsed:.1f}s")
    return RawData(folder, manifest["row_counts"], reused=False, generate_s=elapsed)


# --------------------------------------------------------------------------------------
# Measuring a process tree
# --------------------------------------------------------------------------------------


def children_by_parent() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        # The command name in parentheses may hold spaces: the fields follow the last ')'.
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    return children


def process_tree(root: int) -> list[int]:
    children = children_by_parent()
    tree, pending = [], [root]
    while pending:
        pid = pending.pop()
        tree.append(pid)
        pending.extend(children.get(pid, []))
    return tree


def rss_bytes(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


class RssSampler(threading.Thread):
    """Peak of the summed resident memory of a process and all its descendants."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peak = 0
        self._tree = [root]
        self._halt = threading.Event()

    def sample(self, rescan: bool) -> None:
        # Walking /proc costs tens of ms on a busy machine, reading statm microseconds:
        # look for new descendants less often than memory is sampled.
        if rescan:
            self._tree = process_tree(self.root)
        self.peak = max(self.peak, sum(rss_bytes(pid) for pid in self._tree))

    def run(self) -> None:
        ticks = 0
        self.sample(rescan=True)
        while not self._halt.wait(SAMPLE_SECONDS):
            ticks += 1
            self.sample(rescan=ticks % RESCAN_EVERY == 0)

    def stop(self) -> int:
        self._halt.set()
        self.join()
        return self.peak


@dataclass(frozen=True)
class Measured:
    wall_s: float
    peak_rss_bytes: int
    maxrss_bytes: int


def run_measured(command: list[str], env: dict[str, str], prefix: str) -> Measured:
    """Run a command, echo its output line by line and measure time and memory."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    )
    sampler = RssSampler(process.pid)
    sampler.start()
    tail: deque[str] = deque(maxlen=80)
    assert process.stdout is not None
    for line in process.stdout:
        print(f"{prefix}{line.rstrip()}", flush=True)
        tail.append(line)
    # wait4 rather than Popen.wait: it also returns the child's own resource usage.
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    peak = sampler.stop()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(
            f"{shlex.join(command)} failed with exit code {process.returncode}:\n" + "".join(tail)
        )
    # Linux reports ru_maxrss in KiB.
    return Measured(wall, peak, usage.ru_maxrss * 1024)


# --------------------------------------------------------------------------------------
# dbt build
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    dbt_threads: str
    duckdb_threads: str
    memory_limit: str

    @classmethod
    def from_env(cls) -> Settings:
        # The same variables and defaults as profiles.yml.
        return cls(
            dbt_threads=os.environ.get("SCORECARD_THREADS", "2"),
            duckdb_threads=os.environ.get("SCORECARD_DUCKDB_THREADS", "2"),
            memory_limit=os.environ.get("SCORECARD_MEMORY_LIMIT", "10GB"),
        )


@dataclass(frozen=True)
class Build:
    warehouse: Path
    measured: Measured
    run_results: dict[str, Any]


def dbt_env(raw_folder: Path, run_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DBT_PROFILES_DIR": str(REPO_ROOT),
        "SCORECARD_RAW_DIR": str(raw_folder),
        "SCORECARD_RAW_FORMAT": "parquet",
        "SCORECARD_DB": str(run_dir / "scorecard.duckdb"),
        "DBT_TARGET_PATH": str(run_dir / "target"),
        "DBT_LOG_PATH": str(run_dir / "logs"),
        "DBT_USE_COLORS": "true" if sys.stdout.isatty() else "false",
    }


def build(size: int, raw: RawData, run_dir: Path) -> Build:
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    env = dbt_env(raw.folder, run_dir)
    log(f"tickets={size}: dbt build into a fresh warehouse {env['SCORECARD_DB']}")
    measured = run_measured([str(DBT), "build"], env, prefix="    dbt | ")
    log(f"tickets={size}: dbt build took {measured.wall_s:.1f}s")
    run_results = json.loads((run_dir / "target" / "run_results.json").read_text())
    return Build(Path(env["SCORECARD_DB"]), measured, run_results)


@dataclass(frozen=True)
class IncrementalDay:
    initial_build_s: float
    incremental_day_s: float
    arriving_events: int


def incremental_day(size: int, raw: RawData, run_dir: Path) -> IncrementalDay:
    """Build the data minus its last day, then time a plain dbt build with the day appended."""
    day_dir = run_dir / "incremental_day"
    shutil.rmtree(day_dir, ignore_errors=True)
    initial, final = day_dir / "raw_initial", day_dir / "raw_final"
    log(f"tickets={size}: splitting off the last day into {day_dir}")
    load_script(SPLITTER).split_last_day(raw.folder, initial, final)
    warehouse_dir = day_dir / "warehouse"
    warehouse_dir.mkdir()
    log(f"tickets={size}: dbt build of the data minus its last day")
    first = run_measured([str(DBT), "build"], dbt_env(initial, warehouse_dir), "    dbt | ")
    log(f"tickets={size}: dbt build (incremental) with the last day appended")
    day = run_measured([str(DBT), "build"], dbt_env(final, warehouse_dir), "    dbt | ")
    log(f"tickets={size}: incremental dbt build took {day.wall_s:.1f}s")
    counts = []
    with duckdb.connect() as connection:
        for folder in (initial, final):
            events = sql_string(str(folder / "ticket_events.parquet"))
            row = connection.execute(f"select count(*) from read_parquet({events})").fetchone()
            assert row is not None
            counts.append(int(row[0]))
    # The split raw sets are copies of the data: drop them, keep the warehouse like build's.
    shutil.rmtree(initial)
    shutil.rmtree(final)
    return IncrementalDay(first.wall_s, day.wall_s, counts[1] - counts[0])


def slowest_models(run_results: dict[str, Any], top: int = TOP_MODELS) -> list[dict[str, Any]]:
    models = [
        result for result in run_results["results"] if result["unique_id"].startswith("model.")
    ]
    models.sort(key=lambda result: result["execution_time"], reverse=True)
    return [
        {
            "model": result["unique_id"].split(".")[-1],
            "execution_time": round(result["execution_time"], 3),
        }
        for result in models[:top]
    ]


def seconds_by_resource_type(run_results: dict[str, Any]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for result in run_results["results"]:
        kind = result["unique_id"].split(".")[0]
        totals[kind] = totals.get(kind, 0.0) + result["execution_time"]
    return {kind: round(seconds, 3) for kind, seconds in sorted(totals.items())}


def mart_rows(warehouse: Path) -> dict[str, int]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        tables = connection.execute(
            "select table_name from information_schema.tables"
            " where table_schema = 'marts' and table_type = 'BASE TABLE' order by table_name"
        ).fetchall()
        counts = {}
        for (table,) in tables:
            row = connection.execute(f'select count(*) from marts."{table}"').fetchone()
            assert row is not None
            counts[table] = int(row[0])
    return counts


# --------------------------------------------------------------------------------------
# Floor
# --------------------------------------------------------------------------------------


def sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def floor_sql(files: list[Path], out_rows: int) -> str:
    """Read every column of every raw file once; write ``out_rows`` rows derived from it.

    Hashing all columns forces every value to be read and decoded; bucketing the hashes
    into ``out_rows`` groups is one aggregation over all raw rows, and the join with
    ``range`` makes the written row count exact whatever the raw volume.
    """
    scans = "\n        union all\n        ".join(
        f"select hash(*columns(*)) as row_hash from read_parquet({sql_string(str(path))})"
        for path in files
    )
    return f"""
    create table floor_output as
    with raw_rows as (
        {scans}
    ),
    buckets as (
        select
            row_hash % {out_rows} as bucket,
            count(*) as rows_read,
            bit_xor(row_hash) as checksum
        from raw_rows
        group by all
    )
    select
        slot.range as bucket,
        coalesce(buckets.rows_read, 0) as rows_read,
        buckets.checksum
    from range({out_rows}) as slot
    left join buckets on buckets.bucket = slot.range
    """


def floor_seconds(raw: RawData, out_rows: int, database: Path, settings: Settings) -> float:
    database.unlink(missing_ok=True)
    config = {
        "threads": int(settings.duckdb_threads),
        "memory_limit": settings.memory_limit,
        "preserve_insertion_order": True,
    }
    started = time.perf_counter()
    with duckdb.connect(str(database), config=config) as connection:
        connection.execute(floor_sql(raw.files, out_rows))
        connection.execute("checkpoint")
        elapsed = time.perf_counter() - started
        row = connection.execute("select count(*) from floor_output").fetchone()
    written = int(row[0]) if row else -1
    if written != out_rows:
        raise RuntimeError(f"floor wrote {written} rows, expected {out_rows}")
    return elapsed


# --------------------------------------------------------------------------------------
# One size
# --------------------------------------------------------------------------------------


@dataclass
class SizeResult:
    tickets_requested: int
    tickets: int
    events: int
    raw_rows: int
    raw_mb: float
    data_reused: bool
    generate_s: float | None
    build_s: float
    dbt_elapsed_s: float
    events_per_s: float
    peak_rss_mb: float
    peak_rss_mb_rusage: float
    mart_rows: int
    floor_s: float
    build_floor_ratio: float
    incremental_day_s: float | None
    incremental_day_ratio: float | None
    incremental_initial_build_s: float | None
    incremental_arriving_events: int | None
    incremental_note: str
    load_average_at_start: float
    commit: str
    slowest_models: list[dict[str, Any]]
    seconds_by_resource_type: dict[str, float]
    mart_rows_by_table: dict[str, int] = field(default_factory=dict)


def measure_size(
    size: int, work: Path, extra: list[str], settings: Settings, incremental: bool = True
) -> SizeResult:
    load = os.getloadavg()[0]
    raw = ensure_data(size, work, extra)
    run_dir = work / "runs" / f"tickets_{size}"
    built = build(size, raw, run_dir)
    marts = mart_rows(built.warehouse)
    out_rows = sum(marts.values())
    log(f"tickets={size}: floor pass (read every raw file, write {out_rows} rows)")
    floor_s = floor_seconds(raw, out_rows, run_dir / "floor.duckdb", settings)
    log(f"tickets={size}: floor took {floor_s:.1f}s")
    events = raw.row_counts["ticket_events"]
    build_s = built.measured.wall_s
    day = incremental_day(size, raw, run_dir) if incremental else None
    return SizeResult(
        tickets_requested=size,
        tickets=raw.row_counts["tickets"],
        events=events,
        raw_rows=sum(raw.row_counts.values()),
        raw_mb=round(raw.megabytes, 2),
        data_reused=raw.reused,
        generate_s=None if raw.generate_s is None else round(raw.generate_s, 2),
        build_s=round(build_s, 2),
        dbt_elapsed_s=round(built.run_results["elapsed_time"], 2),
        events_per_s=round(events / build_s, 1),
        peak_rss_mb=round(built.measured.peak_rss_bytes / MIB, 1),
        peak_rss_mb_rusage=round(built.measured.maxrss_bytes / MIB, 1),
        mart_rows=out_rows,
        floor_s=round(floor_s, 3),
        build_floor_ratio=round(build_s / floor_s, 2),
        incremental_day_s=None if day is None else round(day.incremental_day_s, 2),
        incremental_day_ratio=None if day is None else round(day.incremental_day_s / build_s, 3),
        incremental_initial_build_s=None if day is None else round(day.initial_build_s, 2),
        incremental_arriving_events=None if day is None else day.arriving_events,
        incremental_note=INCREMENTAL_NOTE if day is not None else SKIPPED_INCREMENTAL_NOTE,
        load_average_at_start=round(load, 2),
        commit=project_commit(),
        slowest_models=slowest_models(built.run_results),
        seconds_by_resource_type=seconds_by_resource_type(built.run_results),
        mart_rows_by_table=marts,
    )


def project_commit() -> str:
    """The commit measured, so that sizes measured in separate runs (--merge) can be told apart."""
    completed = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return completed.stdout.strip() or "unknown"


def merged_rows(measured: list[dict[str, Any]], previous: Path) -> list[dict[str, Any]]:
    """The sizes just measured plus every other size of an earlier results.json."""
    if not previous.exists():
        return measured
    fresh = {row["tickets_requested"] for row in measured}
    kept = [
        row
        for row in json.loads(previous.read_text())["sizes"]
        if row["tickets_requested"] not in fresh
    ]
    return sorted(kept + measured, key=lambda row: row["tickets_requested"])


def drop_warehouses(run_dir: Path) -> None:
    for database in run_dir.rglob("*.duckdb"):
        database.unlink()


# --------------------------------------------------------------------------------------
# Summary: scaling, machine, targets
# --------------------------------------------------------------------------------------


def scaling_exponent(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of log(y) against log(x); None without two distinct x."""
    logs = [(math.log(x), math.log(y)) for x, y in points if x > 0 and y > 0]
    if len({x for x, _ in logs}) < 2:
        return None
    mean_x = sum(x for x, _ in logs) / len(logs)
    mean_y = sum(y for _, y in logs) / len(logs)
    covariance = sum((x - mean_x) * (y - mean_y) for x, y in logs)
    variance = sum((x - mean_x) ** 2 for x, _ in logs)
    return covariance / variance


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def ram_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) * 1024 / 2**30, 1)
    except OSError:
        pass
    return None


def os_name() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                pretty = line.split("=", 1)[1].strip('"')
                return f"{pretty} (Linux {platform.release()})"
    except OSError:
        pass
    return platform.platform()


def machine() -> dict[str, Any]:
    return {
        "cpu_model": cpu_model(),
        "cores": os.cpu_count(),
        "ram_gib": ram_gib(),
        "os": os_name(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "dbt_core": metadata.version("dbt-core"),
        "dbt_duckdb": metadata.version("dbt-duckdb"),
    }


@dataclass(frozen=True)
class Target:
    label: str
    limit: float
    unit: str

    def status(self, value: float | None) -> str:
        if value is None:
            return "not measured"
        return "met" if value <= self.limit else "missed"


def size_value(sizes: list[dict[str, Any]], tickets: int, key: str) -> float | None:
    values = [size[key] for size in sizes if size["tickets_requested"] == tickets]
    return values[0] if values else None


def target_rows(sizes: list[dict[str, Any]], exponent: float | None) -> list[dict[str, Any]]:
    largest = max(sizes, key=lambda size: size["tickets_requested"], default=None)
    measured: list[tuple[Target, float | None]] = [
        (
            Target("10M tickets: full build <= 6 min", 360, "s"),
            size_value(sizes, 10_000_000, "build_s"),
        ),
        (
            Target("1M tickets: full build <= 45 s", 45, "s"),
            size_value(sizes, 1_000_000, "build_s"),
        ),
        (
            Target("peak memory <= 12 GiB (every size)", 12 * 1024, "MiB"),
            max((size["peak_rss_mb"] for size in sizes), default=None),
        ),
        (
            Target("build / floor <= 5 (largest size measured)", 5, "x"),
            None if largest is None else largest["build_floor_ratio"],
        ),
        (Target("scaling exponent of build time <= 1.1", 1.1, ""), exponent),
    ]
    return [
        {
            "target": target.label,
            "limit": target.limit,
            "unit": target.unit,
            "value": value,
            "status": target.status(value),
        }
        for target, value in measured
    ]


def results_document(
    rows: list[dict[str, Any]], settings: Settings, extra: list[str]
) -> dict[str, Any]:
    exponent = scaling_exponent([(row["tickets"], row["build_s"]) for row in rows])
    rounded = None if exponent is None else round(exponent, 3)
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": {**asdict(settings), "generator_args": extra, "raw_format": "parquet"},
        "scaling_exponent": rounded,
        "targets": target_rows(rows, rounded),
        "sizes": rows,
    }


# --------------------------------------------------------------------------------------
# Markdown report
# --------------------------------------------------------------------------------------


def cell(value: Any, digits: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def machine_section(results: dict[str, Any]) -> list[str]:
    info, settings = results["machine"], results["settings"]
    return [
        "## Machine",
        "",
        f"* CPU: {info['cpu_model']}, {info['cores']} cores; RAM {info['ram_gib']} GiB",
        f"* OS: {info['os']}",
        f"* Python {info['python']}, DuckDB {info['duckdb']}, dbt-core {info['dbt_core']},"
        f" dbt-duckdb {info['dbt_duckdb']}",
        f"* Settings: dbt threads {settings['dbt_threads']}, DuckDB threads"
        f" {settings['duckdb_threads']}, memory limit {settings['memory_limit']},"
        f" raw format {settings['raw_format']}, generator arguments"
        f" `{shlex.join(settings['generator_args']) or '(defaults)'}`",
        "",
    ]


def sizes_section(results: dict[str, Any]) -> list[str]:
    header = [
        "size (--tickets)",
        "tickets",
        "events",
        "raw MiB",
        "build s",
        "events/s",
        "peak RSS MiB",
        "mart rows",
        "floor s",
        "build/floor",
        "incremental day s",
        "day / full build",
        "load avg at start",
        "commit",
    ]
    rows = [
        [
            cell(size["tickets_requested"]),
            cell(size["tickets"]),
            cell(size["events"]),
            cell(size["raw_mb"]),
            cell(size["build_s"]),
            cell(size["events_per_s"], 0),
            cell(size["peak_rss_mb"], 0),
            cell(size["mart_rows"]),
            cell(size["floor_s"], 2),
            cell(size["build_floor_ratio"]),
            cell(size.get("incremental_day_s")),
            cell(size.get("incremental_day_ratio"), 3),
            cell(size["load_average_at_start"], 2),
            size.get("commit", "—"),
        ]
        for size in results["sizes"]
    ]
    exponent = cell(results["scaling_exponent"], 3)
    return [
        "## Results per size",
        "",
        *table(header, rows),
        "",
        f"Scaling exponent of build time against tickets (least squares on log-log): {exponent}.",
        "",
        "`build s` is the wall time of `dbt build` (start-up, full parse, 6 seeds, every model,"
        " data test and unit test) into a fresh warehouse; `peak RSS` sums dbt's process tree,"
        " sampled every 0.2 s. The floor is one DuckDB pass with the same settings that reads"
        " every raw file once and writes as many rows as the marts hold. `incremental day s`"
        " is a plain (incremental) `dbt build` after the data's last day, 2 % late events and"
        " 3 % re-exported tickets (`scripts/split_last_day.py`) are appended to a warehouse"
        " built without them; `day / full build` divides it by `build s`. `tickets` and"
        " `events` count the raw rows, bad rows and re-exports included.",
        "",
    ]


def targets_section(results: dict[str, Any]) -> list[str]:
    rows = [
        [
            target["target"],
            "—"
            if target["value"] is None
            else f"{cell(target['value'], 2)} {target['unit']}".strip(),
            target["status"],
        ]
        for target in results["targets"]
    ]
    return ["## Targets (issue 7)", "", *table(["target", "measured", "status"], rows), ""]


def slowest_section(results: dict[str, Any]) -> list[str]:
    lines = ["## Slowest models", ""]
    for size in results["sizes"]:
        rows = [
            [model["model"], cell(model["execution_time"], 2)] for model in size["slowest_models"]
        ]
        summed = ", ".join(
            f"{kind} {seconds:,.1f} s" for kind, seconds in size["seconds_by_resource_type"].items()
        )
        lines += [
            f"### {size['tickets_requested']:,} tickets",
            "",
            *table(["model", "seconds"], rows),
            "",
            f"Summed execution time by node type (threads overlap): {summed}.",
            "",
        ]
    return lines


def render_markdown(results: dict[str, Any]) -> str:
    lines = [
        "# Benchmark: full `dbt build` at several data sizes",
        "",
        f"Rendered by `scripts/benchmark.py` from `results.json` ({results['generated_at']}).",
        'Reproduce with `make bench BENCH_ARGS="--sizes 100000,1000000,10000000"`.',
        "",
        *machine_section(results),
        *targets_section(results),
        *sizes_section(results),
        *slowest_section(results),
    ]
    return "\n".join(lines).rstrip() + "\n"


# --------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------


def parse_sizes(text: str) -> list[int]:
    sizes = sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()})
    if not sizes or sizes[0] < 100:
        raise argparse.ArgumentTypeError("sizes are ticket counts >= 100, comma-separated")
    return sizes


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark the full dbt build at several data sizes.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument(
        "--sizes", type=parse_sizes, default=DEFAULT_SIZES, help="ticket counts, comma-separated"
    )
    parser.add_argument(
        "--out", type=Path, default=REPO_ROOT / "benchmarks", help="folder of the report"
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=REPO_ROOT / "benchmarks" / "work",
        help="folder of the generated data and the warehouses",
    )
    parser.add_argument(
        "--generator-args",
        type=shlex.split,
        default=[],
        help='extra generator options, e.g. --generator-args="--agents 400 --teams 20"',
    )
    parser.add_argument(
        "--keep-warehouses", action="store_true", help="keep each size's warehouse files"
    )
    parser.add_argument(
        "--skip-incremental",
        action="store_true",
        help="do not time the incremental build of one new day (saves two builds per size)",
    )
    parser.add_argument(
        "--merge",
        action="store_true",
        help="keep the other sizes of <out>/results.json (measured earlier) beside these",
    )
    parser.add_argument(
        "--render-only",
        action="store_true",
        help="only re-render <out>/README.md from <out>/results.json",
    )
    return parser.parse_args(argv)


def write_report(out: Path) -> None:
    results = json.loads((out / "results.json").read_text())
    (out / "README.md").write_text(render_markdown(results))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.render_only:
        write_report(args.out)
        return 0
    settings = Settings.from_env()
    measured = []
    for size in args.sizes:
        measured.append(
            measure_size(size, args.work, args.generator_args, settings, not args.skip_incremental)
        )
        if not args.keep_warehouses:
            drop_warehouses(args.work / "runs" / f"tickets_{size}")
    rows = [asdict(size) for size in measured]
    if args.merge:
        rows = merged_rows(rows, args.out / "results.json")
    document = results_document(rows, settings, args.generator_args)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(document, indent=2) + "\n")
    write_report(args.out)
    log(f"wrote {args.out / 'results.json'} and {args.out / 'README.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
