"""Generate the demo raw dataset of the cs_scorecard project.

Writes every table of the raw contract (``/work/shared/spec/raw_contract.md``, mirrored by
the dbt sources in ``models/staging/*/_*__sources.yml``) into one folder as
``<table>.parquet`` (default) or ``<table>.csv``: accounts, agents, agent_roles, teams,
tickets, ticket_events, surveys, qa_evaluations, schedules, agent_states and costs.

Every column is written as a nullable string, exactly as an export would deliver it, so
that bad rows can carry uncastable text. Timestamps are ``YYYY-MM-DDTHH:MM:SS`` (UTC);
about 5 % of survey, QA and customer-reply timestamps carry an explicit offset that
denotes the same instant. The output is deterministic for a given set of arguments.

What the data shows
-------------------
* An organisation: one director (named by most teams; one team still names the former
  director), 2-3 managers, one team lead per team and frontline agents (``agent`` and
  ``senior_agent``). During the window there are leavers (voluntary, involuntary,
  internal transfer), new hires who ramp up over 2-4 months, promotions
  (agent -> senior_agent, senior_agent -> team_lead), an external team-lead hire, a
  lateral move on the first of a month and a team move in the middle of a month.
* Tickets with weekday / hour-of-day seasonality, a channel, severity and contact-reason
  mix, every accepted priority spelling, accounts with segments and contract tiers,
  repeat contacts of one requester, re-exports of a ticket with an older version, and a
  full event history (assignment, replies, escalation, solve, reopen, close, handovers
  when an agent leaves). A backlog with varied ages remains open at the end.
* Agents differ in speed, quality (FCR, escalation, CSAT, QA) and schedule adherence;
  one team is understaffed and slow for 2-3 months, so it misses its SLA.
* Surveys (CSAT, CES per ticket, relationship NPS per account), QA evaluations,
  schedules (one team works a night shift across midnight UTC), actual agent states and
  monthly costs (labour and tooling per team, shared lines, one credit).

Bad rows
--------
``--bad-row-rate`` of each table (at least one per applicable class; none when the rate is 0)
are EXTRA rows, each breaking exactly one rule of the contract (see ``BAD_VALUES`` and
``interval_bad_variants``), at random positions in file order; a bad row never replaces a
good one and gets a fresh key (``ACC-B…``, ``EV-X…``, ``TK-X…``, ...), except overlaps,
which are extra periods of real people inside one of their periods. Duplicates (repeated
keys placed after the original, older ticket versions, superseded survey responses) are
valid rows. ``<out>/_bad_rows.json`` lists per table::

    {"rows": n, "rejected": {class: n}, "rejected_total": n,
     "rejected_by_column": {class: {column: n}}, "duplicates": {kind: n}}

and ``<out>/_manifest.json`` holds the arguments, the window and the row counts.

Usage::

    .venv/bin/python scripts/generate_demo_data.py --out data/raw
    .venv/bin/python scripts/generate_demo_data.py --tickets 3000 --months 4 --format csv
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

DAY = 86_400
HOUR = 3_600
MINUTE = 60
EPOCH = date(1970, 1, 1)
NO_DAY = 10**7  # "no termination / no end" sentinel, in epoch days
REPO_ROOT = Path(__file__).resolve().parents[1]

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "accounts": (
        "account_id",
        "account_name",
        "segment",
        "contract_tier",
        "arr",
        "currency",
        "contract_start",
        "contract_end",
    ),
    "agents": (
        "agent_id",
        "full_name",
        "email",
        "hire_date",
        "termination_date",
        "termination_reason",
    ),
    "agent_roles": ("agent_id", "role", "team_id", "valid_from", "valid_to"),
    "teams": ("team_id", "team_name", "manager_id", "director_id"),
    "tickets": (
        "ticket_id",
        "created_at",
        "updated_at",
        "account_id",
        "requester_id",
        "requester_email",
        "channel",
        "priority",
        "contact_reason",
        "queue",
        "subject",
    ),
    "ticket_events": (
        "event_id",
        "ticket_id",
        "event_at",
        "event_type",
        "agent_id",
        "tier",
        "handle_seconds",
    ),
    "surveys": (
        "response_id",
        "survey_type",
        "ticket_id",
        "account_id",
        "score",
        "responded_at",
        "comment",
    ),
    "qa_evaluations": (
        "evaluation_id",
        "agent_id",
        "ticket_id",
        "evaluated_at",
        "score",
        "evaluator_id",
    ),
    "schedules": ("agent_id", "segment_start", "segment_end", "activity"),
    "agent_states": ("agent_id", "state_start", "state_end", "state"),
    "costs": ("cost_month", "team_id", "category", "amount", "currency"),
}

ROLES = ("agent", "senior_agent", "team_lead", "manager", "director")
ROLE_CODE = {r: i for i, r in enumerate(ROLES)}
CHANNELS = ("email", "chat", "phone", "web", "social")
CHANNEL_P = (0.40, 0.25, 0.15, 0.15, 0.05)
SEVERITY_P = (0.03, 0.12, 0.45, 0.40)
PRIORITY_SPELLINGS = (
    ("urgent", "high", "normal", "low"),
    ("p1", "p2", "p3", "p4"),
    ("sev1", "sev2", "sev3", "sev4"),
    ("sev 1", "sev 2", "sev 3", "sev 4"),
    ("1", "2", "3", "4"),
)
SPELLING_P = (0.40, 0.25, 0.15, 0.05, 0.15)
EVENT_TYPES = (
    "created",
    "assigned",
    "agent_reply",
    "customer_reply",
    "internal_note",
    "escalated",
    "solved",
    "reopened",
    "closed",
)
EV = {e: i for i, e in enumerate(EVENT_TYPES)}
TIERS = ("t1", "t2", "t3")
ACTIVITIES = ("work", "break", "lunch", "training", "meeting", "time_off")
ACT = {a: i for i, a in enumerate(ACTIVITIES)}
STATES = (
    "available",
    "on_contact",
    "after_contact",
    "break",
    "lunch",
    "training",
    "meeting",
    "offline",
)
ST = {s: i for i, s in enumerate(STATES)}
SEGMENTS = ("enterprise", "mid_market", "smb")
CONTRACT_TIERS = ("premium", "standard", "basic")
# Internal resolution expectation per severity (hours), used for CSAT/NPS realism only.
RESOLUTION_TARGET_H = np.array([8.0, 24.0, 72.0, 120.0])
UNMAPPED_REASONS = ("legacy.misc", "other", "billing.other", "misc.general")
FALLBACK_REASONS = (
    "billing.refund",
    "billing.invoice_question",
    "account.login",
    "product.bug",
    "product.how_to",
)
OFFSETS_MIN = np.array([60, 120, -300, -240, 330, 0, -420, 540])


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "Olivia Liam Emma Noah Ava Elijah Sophia Lucas Mia Mateo Amara Kenji Priya Diego "
    "Fatima Jonas Ingrid Tomasz Chloe Rafael Aisha Hugo Lena Marco Yuki Omar Nora Felix "
    "Sara Ivan Zoe Ethan Maya Leo Clara Samuel Hana Victor Elena Arjun Grace Mohammed "
    "Julia Oscar Lucia Daniel Anna Kwame Eva Pablo"
)
LAST_NAMES = _words(
    "Smith Johnson Garcia Muller Rossi Dubois Silva Kowalski Nakamura Patel Okafor "
    "Jensen Novak Fischer Moreau Costa Lindqvist Haddad Kim Nguyen Schmidt Lopez Brown "
    "Wilson Taylor Martin Bernard Weber Ricci Santos Andersen Horvat Ivanova Tanaka "
    "Singh Mensah Larsen Dvorak Keller Laurent Ferrari Pereira Nilsson Mansour Park Tran "
    "Becker Torres Clark Walker"
)
COMPANY_A = _words(
    "Blue Nimbus Bright Cedar Granite Harbor Lumen Maple North Orbit Pioneer Quartz "
    "Redwood Silver Summit Tidal Vertex Willow Zenith Atlas"
)
COMPANY_B = _words(
    "Analytics Logistics Foods Health Labs Media Retail Robotics Software Systems Travel "
    "Energy Finance Studios Networks"
)
COMPANY_C = ("Inc", "Ltd", "GmbH", "SAS", "BV", "LLC", "plc", "AG")
TEAM_NAMES = (
    ("Billing Care", "billing"),
    ("Tech Support", "technical"),
    ("Enterprise Desk", "enterprise"),
    ("Onboarding", "onboarding"),
    ("Account Services", "accounts"),
    ("Payments", "payments"),
    ("Integrations", "integrations"),
    ("Logistics Desk", "logistics"),
    ("Retention", "retention"),
    ("Priority Desk", "priority"),
)
SUBJECTS = (
    "Refund request for my last order",
    "Question about invoice",
    "Payment failed again",
    "Cannot log in to my account",
    "Password reset link not working",
    "How do I add a new user?",
    "Bug: export button does nothing",
    "Feature request: dark mode",
    "Dashboard is very slow",
    "API returns 500 error",
    "Help setting up the integration",
    "Need a copy of my data",
    "GDPR deletion request",
    "Where is my delivery?",
    "Item arrived damaged",
    "Please cancel my subscription",
    "Change of plan",
    "Urgent: service down",
)
CSAT_COMMENTS_GOOD = (
    "Quick and friendly, thanks!",
    "Solved on the first try.",
    "Great support, very helpful.",
    "Clear answer, thank you.",
)
CSAT_COMMENTS_BAD = (
    "Took far too long.",
    "I had to explain my problem three times.",
    "Still not fixed.",
    "Nobody answered for days.",
)
NPS_COMMENTS = (
    "Solid product, support could be faster.",
    "We rely on it every day.",
    "Pricing is getting hard to justify.",
    "Onboarding was smooth.",
    "Too many outages this quarter.",
)


# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------


class Progress:
    """Progress messages on stderr with the elapsed time and the time of the stage."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.t0 = time.perf_counter()
        self.last = 0.0

    def elapsed(self) -> float:
        return time.perf_counter() - self.t0

    def __call__(self, message: str) -> None:
        if not self.quiet:
            now = self.elapsed()
            stage = now - self.last
            print(f"[{now:6.1f}s +{stage:5.1f}s] {message}", file=sys.stderr, flush=True)
            self.last = now


@dataclass(frozen=True)
class Window:
    """The simulated period: ``months`` calendar months from ``start_day`` (epoch days)."""

    start_day: int
    month_starts: np.ndarray  # epoch day of each month start, plus the end (exclusive)

    @property
    def n_days(self) -> int:
        return int(self.month_starts[-1]) - self.start_day

    @property
    def n_months(self) -> int:
        return len(self.month_starts) - 1

    @property
    def start_s(self) -> int:
        return self.start_day * DAY

    @property
    def end_s(self) -> int:
        return int(self.month_starts[-1]) * DAY

    def month_of_day(self, day_idx: np.ndarray) -> np.ndarray:
        """Month index (0-based) of window day indices."""
        return np.searchsorted(self.month_starts, self.start_day + day_idx, side="right") - 1


def make_window(start: date, months: int) -> Window:
    starts = [(start - EPOCH).days]
    for k in range(1, months + 1):
        y, m = divmod(start.month - 1 + k, 12)
        starts.append((date(start.year + y, m + 1, 1) - EPOCH).days)
    return Window(start_day=starts[0], month_starts=np.array(starts, dtype=np.int64))


def weekday(epoch_days: np.ndarray) -> np.ndarray:
    """Monday = 0 ... Sunday = 6 (1970-01-01 was a Thursday)."""
    return (epoch_days + 3) % 7


def lognormal(rng: np.random.Generator, median: float | np.ndarray, sigma: float, n: int):
    return median * np.exp(rng.normal(0.0, sigma, n))


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def group_starts(sorted_keys: np.ndarray) -> np.ndarray:
    """Boolean mask: first row of each run of equal keys."""
    first = np.ones(len(sorted_keys), dtype=bool)
    first[1:] = sorted_keys[1:] != sorted_keys[:-1]
    return first


def rank_in_group(sorted_keys: np.ndarray) -> np.ndarray:
    """0-based position of each row within its run of equal keys."""
    idx = np.arange(len(sorted_keys))
    start = np.maximum.accumulate(np.where(group_starts(sorted_keys), idx, 0))
    return idx - start


# --------------------------------------------------------------------------------------
# Fast string formatting (fixed-width byte buffers -> pyarrow string arrays)
# --------------------------------------------------------------------------------------

_LUT2 = np.array([list(f"{i:02d}".encode()) for i in range(100)], dtype=np.uint8)


def _from_fixed_width(buf: np.ndarray, valid: np.ndarray | None) -> pa.Array:
    n, width = buf.shape
    offsets = np.arange(n + 1, dtype=np.int64) * width
    if offsets[-1] >= 2**31:
        raise ValueError("column too large for a pyarrow string array")
    validity = None
    null_count = 0
    if valid is not None and not valid.all():
        validity = pa.py_buffer(np.packbits(valid, bitorder="little"))
        null_count = int((~valid).sum())
    return pa.Array.from_buffers(
        pa.string(),
        n,
        [validity, pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(buf.reshape(-1))],
        null_count=null_count,
    )


def _put_digits(buf: np.ndarray, col: int, values: np.ndarray, width: int) -> None:
    for k in range(width - 1, -1, -1):
        buf[:, col + k] = 48 + values % 10
        values = values // 10


def fmt_ts(seconds: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """Epoch seconds -> ``YYYY-MM-DDTHH:MM:SS`` strings."""
    sec = np.asarray(seconds, dtype=np.int64)
    if valid is not None:
        sec = np.where(valid, sec, 0)
    days = sec // DAY
    tod = sec - days * DAY
    buf = np.empty((len(sec), 19), dtype=np.uint8)
    _fill_date(buf, days)
    buf[:, 10] = ord("T")
    buf[:, 11:13] = _LUT2[tod // HOUR]
    buf[:, 13] = ord(":")
    buf[:, 14:16] = _LUT2[(tod // MINUTE) % 60]
    buf[:, 16] = ord(":")
    buf[:, 17:19] = _LUT2[tod % 60]
    return _from_fixed_width(buf, valid)


def _fill_date(buf: np.ndarray, days: np.ndarray) -> None:
    d64 = days.astype("datetime64[D]")
    month_start = d64.astype("datetime64[M]")
    year = d64.astype("datetime64[Y]").astype(np.int64) + 1970
    month = month_start.astype(np.int64) % 12 + 1
    dom = (d64 - month_start.astype("datetime64[D]")).astype(np.int64) + 1
    buf[:, 0:2] = _LUT2[year // 100]
    buf[:, 2:4] = _LUT2[year % 100]
    buf[:, 4] = ord("-")
    buf[:, 5:7] = _LUT2[month]
    buf[:, 7] = ord("-")
    buf[:, 8:10] = _LUT2[dom]


def fmt_date(epoch_days: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    days = np.asarray(epoch_days, dtype=np.int64)
    if valid is not None:
        days = np.where(valid, days, 0)
    buf = np.empty((len(days), 10), dtype=np.uint8)
    _fill_date(buf, days)
    return _from_fixed_width(buf, valid)


def fmt_ids(prefix: str, numbers: np.ndarray, width: int, valid: np.ndarray | None = None):
    """``prefix`` + zero-padded ``numbers`` (e.g. ``TK-0000042``)."""
    nums = np.asarray(numbers, dtype=np.int64)
    if valid is not None:
        nums = np.where(valid, nums, 0)
    p = prefix.encode()
    buf = np.empty((len(nums), len(p) + width), dtype=np.uint8)
    buf[:, : len(p)] = np.frombuffer(p, dtype=np.uint8)
    _put_digits(buf, len(p), nums, width)
    return _from_fixed_width(buf, valid)


def fmt_int(values: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    mask = None if valid is None else ~np.asarray(valid)
    return pc.cast(pa.array(np.asarray(values, dtype=np.int64), mask=mask), pa.string())


def fmt_decimal(values: np.ndarray, decimals: int, valid: np.ndarray | None = None):
    out = [f"{v:.{decimals}f}" for v in np.asarray(values, dtype=float)]
    mask = None if valid is None else ~np.asarray(valid)
    return pa.array(out, type=pa.string(), mask=mask)


def take_str(vocab: list[str] | tuple[str, ...], codes: np.ndarray) -> pa.Array:
    """Vocabulary lookup; negative codes become null."""
    codes = np.asarray(codes)
    return pa.array(list(vocab), type=pa.string()).take(
        pa.array(codes.astype(np.int64), mask=codes < 0)
    )


def with_offsets(seconds: np.ndarray, share: float, rng: np.random.Generator) -> pa.Array:
    """Timestamps of which ``share`` are written in local time with an explicit offset."""
    base = fmt_ts(seconds)
    pick = np.flatnonzero(rng.random(len(seconds)) < share)
    if pick.size == 0:
        return base
    offset = rng.choice(OFFSETS_MIN, size=pick.size)
    local = fmt_ts(np.asarray(seconds)[pick] + offset * MINUTE)
    labels = [
        "Z" if o == 0 else f"{'+' if o > 0 else '-'}{abs(o) // 60:02d}:{abs(o) % 60:02d}"
        for o in OFFSETS_MIN
    ]
    lookup = {int(o): i for i, o in enumerate(OFFSETS_MIN)}
    suffix = take_str(labels, np.array([lookup[int(o)] for o in offset]))
    mask = np.zeros(len(seconds), dtype=bool)
    mask[pick] = True
    joined = pc.binary_join_element_wise(local, suffix, "")
    return pc.replace_with_mask(base, pa.array(mask), joined)


def decorate(arr: pa.Array, rng: np.random.Generator, p_case: float, p_space: float):
    """Randomly upper/title-case and pad some values (accepted spellings stay accepted)."""
    n = len(arr)
    r = rng.random(n)
    upper = r < p_case / 2
    title = (r >= p_case / 2) & (r < p_case)
    arr = pc.replace_with_mask(arr, pa.array(upper), pc.utf8_upper(arr.filter(pa.array(upper))))
    arr = pc.replace_with_mask(arr, pa.array(title), pc.utf8_title(arr.filter(pa.array(title))))
    pad = rng.random(n) < p_space
    padded = pc.binary_join_element_wise(" ", arr.filter(pa.array(pad)), "  ", "")
    return pc.replace_with_mask(arr, pa.array(pad), padded)


def to_table(name: str, columns: dict[str, pa.Array]) -> pa.Table:
    order = TABLE_COLUMNS[name]
    missing = set(order) ^ set(columns)
    if missing:
        raise ValueError(f"{name}: column mismatch {sorted(missing)}")
    arrays = [pc.cast(columns[c], pa.string()) for c in order]
    return pa.Table.from_arrays(arrays, names=list(order))


# --------------------------------------------------------------------------------------
# Organisation
# --------------------------------------------------------------------------------------


@dataclass
class Person:
    hire: int  # epoch day
    segments: list[tuple[int, str, int]]  # (valid_from epoch day, role, team index or -1)
    term: int = NO_DAY
    reason: str | None = None
    new_hire: bool = False

    def role_at(self, day: int) -> tuple[str, int] | None:
        if day < self.hire or day > self.term:
            return None
        current = None
        for start, role, team in sorted(self.segments):
            if start <= day:
                current = (role, team)
        return current


@dataclass
class Org:
    persons: list[Person]
    ids: list[str]
    names: list[str]
    emails: list[str]
    hire_day: np.ndarray
    term_day: np.ndarray
    team_ids: list[str]
    team_names: list[str]
    team_queue: list[str]
    team_manager: list[int]
    team_director: list[int]
    team_currency: list[str]
    team_shift_min: np.ndarray
    night_team: int
    slow_team: int
    slow_months: list[int]
    role_on: np.ndarray  # (P, W) role code or -1 when not employed
    team_on: np.ndarray  # (P, W) team index or -1
    lead_on: np.ndarray  # (T, W) team lead person index or -1
    ramp: np.ndarray  # (P, W) ramp-up deficit, 1 on the hire day -> 0 with tenure
    quality: np.ndarray
    speed: np.ndarray
    reply_speed: np.ndarray
    late_mean: np.ndarray
    overrun_mean: np.ndarray
    p_offline: np.ndarray
    shift_offset: np.ndarray
    work_pattern: np.ndarray
    director: int

    @property
    def n_teams(self) -> int:
        return len(self.team_ids)

    @property
    def frontline(self) -> np.ndarray:
        return (self.role_on == 0) | (self.role_on == 1)


def build_org(args: argparse.Namespace, win: Window, rng: np.random.Generator) -> Org:
    """People, their role history and per-day role/team matrices."""
    n_teams, n_agents, s0, n_days = args.teams, args.agents, win.start_day, win.n_days
    persons: list[Person] = []

    def add(hire: int, segments: list[tuple[int, str, int]], **kw) -> int:
        persons.append(Person(hire=hire, segments=segments, **kw))
        return len(persons) - 1

    def day_at(frac: float) -> int:
        return s0 + int(frac * n_days)

    former = -1
    if n_teams >= 3:  # the previous director: one team still names them
        former = add(s0 - 3200, [(s0 - 3200, "director", -1)], term=s0 - 201, reason="voluntary")
    director = add(s0 - 200, [(s0 - 200, "director", -1)])
    n_managers = min(n_teams, 2 if n_teams <= 6 else 3)
    managers = [
        add(int(h), [(int(h), "manager", -1)]) for h in s0 - rng.integers(900, 3000, n_managers)
    ]
    leads = []
    for t in range(n_teams):
        h = s0 - int(rng.integers(500, 2600))
        if t % 2 == 0 and s0 - h > 700:  # came up through the ranks
            segs = [(h, "agent", t), (h + 250, "senior_agent", t), (h + 520, "team_lead", t)]
        else:
            segs = [(h, "team_lead", t)]
        leads.append(add(h, segs))

    frontline: list[int] = []
    team_of = rng.permutation(np.arange(n_agents) % n_teams)
    for i in range(n_agents):
        t = int(team_of[i])
        tenure = int(rng.integers(15, 75) if rng.random() < 0.1 else rng.integers(120, 2200))
        h = s0 - tenure
        segs = [(h, "agent", t)]
        if tenure > 500 and rng.random() < 0.22:
            segs.append((h + int(rng.integers(200, tenure - 30)), "senior_agent", t))
        frontline.append(add(h, segs))

    slow_team = 1 % n_teams
    n_months = win.n_months
    mid = n_months // 2
    width = 3 if n_months >= 6 else (2 if n_months >= 3 else 1)
    slow_months = [m for m in range(mid - 1, mid - 1 + width) if 0 <= m < n_months] or [0]
    slow_start = int(win.month_starts[slow_months[0]])
    slow_end = int(win.month_starts[slow_months[-1] + 1])

    used: set[int] = set()

    def pick(day: int, team: int | None = None, role: str | None = None) -> int | None:
        cands = []
        for p in frontline:
            ra = persons[p].role_at(day)
            if p in used or ra is None or ra[0] not in ("agent", "senior_agent"):
                continue
            if (team is None or ra[1] == team) and (role is None or ra[0] == role):
                cands.append(p)
        if not cands:
            return None
        p = int(cands[int(rng.integers(len(cands)))])
        used.add(p)
        return p

    # Team-lead changes: an external hire straight into team_lead, an internal promotion.
    lead_a, lead_b = 0, (2 % n_teams if n_teams >= 3 else 1 % n_teams)
    if n_teams >= 2:
        term = day_at(0.35)
        persons[leads[lead_a]].term, persons[leads[lead_a]].reason = term, "voluntary"
        add(term + 1, [(term + 1, "team_lead", lead_a)], new_hire=True)
        term_b = day_at(0.55)
        successor = pick(s0, lead_b, "senior_agent") or pick(s0, lead_b)
        if successor is not None:
            persons[leads[lead_b]].term, persons[leads[lead_b]].reason = term_b, "internal_transfer"
            succ = persons[successor]
            if succ.role_at(s0) == ("agent", lead_b):
                succ.segments.append((max(succ.hire + 1, s0 - 60), "senior_agent", lead_b))
            succ.segments.append((term_b + 1, "team_lead", lead_b))

    # Promotions agent -> senior_agent on the first of a month.
    for k in range(2 if n_agents < 30 else 3):
        m = min(n_months - 1, (k + 1) * n_months // 4)
        day = int(win.month_starts[m])
        p = pick(day, role="agent")
        if p is not None:
            persons[p].segments.append((day, "senior_agent", persons[p].role_at(day)[1]))

    # A lateral move on the first of a month and a team move in the middle of a month.
    if n_teams >= 2:
        moves = [(int(win.month_starts[mid]), 1), (int(win.month_starts[n_months // 3]) + 14, 2)]
        for day, shift in moves:
            if day >= s0 + n_days - 1:
                continue
            p = pick(day)
            if p is not None:
                role, team = persons[p].role_at(day)
                target = (team + shift) % n_teams
                persons[p].segments.append(
                    (day, role, target if target != team else (team + 1) % n_teams)
                )

    # Leavers: two from the slow team just before its bad months, the rest spread out.
    n_leavers = max(3, round(0.018 * n_agents * n_months))
    reasons = ["voluntary", "involuntary", "internal_transfer"]
    leavers: list[tuple[int, int]] = []  # (person, team)
    for _ in range(2 if n_teams >= 2 else 0):
        day = max(s0 + 2, slow_start - int(rng.integers(2, 12)))
        p = pick(day, slow_team)
        if p is not None:
            leavers.append((p, day))
    while len(leavers) < n_leavers:
        day = day_at(float(rng.uniform(0.04, 0.96)))
        p = pick(day)
        if p is None:
            break
        leavers.append((p, day))
    for i, (p, day) in enumerate(leavers):
        reason = reasons[i] if i < 3 else str(rng.choice(reasons, p=[0.65, 0.2, 0.15]))
        persons[p].term, persons[p].reason = day, reason

    # Replacement hires (late for the slow team) and a growth cohort.
    for p, day in leavers:
        team = persons[p].role_at(day)[1]
        hire = day + int(rng.integers(14, 45))
        if team == slow_team:
            hire = max(hire, slow_end + int(rng.integers(0, 6)))
        if hire < s0 + n_days - 10:
            add(hire, [(hire, "agent", team)], new_hire=True)
    n_growth = max(2, round(0.05 * n_agents))
    for k in range(n_growth):
        hire = day_at(0.1 if k % 2 == 0 else 0.45)
        team = int(rng.integers(n_teams))
        add(hire, [(hire, "agent", team)], new_hire=True)

    # Identity, attributes and the per-day matrices.
    n_people = len(persons)
    first = rng.integers(len(FIRST_NAMES), size=n_people)
    last = rng.integers(len(LAST_NAMES), size=n_people)
    ids = [f"A{i + 1:04d}" for i in range(n_people)]
    names = [f"{FIRST_NAMES[f]} {LAST_NAMES[la]}" for f, la in zip(first, last, strict=True)]
    emails = [
        f"{FIRST_NAMES[f].lower()}.{LAST_NAMES[la].lower()}{i + 1}@support-demo.example"
        for i, (f, la) in enumerate(zip(first, last, strict=True))
    ]
    hire_day = np.array([p.hire for p in persons], dtype=np.int64)
    term_day = np.array([p.term for p in persons], dtype=np.int64)
    role_on = np.full((n_people, n_days), -1, dtype=np.int8)
    team_on = np.full((n_people, n_days), -1, dtype=np.int16)
    for i, person in enumerate(persons):
        segs = sorted(person.segments)
        ends = [s[0] for s in segs[1:]] + [min(person.term + 1, s0 + n_days)]
        for (start, role, team), end in zip(segs, ends, strict=True):
            a, b = np.clip([start - s0, end - s0], 0, n_days)
            role_on[i, a:b] = ROLE_CODE[role]
            team_on[i, a:b] = team
    lead_on = np.full((n_teams, n_days), -1, dtype=np.int32)
    for i in range(n_people):
        is_lead = role_on[i] == ROLE_CODE["team_lead"]
        lead_on[team_on[i, is_lead], np.flatnonzero(is_lead)] = i
    tenure = (s0 + np.arange(n_days))[None, :] - hire_day[:, None]
    ramp = np.where(tenure >= 0, np.exp(-np.maximum(tenure, 0) / 30.0), 1.0).astype(np.float32)

    is_new = np.array([p.new_hire for p in persons])
    quality = np.where(is_new, rng.normal(0.4, 0.5, n_people), rng.normal(0.0, 1.0, n_people))
    quality[[*leads, *managers, director]] = rng.normal(1.0, 0.3, len(leads) + n_managers + 1)
    team_names, queues, shifts = [], [], []
    night_team = n_teams - 1 if n_teams >= 2 else -1
    day_shifts = (7, 8, 9, 13, 14, 8, 9, 12)
    for t in range(n_teams):
        name, queue = TEAM_NAMES[t % len(TEAM_NAMES)]
        if t == night_team:
            name, queue = "Night Desk", "overnight"
        suffix = f" {t // len(TEAM_NAMES) + 1}" if t >= len(TEAM_NAMES) else ""
        team_names.append(name + suffix)
        queues.append(queue + suffix.strip())
        shifts.append(21 * 60 if t == night_team else day_shifts[t % len(day_shifts)] * 60)
    currencies = ["USD"] * n_teams
    if n_teams >= 3:
        currencies[2] = "EUR"
    if n_teams >= 5:
        currencies[4] = "GBP"
    directors = [director] * n_teams
    if former >= 0:
        directors[-1] = former  # a stale reference; the majority elects the director
    return Org(
        persons=persons,
        ids=ids,
        names=names,
        emails=emails,
        hire_day=hire_day,
        term_day=term_day,
        team_ids=[f"T{t + 1:02d}" for t in range(n_teams)],
        team_names=team_names,
        team_queue=queues,
        team_manager=[managers[t % n_managers] for t in range(n_teams)],
        team_director=directors,
        team_currency=currencies,
        team_shift_min=np.array(shifts, dtype=np.int64),
        night_team=night_team,
        slow_team=slow_team,
        slow_months=slow_months,
        role_on=role_on,
        team_on=team_on,
        lead_on=lead_on,
        ramp=ramp,
        quality=quality,
        speed=np.exp(rng.normal(0.0, 0.22, n_people)),
        reply_speed=np.exp(rng.normal(0.0, 0.35, n_people)),
        late_mean=rng.uniform(0.5, 9.0, n_people),
        overrun_mean=rng.uniform(0.5, 7.0, n_people),
        p_offline=rng.uniform(0.01, 0.10, n_people),
        shift_offset=rng.choice([-30, 0, 0, 30], size=n_people),
        work_pattern=rng.choice(3, size=n_people, p=[0.85, 0.10, 0.05]),
        director=director,
    )


@dataclass
class Roster:
    """Weighted members per (team, window day), for vectorised agent picking."""

    members: np.ndarray
    cum: np.ndarray
    start: np.ndarray
    end: np.ndarray
    n_days: int

    @classmethod
    def build(cls, weight: np.ndarray, team_on: np.ndarray, n_teams: int) -> Roster:
        n_days = weight.shape[1]
        p_idx, d_idx = np.nonzero(weight > 0)
        key = team_on[p_idx, d_idx].astype(np.int64) * n_days + d_idx
        order = np.argsort(key, kind="stable")
        key = key[order]
        cum = np.cumsum(weight[p_idx, d_idx][order])
        slots = np.arange(n_teams * n_days)
        return cls(
            members=p_idx[order].astype(np.int32),
            cum=cum,
            start=np.searchsorted(key, slots, "left"),
            end=np.searchsorted(key, slots, "right"),
            n_days=n_days,
        )

    def pick(self, team: np.ndarray, day_idx: np.ndarray, u: np.ndarray) -> np.ndarray:
        """A member per (team, day) drawn with the roster weights; -1 when empty."""
        if len(self.members) == 0:
            return np.full(len(team), -1, dtype=np.int32)
        day_idx = np.clip(day_idx, 0, self.n_days - 1)
        k = team.astype(np.int64) * self.n_days + day_idx
        s, e = self.start[k], self.end[k]
        base = np.where(s > 0, self.cum[np.maximum(s - 1, 0)], 0.0)
        total = np.where(e > s, self.cum[np.maximum(e - 1, 0)] - base, 0.0)
        idx = np.searchsorted(self.cum, base + u * total, side="right")
        idx = np.clip(idx, s, np.maximum(e - 1, s))
        idx = np.minimum(idx, len(self.members) - 1)
        return np.where(e > s, self.members[idx], -1).astype(np.int32)


def build_rosters(org: Org, win: Window) -> dict[str, Roster]:
    days = win.start_day + np.arange(win.n_days)
    tenure = days[None, :] - org.hire_day[:, None]
    notice = org.term_day[:, None] - days[None, :]
    routable = org.frontline & (tenure >= 7) & (notice > 10)
    capacity = (0.5 + 0.5 * (1 - org.ramp)) / org.speed[:, None]
    weight = np.where(routable, capacity, 0.0)
    stable = np.where(routable & (notice > 120), 1.0, 0.0)
    senior = np.where(routable & (org.role_on == 1), 1.0, 0.0)
    return {
        "route": Roster.build(weight, org.team_on, org.n_teams),
        "stable": Roster.build(stable, org.team_on, org.n_teams),
        "senior": Roster.build(senior, org.team_on, org.n_teams),
    }


def pick_agent(
    rosters: dict[str, Roster],
    names: tuple[str, ...],
    org: Org,
    team: np.ndarray,
    day_idx: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Pick from the first non-empty roster of ``names``; the team lead as a last resort."""
    u = rng.random(len(team))
    out = np.full(len(team), -1, dtype=np.int32)
    for name in names:
        todo = out < 0
        if not todo.any():
            break
        out[todo] = rosters[name].pick(team[todo], day_idx[todo], u[todo])
    todo = out < 0
    d = np.clip(day_idx, 0, org.lead_on.shape[1] - 1)
    out[todo] = org.lead_on[team[todo], d[todo]]
    todo = out < 0
    out[todo] = np.array(org.team_manager)[team[todo]]
    return out


# --------------------------------------------------------------------------------------
# Accounts and requesters
# --------------------------------------------------------------------------------------


@dataclass
class Accounts:
    ids: list[str]
    names: list[str]
    segment: np.ndarray
    tier: np.ndarray
    arr: np.ndarray
    currency: np.ndarray  # codes into ("USD", "EUR", "GBP"), -1 = null
    start_day: np.ndarray
    end_day: np.ndarray  # NO_DAY = open-ended
    weight: np.ndarray
    req_start: np.ndarray
    req_count: np.ndarray
    n_requesters: int
    requester_email: pa.Array
    requester_name: pa.Array


def build_accounts(args: argparse.Namespace, win: Window, rng: np.random.Generator) -> Accounts:
    n = max(30, round(args.tickets / 1000))
    s0, n_days = win.start_day, win.n_days
    segment = rng.choice([0, 1, 2, -1], size=n, p=[0.15, 0.35, 0.45, 0.05])
    tier_p = {
        0: [0.6, 0.3, 0.05, 0.05],
        1: [0.2, 0.55, 0.2, 0.05],
        2: [0.03, 0.42, 0.5, 0.05],
        -1: [0.0, 0.6, 0.3, 0.1],
    }
    tier = np.array([rng.choice([0, 1, 2, -1], p=tier_p[int(s)]) for s in segment])
    arr_median = np.select([segment == 0, segment == 1, segment == 2], [220e3, 48e3, 9e3], 15e3)
    arr = np.round(lognormal(rng, arr_median, 0.5, n), 2)
    currency = rng.choice([0, 1, 2, -1], size=n, p=[0.67, 0.2, 0.1, 0.03])
    start = s0 - rng.integers(30, 2000, n)
    joins = rng.random(n) < 0.08
    start[joins] = s0 + rng.integers(0, int(0.7 * n_days) + 1, joins.sum())
    end = np.full(n, NO_DAY, dtype=np.int64)
    r = rng.random(n)
    leaving = (r < 0.06) & ~joins
    end[leaving] = s0 + rng.integers(int(0.2 * n_days), int(0.9 * n_days) + 1, leaving.sum())
    fixed_term = (r >= 0.06) & (r < 0.16)
    end[fixed_term] = s0 + n_days + rng.integers(30, 400, fixed_term.sum())
    weight = np.select([segment == 0, segment == 1], [6.0, 2.5], 1.0) * lognormal(rng, 1.0, 0.6, n)
    names = [
        f"{COMPANY_A[a]} {COMPANY_B[b]} {COMPANY_C[c]}"
        for a, b, c in zip(
            rng.integers(len(COMPANY_A), size=n),
            rng.integers(len(COMPANY_B), size=n),
            rng.integers(len(COMPANY_C), size=n),
            strict=True,
        )
    ]
    expected = weight / weight.sum() * args.tickets
    req_count = np.maximum(1, np.round(expected / 12)).astype(np.int64)
    n_consumer = max(20, args.tickets // 250)  # requesters of tickets without an account
    req_start = np.concatenate([[0], np.cumsum(req_count)[:-1]]) + n_consumer
    n_req = int(n_consumer + req_count.sum())
    domains = [
        name.split()[0].lower() + "-" + name.split()[1].lower() + ".example" for name in names
    ]
    dom_of_req = np.concatenate(
        [rng.integers(3, size=n_consumer), 3 + np.repeat(np.arange(n), req_count)]
    )
    vocab = ["mail.example.com", "inbox.example.net", "post.example.org", *domains]
    first = rng.integers(len(FIRST_NAMES), size=n_req)
    last = rng.integers(len(LAST_NAMES), size=n_req)
    first_s = take_str([f.lower() for f in FIRST_NAMES], first)
    last_s = take_str([s.lower() for s in LAST_NAMES], last)
    email = pc.binary_join_element_wise(
        first_s,
        ".",
        last_s,
        pc.cast(pa.array(np.arange(n_req) % 97), pa.string()),
        "@",
        take_str(vocab, dom_of_req),
        "",
    )
    full = pc.binary_join_element_wise(
        take_str(FIRST_NAMES, first), take_str(LAST_NAMES, last), " "
    )
    return Accounts(
        ids=[f"ACC-{i + 1:05d}" for i in range(n)],
        names=names,
        segment=segment,
        tier=tier,
        arr=arr,
        currency=currency,
        start_day=start,
        end_day=end,
        weight=weight,
        req_start=req_start,
        req_count=req_count,
        n_requesters=n_req,
        requester_email=email,
        requester_name=full,
    )


# --------------------------------------------------------------------------------------
# Tickets and their lifecycle
# --------------------------------------------------------------------------------------


def warn_fx_coverage(win: Window, log: Progress) -> None:
    """Warn when EUR/GBP amounts fall in months the fx_rates seed has no rate for."""
    path = REPO_ROOT / "seeds" / "fx_rates.csv"
    if not path.exists():
        return
    with path.open(newline="", encoding="utf-8") as fh:
        have = {(r["currency"].strip(), r["month"].strip()[:7]) for r in csv.DictReader(fh)}
    months = {_iso(_first_of_month(int(d)))[:7] for d in win.month_starts[:-1]}
    missing = sorted(m for m in months for c in ("EUR", "GBP") if (c, m) not in have)
    if missing:
        log(f"warning: seeds/fx_rates.csv has no EUR/GBP rate for {missing[0]}..{missing[-1]}")


def load_contact_reasons() -> list[str]:
    path = REPO_ROOT / "seeds" / "contact_drivers.csv"
    if not path.exists():
        return list(FALLBACK_REASONS)
    with path.open(newline="", encoding="utf-8") as fh:
        return [row["contact_reason"].strip() for row in csv.DictReader(fh)]


@dataclass
class TicketSim:
    t0: np.ndarray
    day: np.ndarray
    channel: np.ndarray
    sev: np.ndarray
    team: np.ndarray
    account: np.ndarray  # index, -1 = null, -2 = unknown id
    requester: np.ndarray
    reason: np.ndarray  # index into reasons vocabulary, -1 = null
    reasons: list[str]
    rounds: np.ndarray
    slow: np.ndarray

    @property
    def n(self) -> int:
        return len(self.t0)


def simulate_tickets(
    args: argparse.Namespace,
    win: Window,
    org: Org,
    acc: Accounts,
    reasons_mapped: list[str],
    rng: np.random.Generator,
) -> TicketSim:
    """Creation time, channel, severity, account, requester, reason and team per ticket."""
    n, n_days, s0 = args.tickets, win.n_days, win.start_day
    days = s0 + np.arange(n_days)
    dow_w = np.array([1.0, 1.03, 1.0, 0.96, 0.88, 0.33, 0.25])[weekday(days)]
    trend = (1 + 0.12 * np.arange(n_days) / n_days) * (1 + 0.08 * np.sin(2 * np.pi * days / 365))
    p_day = dow_w * trend * lognormal(rng, 1.0, 0.06, n_days)
    day = np.repeat(np.arange(n_days), rng.multinomial(n, p_day / p_day.sum()))
    hour_wd = np.array(
        [1, 0.8, 0.7, 0.6, 0.7, 1, 2, 4, 7, 9, 10, 10, 9, 9, 10, 10, 9, 8, 6, 5, 4, 3, 2, 1.5]
    )
    hour_we = np.array(
        [2, 1.5, 1.2, 1, 1, 1.2, 2, 3, 4, 5, 6, 6, 6, 6, 6, 6, 5, 5, 4, 4, 3, 3, 3, 2]
    )
    weekend = weekday(s0 + day) >= 5
    hour = np.where(
        weekend,
        rng.choice(24, size=n, p=hour_we / hour_we.sum()),
        rng.choice(24, size=n, p=hour_wd / hour_wd.sum()),
    )
    t0 = np.sort((s0 + day) * DAY + hour * HOUR + rng.integers(0, HOUR, n))
    day = (t0 // DAY - s0).astype(np.int64)
    hour = (t0 % DAY) // HOUR

    channel = rng.choice(len(CHANNELS), size=n, p=CHANNEL_P).astype(np.int8)
    sev = rng.choice(4, size=n, p=SEVERITY_P).astype(np.int8)

    # Accounts: weighted, only while the contract runs (plus a short tail).
    p_acc = acc.weight / acc.weight.sum()
    account = rng.choice(len(p_acc), size=n, p=p_acc).astype(np.int64)
    outside = (s0 + day < acc.start_day[account]) | (s0 + day > acc.end_day[account] + 21)
    stable = np.flatnonzero((acc.start_day <= s0) & (acc.end_day == NO_DAY))
    p_st = acc.weight[stable] / acc.weight[stable].sum()
    account[outside] = rng.choice(stable, size=int(outside.sum()), p=p_st)
    r = rng.random(n)
    account[r < 0.02] = -1
    account[(r >= 0.02) & (r < 0.03)] = -2
    known = account >= 0
    req = rng.integers(0, 1 << 30, n)
    requester = np.where(
        known,
        acc.req_start[np.maximum(account, 0)] + req % acc.req_count[np.maximum(account, 0)],
        req % acc.req_start[0],
    )

    reasons = list(reasons_mapped) + list(UNMAPPED_REASONS)
    w = lognormal(rng, 1.0, 0.7, len(reasons_mapped))
    reason = rng.choice(len(reasons_mapped), size=n, p=w / w.sum())
    r = rng.random(n)
    reason = np.where(
        r < 0.05, len(reasons_mapped) + rng.integers(len(UNMAPPED_REASONS), size=n), reason
    )
    reason = np.where((r >= 0.05) & (r < 0.08), -1, reason)

    # Repeat contacts: same requester and reason a few days after an earlier ticket.
    child = np.flatnonzero((rng.random(n) < 0.06) & (t0 - t0[0] > 5 * DAY))
    target = t0[child] - rng.integers(2 * HOUR, 5 * DAY, child.size)
    parent = np.minimum(np.searchsorted(t0, target), child - 1)
    account[child], requester[child] = account[parent], requester[parent]
    reason[child] = reason[parent]

    # Routing: the night team takes most tickets raised at night.
    n_teams = org.n_teams
    share = rng.uniform(0.8, 1.2, n_teams)
    p_dayteam = share.copy()
    p_night = share.copy()
    if org.night_team >= 0:
        p_dayteam[org.night_team] = 0.03 * share.sum()
        others = np.arange(n_teams) != org.night_team
        p_night[others] = 0.3 * share[others] / share[others].sum()
        p_night[org.night_team] = 0.7
    night = (hour >= 20) | (hour < 5)
    u = rng.random(n)
    team = np.where(
        night,
        np.searchsorted(np.cumsum(p_night / p_night.sum()), u * 0.999999),
        np.searchsorted(np.cumsum(p_dayteam / p_dayteam.sum()), u * 0.999999),
    ).astype(np.int16)

    slow_tm = np.ones((n_teams, win.n_months))
    slow_tm *= rng.uniform(0.85, 1.15, n_teams)[:, None]
    slow_tm[org.slow_team, org.slow_months] = 3.4
    slow = slow_tm[team, win.month_of_day(day)]

    return TicketSim(
        t0=t0,
        day=day,
        channel=channel,
        sev=sev,
        team=team,
        account=account,
        requester=requester.astype(np.int64),
        reason=reason.astype(np.int64),
        reasons=reasons,
        rounds=np.zeros(n, dtype=np.int8),
        slow=slow,
    )


@dataclass
class Events:
    ticket: np.ndarray
    t: np.ndarray
    etype: np.ndarray
    agent: np.ndarray
    tier: np.ndarray
    order: np.ndarray
    handle: np.ndarray | None = None

    @classmethod
    def concat(cls, parts: list[Events]) -> Events:
        return cls(*(np.concatenate([getattr(p, f) for p in parts]) for f in cls._fields()))

    @staticmethod
    def _fields() -> tuple[str, ...]:
        return ("ticket", "t", "etype", "agent", "tier", "order")

    def take(self, idx: np.ndarray) -> Events:
        out = Events(*(getattr(self, f)[idx] for f in self._fields()))
        if self.handle is not None:
            out.handle = self.handle[idx]
        return out


def _ev(tix, t, etype, agent, tier, order: int) -> Events:
    n = len(tix)
    return Events(
        ticket=np.asarray(tix, dtype=np.int64),
        t=np.asarray(t, dtype=np.int64),
        etype=np.full(n, EV[etype], dtype=np.int8),
        agent=np.broadcast_to(np.asarray(agent, dtype=np.int32), (n,)).copy(),
        tier=np.broadcast_to(np.asarray(tier, dtype=np.int8), (n,)).copy(),
        order=np.full(n, order, dtype=np.int8),
    )


def _sort_events(ev: Events, win: Window) -> Events:
    rel = ev.t - win.start_s + DAY  # >= 0 for every kept event
    key = (ev.ticket << 38) | (rel << 5) | ev.order.astype(np.int64)
    return ev.take(np.argsort(key, kind="stable"))


def build_events(
    sim: TicketSim, win: Window, org: Org, rosters: dict[str, Roster], rng: np.random.Generator
) -> Events:
    """The event history of every ticket, vectorised over tickets."""
    n = sim.n
    tix = np.arange(n)
    ch, sev, team, day, t0, slow = sim.channel, sim.sev, sim.team, sim.day, sim.t0, sim.slow
    live = (ch == 1) | (ch == 2)  # chat and phone are handled live

    a1 = pick_agent(rosters, ("route",), org, team.astype(np.int64), day, rng)
    has_re = rng.random(n) < 0.04
    a2 = np.where(has_re, pick_agent(rosters, ("route",), org, team.astype(np.int64), day, rng), a1)
    has_re &= a2 != a1
    dclip = np.clip(day, 0, win.n_days - 1)
    q_h = org.quality[a2] - 2.5 * org.ramp[a2, dclip]

    # Escalation (to a senior agent as t2, or held by t3 while the owner keeps the ticket).
    p_esc = 0.075 * np.exp(-0.4 * np.clip(q_h, -2, 2)) * np.array([2.0, 1.4, 1.0, 0.7])[sev]
    esc = rng.random(n) < np.clip(p_esc, 0, 0.6)
    esc_tier = np.where(rng.random(n) < 0.75, 1, 2).astype(np.int8)
    esc_re = esc & (esc_tier == 1) & (rng.random(n) < 0.5)
    senior = pick_agent(rosters, ("senior", "route"), org, team.astype(np.int64), day, rng)
    esc_re &= senior != a2
    # A few tickets are taken over and solved by the team lead or a manager.
    r = rng.random(n)
    sp_person = np.where(
        r < 0.003,
        org.lead_on[team, dclip],
        np.where(r < 0.004, np.array(org.team_manager)[team], -1),
    ).astype(np.int32)
    special = sp_person >= 0
    solver = np.where(special, sp_person, np.where(esc_re, senior, a2))

    # Conversation rounds (a customer reply then an agent reply): no round = first contact.
    p_fcr = sigmoid(1.0 + 0.6 * q_h + np.where(live, 0.4, 0.0))
    rounds = np.where(rng.random(n) < p_fcr, 0, np.minimum(rng.geometric(0.55, n), 3)).astype(
        np.int8
    )
    sim.rounds = rounds
    reopen = rng.random(n) < np.clip(0.06 * np.exp(-0.35 * q_h), 0, 0.3)

    # Timing (seconds).
    d_assign = np.where(
        live,
        np.clip(lognormal(rng, 40, 0.8, n), 3, 1800),
        np.clip(lognormal(rng, 900, 1.0, n), 20, 6 * HOUR),
    ) * np.minimum(slow, 2.0)
    t_a = t0 + d_assign.astype(np.int64) + 1
    fr_min = np.array([150, 1.5, 0.5, 200, 60])[ch] * np.array([0.35, 0.7, 1.0, 1.1])[sev]
    fr = fr_min * MINUTE * org.reply_speed[a2] * slow * lognormal(rng, 1.0, 0.7, n)
    weekend_wait = (weekday(t0 // DAY) >= 5) & ~live & (rng.random(n) < 0.6)
    fr = fr + weekend_wait * rng.uniform(4 * HOUR, 28 * HOUR, n)
    t_fr = t_a + np.maximum(fr, 20).astype(np.int64)
    t_re = t_a + ((t_fr - t_a) * rng.uniform(0.2, 0.8, n)).astype(np.int64)

    base_h = np.array([0.7, 3.5, 9.0, 20.0])[sev] * np.array([1.0, 0.35, 0.3, 1.1, 0.8])[ch]
    res_h = (
        base_h
        * np.exp(-0.15 * q_h)
        * slow
        * lognormal(rng, 1.0, np.array([0.5, 0.55, 0.6, 0.6])[sev], n)
        * (1 + 0.35 * rounds)
        * np.where(esc, 2.2, 1.0)
    )
    n_mid = 2 * rounds + esc * 2 + special + 1
    t_s = np.maximum(t0 + (res_h * HOUR).astype(np.int64), t_fr + 120 * (n_mid + 1))
    # Tails: some tickets wait days or weeks on the customer or engineering, and a few get
    # stuck for a month or more (those near the end are still open), so the backlog at every
    # snapshot has varied ages without growing without bound.
    r = rng.random(n)
    wait = np.where(r < 0.01, lognormal(rng, 6 * DAY, 0.5, n), lognormal(rng, 20 * DAY, 0.5, n))
    waiting = r < 0.02
    t_s = np.where(waiting, np.maximum(t_s, t0 + wait.astype(np.int64)), t_s)
    stuck = (r >= 0.02) & (r < 0.042)
    stuck_for = lognormal(rng, 35 * DAY, 0.6, n).astype(np.int64)
    t_s = np.where(stuck, np.maximum(t_s, t0 + stuck_for), t_s)
    span = (t_s - t_fr).astype(np.float64)

    t_e = t_fr + (span * rng.uniform(0.15, 0.5, n)).astype(np.int64)
    t_sen = t_e + ((t_s - t_e) * rng.uniform(0.02, 0.15, n)).astype(np.int64) + 1
    t_to = t_fr + (span * 0.97).astype(np.int64)

    def agent_at(idx: np.ndarray, t: np.ndarray) -> np.ndarray:
        ag = np.where(has_re[idx] & (t >= t_re[idx]), a2[idx], a1[idx])
        ag = np.where(esc_re[idx] & (t >= t_sen[idx]), senior[idx], ag)
        return np.where(special[idx] & (t >= t_to[idx]), sp_person[idx], ag)

    def tier_at(idx: np.ndarray, t: np.ndarray) -> np.ndarray:
        return np.where(esc[idx] & (t >= t_e[idx]), esc_tier[idx], 0).astype(np.int8)

    parts = [
        _ev(tix, t0, "created", -1, 0, 0),
        _ev(tix, t_a, "assigned", a1, 0, 2),
    ]
    chase = np.flatnonzero(~live & (t_fr - t0 > 2 * HOUR) & (rng.random(n) < 0.12))
    t_chase = t0[chase] + ((t_fr[chase] - t0[chase]) * rng.uniform(0.3, 0.9, chase.size)).astype(
        np.int64
    )
    parts.append(_ev(chase, t_chase, "customer_reply", -1, 0, 1))
    i = np.flatnonzero(has_re)
    parts.append(_ev(i, t_re[i], "assigned", a2[i], 0, 3))
    parts.append(_ev(tix, t_fr, "agent_reply", a2, 0, 4))

    # Rounds: alternating customer / agent replies between the first reply and the solve.
    rep = np.repeat(tix, 2 * rounds.astype(np.int64))
    u = rng.uniform(0.05, 0.93, rep.size)
    order = np.lexsort((u, rep))
    rep, u = rep[order], u[order]
    k = rank_in_group(rep)
    t_r = t_fr[rep] + (span[rep] * u).astype(np.int64)
    cust = k % 2 == 0
    parts.append(_ev(rep[cust], t_r[cust], "customer_reply", -1, tier_at(rep[cust], t_r[cust]), 5))
    ag = ~cust
    parts.append(
        _ev(
            rep[ag],
            t_r[ag],
            "agent_reply",
            agent_at(rep[ag], t_r[ag]),
            tier_at(rep[ag], t_r[ag]),
            5,
        )
    )
    note = np.flatnonzero(rng.random(n) < np.where(esc, 0.6, 0.15))
    t_n = t_fr[note] + (span[note] * rng.uniform(0.05, 0.95, note.size)).astype(np.int64)
    parts.append(_ev(note, t_n, "internal_note", agent_at(note, t_n), tier_at(note, t_n), 5))
    i = np.flatnonzero(esc)
    parts.append(_ev(i, t_e[i], "escalated", agent_at(i, t_e[i] - 1), esc_tier[i], 6))
    i = np.flatnonzero(esc_re)
    parts.append(_ev(i, t_sen[i], "assigned", senior[i], esc_tier[i], 7))
    i = np.flatnonzero(special)
    parts.append(_ev(i, t_to[i], "assigned", sp_person[i], tier_at(i, t_to[i]), 7))
    parts.append(_ev(tix, t_s, "solved", solver, tier_at(tix, t_s), 8))

    # Reopen after the solve, then another reply and solve.
    i = np.flatnonzero(reopen)
    t_ro = t_s[i] + np.clip(lognormal(rng, 20 * HOUR, 0.9, i.size), 30 * MINUTE, 10 * DAY).astype(
        np.int64
    )
    t_rr = t_ro + np.clip(lognormal(rng, 2 * HOUR, 0.8, i.size), 60, 3 * DAY).astype(np.int64)
    t_s2 = t_rr + np.clip(lognormal(rng, 6 * HOUR, 0.8, i.size), 300, 8 * DAY).astype(np.int64)
    tier_i = tier_at(i, t_s[i])
    parts.append(_ev(i, t_ro, "reopened", -1, tier_i, 9))
    parts.append(_ev(i, t_rr, "agent_reply", solver[i], tier_i, 10))
    parts.append(_ev(i, t_s2, "solved", solver[i], tier_i, 11))
    t_final = t_s.copy()
    t_final[i] = t_s2
    # A thank-you after the solve (not a follow-up) and the close a few days later.
    thx = np.flatnonzero(rng.random(n) < 0.05)
    t_thx = t_final[thx] + rng.integers(10 * MINUTE, DAY, thx.size)
    parts.append(_ev(thx, t_thx, "customer_reply", -1, tier_at(thx, t_s[thx]), 12))
    t_close = t_final + rng.integers(2 * DAY, 5 * DAY, n)
    closer = np.where(rng.random(n) < 0.3, solver, -1)
    close_tier = np.where(rng.random(n) < 0.3, -1, tier_at(tix, t_s))
    parts.append(_ev(tix, t_close, "closed", closer, close_tier, 13))

    ev = Events.concat(parts)
    ev = ev.take(np.flatnonzero(ev.t < win.end_s))

    # Some stuck tickets were put back in the queue (unassigned): no agent work afterwards.
    un = np.flatnonzero(stuck & (rng.random(n) < 0.1))
    t_un = t_fr[un] + rng.integers(DAY, 10 * DAY, un.size)
    keep_un = t_un < win.end_s
    un, t_un = un[keep_un], t_un[keep_un]
    un_at = np.full(n, np.iinfo(np.int64).max)
    un_at[un] = t_un
    agent_work = np.isin(ev.etype, [EV["agent_reply"], EV["internal_note"], EV["escalated"]])
    ev = ev.take(np.flatnonzero(~(agent_work & (ev.t > un_at[ev.ticket]))))
    ev = Events.concat([ev, _ev(un, t_un, "assigned", -1, 0, 14)])

    ev = _sort_events(ev, win)
    ev = _handover_leavers(ev, sim, win, org, rosters, rng)
    ev = _strictly_increasing(ev, win)
    ev.handle = _handle_seconds(ev, sim, win, org, rng)
    return ev


def _handover_leavers(
    ev: Events,
    sim: TicketSim,
    win: Window,
    org: Org,
    rosters: dict[str, Roster],
    rng: np.random.Generator,
) -> Events:
    """Reassign the open work of people who left: no activity after a termination date."""
    term = np.append(org.term_day, NO_DAY)  # index -1 -> no agent -> never terminated
    for _ in range(4):
        viol = (ev.agent >= 0) & (ev.t // DAY > term[ev.agent])
        if not viol.any():
            break
        vi = np.flatnonzero(viol)
        first = vi[group_starts(ev.ticket[vi])]
        tk, leaver = ev.ticket[first], ev.agent[first]
        lower = (term[leaver] + 1) * DAY
        h = np.maximum(lower, ev.t[first] - rng.integers(30, HOUR, first.size))
        new = pick_agent(
            rosters,
            ("stable", "route"),
            org,
            sim.team[tk].astype(np.int64),
            h // DAY - win.start_day,
            rng,
        )
        who = np.full(sim.n, -2, dtype=np.int64)
        since = np.zeros(sim.n, dtype=np.int64)
        repl = np.zeros(sim.n, dtype=np.int64)
        who[tk], since[tk], repl[tk] = leaver, h, new
        m = (ev.agent == who[ev.ticket]) & (ev.t >= since[ev.ticket])
        ev.agent[m] = repl[ev.ticket[m]]
        ev = Events.concat([ev, _ev(tk, h, "assigned", new, ev.tier[first], 14)])
        ev = _sort_events(ev, win)
    return ev


def _strictly_increasing(ev: Events, win: Window) -> Events:
    """Make the event times of each ticket strictly increasing (the first event stays)."""
    pos = rank_in_group(ev.ticket)
    rel = ev.t - win.start_s + DAY - pos + 64
    key = np.maximum.accumulate((ev.ticket << 38) | rel)
    ev.t = (key - (ev.ticket << 38)) + pos - 64 + win.start_s - DAY
    return ev.take(np.flatnonzero(ev.t < win.end_s))


def _handle_seconds(
    ev: Events, sim: TicketSim, win: Window, org: Org, rng: np.random.Generator
) -> np.ndarray:
    """Agent work time per event; -1 (null) for customer and system events."""
    n = len(ev.t)
    ag = np.maximum(ev.agent, 0)
    d = np.clip(ev.t // DAY - win.start_day, 0, win.n_days - 1)
    factor = org.speed[ag] * (1 + 0.8 * org.ramp[ag, d]) * lognormal(rng, 1.0, 0.45, n)
    reply_base = np.array([300, 360, 420, 300, 200])[sim.channel[ev.ticket]]
    base = np.select(
        [
            ev.etype == EV["agent_reply"],
            ev.etype == EV["internal_note"],
            ev.etype == EV["escalated"],
            ev.etype == EV["solved"],
            ev.etype == EV["assigned"],
        ],
        [reply_base, 90, 180, 60, 15],
        0,
    )
    handle = np.round(base * factor).astype(np.int64)
    null = (ev.agent < 0) | (base == 0)
    null |= (ev.etype == EV["assigned"]) & (rng.random(n) < 0.7)
    return np.where(null, -1, handle)


def ticket_outcomes(ev: Events, n: int) -> dict[str, np.ndarray]:
    """Final solve time and owner (agent of the solving event) of tickets closed at the end."""
    oc = np.isin(ev.etype, [EV["created"], EV["reopened"], EV["solved"], EV["closed"]])
    i = np.flatnonzero(oc)
    last = i[np.r_[ev.ticket[i][1:] != ev.ticket[i][:-1], True]]
    closed = np.zeros(n, dtype=bool)
    closed[ev.ticket[last]] = np.isin(ev.etype[last], [EV["solved"], EV["closed"]])
    s = np.flatnonzero(ev.etype == EV["solved"])
    s_last = s[np.r_[ev.ticket[s][1:] != ev.ticket[s][:-1], True]]
    solved_at = np.full(n, -1, dtype=np.int64)
    owner = np.full(n, -1, dtype=np.int64)
    solved_at[ev.ticket[s_last]] = ev.t[s_last]
    owner[ev.ticket[s_last]] = ev.agent[s_last]
    solved_at[~closed] = -1
    owner[~closed] = -1
    reopened = np.zeros(n, dtype=bool)
    reopened[ev.ticket[ev.etype == EV["reopened"]]] = True
    escalated = np.zeros(n, dtype=bool)
    escalated[ev.ticket[ev.etype == EV["escalated"]]] = True
    last_at = np.zeros(n, dtype=np.int64)
    ends = np.r_[ev.ticket[1:] != ev.ticket[:-1], True]
    last_at[ev.ticket[ends]] = ev.t[ends]
    return {
        "solved_at": solved_at,
        "owner": owner,
        "reopened": reopened,
        "escalated": escalated,
        "last_at": last_at,
    }


# --------------------------------------------------------------------------------------
# Table builders
# --------------------------------------------------------------------------------------


def accounts_table(acc: Accounts) -> pa.Table:
    return to_table(
        "accounts",
        {
            "account_id": pa.array(acc.ids),
            "account_name": pa.array(acc.names),
            "segment": take_str(SEGMENTS, acc.segment),
            "contract_tier": take_str(CONTRACT_TIERS, acc.tier),
            "arr": fmt_decimal(acc.arr, 2),
            "currency": take_str(("USD", "EUR", "GBP"), acc.currency),
            "contract_start": fmt_date(acc.start_day),
            "contract_end": fmt_date(acc.end_day, acc.end_day != NO_DAY),
        },
    )


def org_tables(org: Org) -> tuple[pa.Table, pa.Table, pa.Table, dict[str, np.ndarray]]:
    agents = to_table(
        "agents",
        {
            "agent_id": pa.array(org.ids),
            "full_name": pa.array(org.names),
            "email": pa.array(org.emails),
            "hire_date": fmt_date(org.hire_day),
            "termination_date": fmt_date(org.term_day, org.term_day != NO_DAY),
            "termination_reason": pa.array([p.reason for p in org.persons], type=pa.string()),
        },
    )
    rows: list[tuple[int, str, int, int, int]] = []
    for i, person in enumerate(org.persons):
        segs = sorted(person.segments)
        ends = [s[0] for s in segs[1:]] + [person.term + 1 if person.term != NO_DAY else NO_DAY]
        rows += [
            (i, role, team, start, end) for (start, role, team), end in zip(segs, ends, strict=True)
        ]
    person = np.array([r[0] for r in rows])
    team = np.array([r[2] for r in rows])
    start = np.array([r[3] for r in rows], dtype=np.int64)
    end = np.array([r[4] for r in rows], dtype=np.int64)
    roles = to_table(
        "agent_roles",
        {
            "agent_id": take_str(org.ids, person),
            "role": pa.array([r[1] for r in rows]),
            "team_id": take_str(org.team_ids, team),
            "valid_from": fmt_date(start),
            "valid_to": fmt_date(end, end != NO_DAY),
        },
    )
    teams = to_table(
        "teams",
        {
            "team_id": pa.array(org.team_ids),
            "team_name": pa.array(org.team_names),
            "manager_id": take_str(org.ids, np.array(org.team_manager)),
            "director_id": take_str(org.ids, np.array(org.team_director)),
        },
    )
    return agents, roles, teams, {"person": person, "start": start, "end": end}


def tickets_table(
    sim: TicketSim,
    acc: Accounts,
    org: Org,
    out: dict[str, np.ndarray],
    win: Window,
    rng: np.random.Generator,
) -> tuple[pa.Table, pa.Table]:
    """Current version of every ticket, plus older versions of ~3 % (re-exports)."""
    n = sim.n
    width = max(7, len(str(n)))
    ticket_id = fmt_ids("TK-", np.arange(1, n + 1), width)
    updated = np.minimum(out["last_at"] + rng.integers(0, 600, n), win.end_s - 1)
    updated = np.maximum(updated, sim.t0)
    unknown = np.array(["ACC-00000", "CRM-DELETED", "ACC-UNKNOWN"])
    acc_id = take_str(acc.ids, np.maximum(sim.account, 0))
    acc_id = pc.if_else(pa.array(sim.account == -2), take_str(unknown, np.arange(n) % 3), acc_id)
    acc_id = pc.if_else(pa.array(sim.account == -1), pa.scalar(None, pa.string()), acc_id)
    pad = pa.array((rng.random(n) < 0.003) & (sim.account >= 0))
    acc_id = pc.if_else(pad, pc.binary_join_element_wise(" ", acc_id, " ", ""), acc_id)
    family = rng.choice(len(PRIORITY_SPELLINGS), size=n, p=SPELLING_P)
    spellings = [s for fam in PRIORITY_SPELLINGS for s in fam]
    priority = decorate(take_str(spellings, family * 4 + sim.sev), rng, 0.03, 0.02)
    reason = decorate(take_str(sim.reasons, sim.reason), rng, 0.02, 0.015)
    subject = take_str(SUBJECTS, rng.integers(len(SUBJECTS), size=n))
    r = rng.random(n)
    email = acc.requester_email.take(pa.array(sim.requester))
    name = acc.requester_name.take(pa.array(sim.requester))
    subject = pc.if_else(
        pa.array(r < 0.1),
        pc.binary_join_element_wise(subject, " - contact me at ", email, ""),
        subject,
    )
    subject = pc.if_else(
        pa.array((r >= 0.1) & (r < 0.15)),
        pc.binary_join_element_wise(subject, " (", name, ")", ""),
        subject,
    )
    cols = {
        "ticket_id": ticket_id,
        "created_at": fmt_ts(sim.t0),
        "updated_at": fmt_ts(updated),
        "account_id": acc_id,
        "requester_id": fmt_ids("REQ-", sim.requester + 1, 7),
        "requester_email": email,
        "channel": take_str(CHANNELS, sim.channel),
        "priority": priority,
        "contact_reason": reason,
        "queue": take_str(org.team_queue, sim.team),
        "subject": subject,
    }
    current = to_table("tickets", cols)

    # Older versions: an earlier updated_at and a different priority or queue.
    span = updated - sim.t0
    old = np.flatnonzero((rng.random(n) < 0.03) & (span >= 2))
    old = np.concatenate([old, old[rng.random(old.size) < 0.3]])  # some have 2 older versions
    old.sort()
    prev = current.take(pa.array(old))
    u = rng.random(old.size)
    earlier = sim.t0[old] + (span[old] * rng.uniform(0, 0.999, old.size)).astype(np.int64)
    old_sev = np.where(sim.sev[old] == 3, 2, sim.sev[old] + 1)
    priority_old = pc.if_else(
        pa.array(u < 0.6),
        take_str(spellings, family[old] * 4 + old_sev),
        prev.column("priority").combine_chunks(),
    )
    queue_old = pc.if_else(
        pa.array(u >= 0.4), pa.scalar("triage"), prev.column("queue").combine_chunks()
    )
    names = prev.column_names
    prev = prev.set_column(names.index("updated_at"), "updated_at", fmt_ts(earlier))
    prev = prev.set_column(names.index("priority"), "priority", priority_old)
    older = prev.set_column(names.index("queue"), "queue", queue_old)
    return current, older


def events_table(ev: Events, sim: TicketSim, org: Org, rng: np.random.Generator) -> pa.Table:
    """Events in time order (as an incremental export delivers them)."""
    order = np.lexsort((ev.order, ev.ticket, ev.t))
    ev = ev.take(order)
    n = len(ev.t)
    width = max(8, len(str(n)))
    cust = ev.etype == EV["customer_reply"]
    event_at = fmt_ts(ev.t)
    ci = np.flatnonzero(cust)
    if ci.size:
        mixed = with_offsets(ev.t[ci], 0.05, rng)
        mask = np.zeros(n, dtype=bool)
        mask[ci] = True
        event_at = pc.replace_with_mask(event_at, pa.array(mask), mixed)
    return to_table(
        "ticket_events",
        {
            "event_id": fmt_ids("EV-", np.arange(1, n + 1), width),
            "ticket_id": fmt_ids("TK-", ev.ticket + 1, max(7, len(str(sim.n)))),
            "event_at": event_at,
            "event_type": take_str(EVENT_TYPES, ev.etype),
            "agent_id": take_str(org.ids, ev.agent),
            "tier": take_str(TIERS, ev.tier),
            "handle_seconds": fmt_int(ev.handle, ev.handle >= 0),
        },
    )


def _comments(
    rng: np.random.Generator, n: int, good: np.ndarray, p: float, names: pa.Array, emails: pa.Array
) -> pa.Array:
    """Free-text comments; some carry personal data (a name or an e-mail address)."""
    pos = take_str(CSAT_COMMENTS_GOOD, rng.integers(len(CSAT_COMMENTS_GOOD), size=n))
    neg = take_str(CSAT_COMMENTS_BAD, rng.integers(len(CSAT_COMMENTS_BAD), size=n))
    text = pc.if_else(pa.array(good), pos, neg)
    r = rng.random(n)
    text = pc.if_else(
        pa.array(r < 0.1), pc.binary_join_element_wise(text, " Reach me at ", emails, ""), text
    )
    text = pc.if_else(
        pa.array((r >= 0.1) & (r < 0.15)), pc.binary_join_element_wise(text, " - ", names, ""), text
    )
    return pc.if_else(pa.array(rng.random(n) < p), text, pa.scalar(None, pa.string()))


def surveys_table(
    sim: TicketSim,
    out: dict[str, np.ndarray],
    acc: Accounts,
    org: Org,
    win: Window,
    rng: np.random.Generator,
) -> tuple[pa.Table, int]:
    """CSAT and CES per solved ticket, NPS per account and quarter."""
    solved = np.flatnonzero(out["solved_at"] >= 0)
    owner = out["owner"][solved]
    dclip = np.clip(out["solved_at"][solved] // DAY - win.start_day, 0, win.n_days - 1)
    q = org.quality[owner] - 2.5 * org.ramp[owner, dclip]
    res_h = (out["solved_at"][solved] - sim.t0[solved]) / HOUR
    late = res_h > RESOLUTION_TARGET_H[sim.sev[solved]]
    rounds = sim.rounds[solved]
    reop, esc = out["reopened"][solved], out["escalated"][solved]
    expected = np.array([0.7, 3.5, 9.0, 20.0])[sim.sev[solved]]
    slowness = np.log(np.maximum(res_h, 0.05) / expected)
    m = len(solved)
    parts: list[dict[str, np.ndarray]] = []

    # CSAT (1-5)
    latent = (
        1.4
        + 0.5 * np.clip(q, -2.5, 2.5)
        - 1.1 * late
        - 0.35 * rounds
        - 0.9 * reop
        - 0.35 * esc
        - 0.15 * np.clip(slowness, -2, 3)
        + rng.normal(0, 0.9, m)
    )
    csat = np.digitize(latent, [-1.0, -0.3, 0.3, 0.9]) + 1
    pick = rng.random(m) < 0.2
    resp = out["solved_at"][solved] + np.clip(
        lognormal(rng, 5 * HOUR, 1.2, m), 5 * MINUTE, 6 * DAY
    ).astype(np.int64)
    parts.append(
        {
            "type": np.zeros(pick.sum(), np.int8),
            "ticket": solved[pick],
            "score": csat[pick],
            "at": resp[pick],
        }
    )
    # a few tickets with two CSAT responses: an earlier one with another score
    two = pick & (rng.random(m) < 0.03)
    earlier = np.maximum(
        out["solved_at"][solved][two] + 60, resp[two] - rng.integers(HOUR, 2 * DAY, two.sum())
    )
    parts.append(
        {
            "type": np.zeros(two.sum(), np.int8),
            "ticket": solved[two],
            "score": np.clip(csat[two] + rng.choice([-2, -1, 1], two.sum()), 1, 5),
            "at": earlier,
        }
    )
    superseded = int(two.sum())
    # CES (1-7)
    ces = np.clip(
        np.round(5.6 + 0.3 * q - 0.7 * rounds - 1.0 * reop - 0.8 * late + rng.normal(0, 1.1, m)),
        1,
        7,
    )
    pick = rng.random(m) < 0.08
    resp2 = out["solved_at"][solved] + np.clip(
        lognormal(rng, 8 * HOUR, 1.0, m), 10 * MINUTE, 6 * DAY
    ).astype(np.int64)
    parts.append(
        {
            "type": np.full(pick.sum(), 2, np.int8),
            "ticket": solved[pick],
            "score": ces[pick].astype(np.int64),
            "at": resp2[pick],
        }
    )

    # NPS per account and quarter-ish (every 3 months of the window).
    n_acc = len(acc.ids)
    known = sim.account[solved] >= 0
    cnt = np.bincount(sim.account[solved][known], minlength=n_acc)
    bad = np.bincount(
        sim.account[solved][known], weights=late[known] | reop[known], minlength=n_acc
    )
    late_rate = np.where(cnt > 0, bad / np.maximum(cnt, 1), 0.1)
    acc_mood = rng.normal(0, 0.8, n_acc) - 6.0 * (late_rate - late_rate.mean())
    lam = np.select([acc.segment == 0, acc.segment == 1], [2.0, 1.2], 0.6)
    nps_t, nps_a, nps_s = [], [], []
    for q0 in range(0, win.n_months, 3):
        lo = int(win.month_starts[q0])
        hi = int(win.month_starts[min(q0 + 3, win.n_months)])
        k = rng.poisson(lam)
        a = np.repeat(np.arange(n_acc), k)
        lo_a = np.maximum(lo, acc.start_day[a])
        hi_a = np.minimum(hi, acc.end_day[a] + 1)
        ok = hi_a > lo_a
        a, lo_a, hi_a = a[ok], lo_a[ok], hi_a[ok]
        at = lo_a * DAY + (rng.random(a.size) * (hi_a - lo_a) * DAY).astype(np.int64)
        score = np.clip(np.round(8.2 + 1.4 * acc_mood[a] + rng.normal(0, 1.6, a.size)), 0, 10)
        nps_t.append(at)
        nps_a.append(a)
        nps_s.append(score.astype(np.int64))
    nps_at = np.concatenate(nps_t)
    keep = nps_at < win.end_s
    parts.append(
        {
            "type": np.ones(int(keep.sum()), np.int8),
            "ticket": np.full(int(keep.sum()), -1),
            "score": np.concatenate(nps_s)[keep],
            "at": nps_at[keep],
            "account": np.concatenate(nps_a)[keep],
        }
    )

    stype = np.concatenate([p["type"] for p in parts])
    ticket = np.concatenate([p["ticket"] for p in parts]).astype(np.int64)
    score = np.concatenate([p["score"] for p in parts]).astype(np.int64)
    at = np.concatenate([p["at"] for p in parts]).astype(np.int64)
    account = np.concatenate(
        [p.get("account", np.where(p["ticket"] >= 0, sim.account[p["ticket"]], -1)) for p in parts]
    )
    keep = at < win.end_s
    stype, ticket, score, at, account = (
        stype[keep],
        ticket[keep],
        score[keep],
        at[keep],
        account[keep],
    )
    order = np.argsort(at, kind="stable")
    stype, ticket, score, at, account = (
        stype[order],
        ticket[order],
        score[order],
        at[order],
        account[order],
    )
    n = len(at)
    positive = np.where(stype == 1, score >= 8, np.where(stype == 2, score >= 5, score >= 4))
    req = np.where(ticket >= 0, sim.requester[np.maximum(ticket, 0)], 0)
    comment = _comments(
        rng,
        n,
        positive,
        0.3,
        acc.requester_name.take(pa.array(req)),
        acc.requester_email.take(pa.array(req)),
    )
    nps_comment = take_str(NPS_COMMENTS, rng.integers(len(NPS_COMMENTS), size=n))
    nps_comment = pc.if_else(
        pa.array(rng.random(n) < 0.3), nps_comment, pa.scalar(None, pa.string())
    )
    comment = pc.if_else(pa.array(stype == 1), nps_comment, comment)
    tkw = max(7, len(str(sim.n)))
    table = to_table(
        "surveys",
        {
            "response_id": fmt_ids("SR-", np.arange(1, n + 1), 7),
            "survey_type": take_str(("csat", "nps", "ces"), stype),
            "ticket_id": fmt_ids("TK-", ticket + 1, tkw, ticket >= 0),
            "account_id": take_str(acc.ids, np.where(account >= 0, account, -1)),
            "score": fmt_int(score),
            "responded_at": with_offsets(at, 0.05, rng),
            "comment": comment,
        },
    )
    return table, superseded


def qa_table(
    sim: TicketSim, out: dict[str, np.ndarray], org: Org, win: Window, rng: np.random.Generator
) -> pa.Table:
    """About four evaluations per frontline agent and month, of tickets they solved."""
    solved = np.flatnonzero(out["owner"] >= 0)
    owner = out["owner"][solved]
    sday = out["solved_at"][solved] // DAY - win.start_day
    frontline = org.frontline[owner, np.clip(sday, 0, win.n_days - 1)]
    solved, owner, sday = solved[frontline], owner[frontline], sday[frontline]
    month = win.month_of_day(sday)
    key = owner.astype(np.int64) * 1000 + month
    order = np.lexsort((rng.random(len(key)), key))
    solved, owner, sday, key = solved[order], owner[order], sday[order], key[order]
    first = group_starts(key)
    group = np.cumsum(first) - 1
    quota = rng.poisson(4.0, int(first.sum()))
    sel = rank_in_group(key) < quota[group]
    solved, owner, sday = solved[sel], owner[sel], sday[sel]
    eday = sday + rng.integers(1, 11, len(sday))
    at = (win.start_day + eday) * DAY + rng.integers(9 * HOUR, 17 * HOUR, len(eday))
    ok = (at < win.end_s) & (win.start_day + eday <= org.term_day[owner])
    solved, owner, eday, at = solved[ok], owner[ok], eday[ok], at[ok]
    ed = np.clip(eday, 0, win.n_days - 1)
    team = org.team_on[owner, ed]
    team = np.where(team >= 0, team, sim.team[solved])
    evaluator = org.lead_on[team, ed]
    q = org.quality[owner] - 2.5 * org.ramp[owner, np.clip(sday[ok], 0, win.n_days - 1)]
    score = np.clip(np.round((82 + 6 * q + rng.normal(0, 7, len(q))) * 2) / 2, 20, 100)
    order = np.argsort(at, kind="stable")
    n = len(at)
    return to_table(
        "qa_evaluations",
        {
            "evaluation_id": fmt_ids("QA-", np.arange(1, n + 1), 6),
            "agent_id": take_str(org.ids, owner[order]),
            "ticket_id": fmt_ids("TK-", solved[order] + 1, max(7, len(str(sim.n)))),
            "evaluated_at": with_offsets(at[order], 0.05, rng),
            "score": fmt_decimal(score[order], 1),
            "evaluator_id": take_str(org.ids, evaluator[order]),
        },
    )


# Shift template (minutes from shift start): work, break, work, lunch, work, work/meeting/
# training, break, work.
_SHIFT_BOUNDS = np.array([0, 120, 135, 240, 270, 330, 390, 405, 510])
_SHIFT_ACTS = np.array([0, 1, 0, 2, 0, 0, 1, 0])


@dataclass
class Intervals:
    person: np.ndarray
    start: np.ndarray
    end: np.ndarray
    code: np.ndarray


def _merge_runs(iv: Intervals, group: np.ndarray) -> tuple[Intervals, np.ndarray]:
    """Merge adjacent intervals of one group with the same code; also returns run starts."""
    same = np.zeros(len(iv.start), dtype=bool)
    same[1:] = (
        (group[1:] == group[:-1]) & (iv.code[1:] == iv.code[:-1]) & (iv.start[1:] == iv.end[:-1])
    )
    first = np.flatnonzero(~same)
    last = np.r_[first[1:] - 1, len(iv.start) - 1]
    return Intervals(iv.person[first], iv.start[first], iv.end[last], iv.code[first]), first


def build_schedules(
    org: Org, win: Window, rng: np.random.Generator
) -> tuple[Intervals, np.ndarray]:
    """Planned segments per frontline agent and working day."""
    n_people, n_days = org.role_on.shape
    days = win.start_day + np.arange(n_days)
    wd = weekday(days)
    pattern_days = np.stack([wd < 5, (wd >= 1) & (wd <= 5), (wd == 6) | (wd <= 3)])
    works = org.frontline & pattern_days[org.work_pattern]
    # one week of vacation per person, plus scattered single days off
    vac = rng.integers(0, max(1, n_days - 7), n_people)
    off = (np.arange(n_days)[None, :] >= vac[:, None]) & (
        np.arange(n_days)[None, :] < vac[:, None] + 7
    )
    off |= rng.random((n_people, n_days)) < 0.03
    p_idx, d_idx = np.nonzero(works)
    n_pd = len(p_idx)
    shift0 = (win.start_day + d_idx) * DAY + (
        org.team_shift_min[org.team_on[p_idx, d_idx]] + org.shift_offset[p_idx]
    ) * MINUTE
    acts = np.tile(_SHIFT_ACTS, (n_pd, 1))
    r = rng.random(n_pd)
    acts[r < 0.07, 5] = ACT["meeting"]
    acts[(r >= 0.07) & (r < 0.11), 5] = ACT["training"]
    tenure = win.start_day + d_idx - org.hire_day[p_idx]
    acts[tenure < 14] = np.where(np.isin(_SHIFT_ACTS, [1, 2]), _SHIFT_ACTS, ACT["training"])
    acts[off[p_idx, d_idx]] = ACT["time_off"]
    starts = shift0[:, None] + _SHIFT_BOUNDS[None, :-1] * MINUTE
    ends = shift0[:, None] + _SHIFT_BOUNDS[None, 1:] * MINUTE
    pd_id = np.repeat(np.arange(n_pd), 8)
    iv = Intervals(np.repeat(p_idx, 8), starts.ravel(), ends.ravel(), acts.ravel())
    order = np.lexsort((iv.start, iv.person))
    iv = Intervals(iv.person[order], iv.start[order], iv.end[order], iv.code[order])
    pd_id = pd_id[order]
    merged, first = _merge_runs(iv, pd_id)
    return merged, pd_id[first]


def build_states(
    sched: Intervals, pd_id: np.ndarray, org: Org, rng: np.random.Generator
) -> Intervals:
    """Actual states that follow the schedule with imperfect adherence."""
    keep = sched.code != ACT["time_off"]
    no_show = rng.random(int(pd_id.max()) + 1 if len(pd_id) else 0) < 0.01
    keep &= ~no_show[pd_id]
    p, s, e, a, g = (
        sched.person[keep],
        sched.start[keep],
        sched.end[keep],
        sched.code[keep],
        pd_id[keep],
    )
    n = len(s)
    length = (e - s).astype(np.float64)
    first = group_starts(g)
    last = np.r_[g[1:] != g[:-1], True]
    prev_len = np.r_[length[0] if n else 0, length[:-1]]
    prev_act = np.r_[0, a[:-1]]
    lim = 0.45 * np.minimum(length, np.where(first, length, prev_len))
    late = np.where(rng.random(n) < 0.08, rng.uniform(5, 25, n), rng.exponential(org.late_mean[p]))
    overrun = rng.exponential(org.overrun_mean[p]) + (rng.random(n) < 0.06) * rng.uniform(5, 20, n)
    jitter = (
        np.select(
            [first, np.isin(prev_act, [1, 2]), np.isin(a, [1, 2])],
            [late, overrun, rng.uniform(-3, 3, n)],
            rng.uniform(-1, 1, n),
        )
        * MINUTE
    )
    jitter = np.clip(jitter, -lim * 1.0, lim).astype(np.int64)
    a_start = s + jitter
    end_jit = np.where(rng.random(n) < 0.2, -rng.uniform(1, 12, n), rng.uniform(0, 6, n)) * MINUTE
    end_jit = np.clip(end_jit, -0.45 * length, 0.45 * length).astype(np.int64)
    a_end = np.where(last, e + end_jit, np.r_[a_start[1:], 0])
    # work segments are split into a few on_contact / after_contact / available / offline chunks
    work = a == ACT["work"]
    n_chunks = np.where(
        work, np.clip(np.round(length / MINUTE / 35 + rng.uniform(-1, 1, n)), 1, 6), 1
    )
    n_chunks = n_chunks.astype(np.int64)
    seg = np.repeat(np.arange(n), n_chunks)
    u = rng.random(len(seg))
    k = rank_in_group(seg)
    u[k == 0] = 0.0
    order = np.lexsort((u, seg))
    u = u[order]
    c_start = a_start[seg] + (u * (a_end[seg] - a_start[seg])).astype(np.int64)
    is_last = np.r_[seg[1:] != seg[:-1], True]
    c_end = np.where(is_last, a_end[seg], np.r_[c_start[1:], 0])
    roll = rng.random(len(seg))
    work_state = np.select(
        [roll < org.p_offline[p[seg]], roll < 0.27, roll < 0.8],
        [ST["offline"], ST["available"], ST["on_contact"]],
        ST["after_contact"],
    )
    other = np.array([0, ST["break"], ST["lunch"], ST["training"], ST["meeting"], ST["offline"]])
    state = np.where(work[seg], work_state, other[a[seg]])
    iv = Intervals(p[seg], c_start, c_end, state)
    ok = iv.end > iv.start
    iv = Intervals(iv.person[ok], iv.start[ok], iv.end[ok], iv.code[ok])
    return _merge_runs(iv, iv.person)[0]


def intervals_table(name: str, iv: Intervals, org: Org, vocab: tuple[str, ...]) -> pa.Table:
    cols = TABLE_COLUMNS[name]
    return to_table(
        name,
        {
            cols[0]: take_str(org.ids, iv.person),
            cols[1]: fmt_ts(iv.start),
            cols[2]: fmt_ts(iv.end),
            cols[3]: take_str(vocab, iv.code),
        },
    )


def costs_table(org: Org, win: Window, rng: np.random.Generator) -> pa.Table:
    """Monthly labour and tooling per team, shared lines, and one credit."""
    salary = {"USD": 5400.0, "EUR": 4700.0, "GBP": 4100.0}
    lead_salary = {"USD": 7600.0, "EUR": 6600.0, "GBP": 5800.0}
    seat = {"USD": 115.0, "EUR": 105.0, "GBP": 92.0}
    rows: list[tuple[int, int, str, float, str]] = []
    credit_month = win.n_months // 2
    for m in range(win.n_months):
        lo = int(win.month_starts[m]) - win.start_day
        hi = int(win.month_starts[m + 1]) - win.start_day
        month_day = int(win.month_starts[m]) if m else _first_of_month(win.start_day)
        for t in range(org.n_teams):
            cur = org.team_currency[t]
            fte = float(((org.team_on[:, lo:hi] == t) & org.frontline[:, lo:hi]).sum()) / (hi - lo)
            labour = (fte * salary[cur] + lead_salary[cur]) * rng.uniform(0.98, 1.03)
            rows.append((month_day, t, "labour", labour, cur))
            rows.append((month_day, t, "tooling", np.ceil(fte + 1) * seat[cur], cur))
        rows.append((month_day, -1, "facilities", 18000 * rng.uniform(0.97, 1.05), "USD"))
        rows.append((month_day, -1, "tooling", 12500.0, "USD"))
        if m in org.slow_months:
            rows.append((month_day, -1, "outsourcing", rng.uniform(22000, 30000), "USD"))
        elif rng.random() < 0.25:
            rows.append((month_day, -1, "outsourcing", rng.uniform(6000, 9000), "USD"))
        if m % 3 == 0:
            rows.append((month_day, -1, "other", rng.uniform(3000, 5000), "USD"))
        if m == credit_month:
            rows.append((month_day, -1, "tooling", -4500.0, "USD"))
    team = np.array([r[1] for r in rows])
    return to_table(
        "costs",
        {
            "cost_month": fmt_date(np.array([r[0] for r in rows])),
            "team_id": take_str(org.team_ids, team),
            "category": pa.array([r[2] for r in rows]),
            "amount": fmt_decimal(np.array([r[3] for r in rows]), 2),
            "currency": pa.array([r[4] for r in rows]),
        },
    )


def _first_of_month(epoch_day: int) -> int:
    d = date.fromordinal(EPOCH.toordinal() + epoch_day)
    return (date(d.year, d.month, 1) - EPOCH).days


# --------------------------------------------------------------------------------------
# Bad rows and duplicates
# --------------------------------------------------------------------------------------

Row = dict[str, str | None]


@dataclass
class Variant:
    """One way of breaking a row: its class, the column it breaks, its templates."""

    cls: str
    column: str
    pool: np.ndarray  # template row indices in the good table
    apply: Callable[[Row, int], None]  # mutates the copied template row (gets its index)


def _set(column: str, value: str | None) -> Callable[[Row, int], None]:
    def apply(row: Row, _: int) -> None:
        row[column] = value

    return apply


def make_bad_rows(
    good: pa.Table,
    variants: list[Variant],
    n_total: int,
    fresh_key: Callable[[Row, int], None] | None,
    rng: np.random.Generator,
) -> tuple[pa.Table, dict[str, int], dict[str, dict[str, int]]]:
    """EXTRA rows breaking one rule each; at least one per class, cyclic over variants.

    ``n_total`` <= 0 (a bad-row rate of 0) gives no bad rows at all.
    """
    classes = list(dict.fromkeys(v.cls for v in variants))
    if n_total <= 0:
        return good.schema.empty_table(), {}, {}
    n_total = max(n_total, len(classes))
    counts = 1 + rng.multinomial(n_total - len(classes), np.full(len(classes), 1 / len(classes)))
    chosen: list[Variant] = []
    for cls, count in zip(classes, counts, strict=True):
        vs = [v for v in variants if v.cls == cls]
        offset = int(rng.integers(len(vs)))
        chosen += [vs[(offset + j) % len(vs)] for j in range(int(count))]
    tidx = np.array([int(v.pool[rng.integers(len(v.pool))]) for v in chosen], dtype=np.int64)
    templates = good.take(pa.array(tidx)).to_pylist() if len(tidx) else []
    by_column: dict[str, dict[str, int]] = {}
    for k, (v, row, ti) in enumerate(zip(chosen, templates, tidx, strict=True)):
        if fresh_key is not None:
            fresh_key(row, k)
        v.apply(row, int(ti))
        by_column.setdefault(v.cls, {}).setdefault(v.column, 0)
        by_column[v.cls][v.column] += 1
    table = pa.Table.from_pylist(templates, schema=good.schema)
    return table, dict(zip(classes, map(int, counts), strict=True)), by_column


def place_rows(
    good: pa.Table, extras: list[tuple[pa.Table, np.ndarray | None]], rng: np.random.Generator
) -> pa.Table:
    """Insert extra rows at random positions; ``after`` forces a row after a good row."""
    n = good.num_rows
    keys = [np.arange(n, dtype=np.float64)]
    for table, after in extras:
        lo = np.full(table.num_rows, -1.0) if after is None else after.astype(np.float64)
        keys.append(lo + (n - lo) * rng.random(table.num_rows))
    order = np.argsort(np.concatenate(keys), kind="stable")
    return pa.concat_tables([good, *(t for t, _ in extras)]).take(pa.array(order))


def duplicate_rows(
    good: pa.Table,
    share: float,
    change: Callable[[Row, int], None] | None,
    rng: np.random.Generator,
) -> tuple[pa.Table, np.ndarray]:
    """Copies of good rows (same key), some with changed content; placed after the original."""
    n_dup = max(1, round(share * good.num_rows))
    idx = np.sort(rng.choice(good.num_rows, size=min(n_dup, good.num_rows), replace=False))
    rows = good.take(pa.array(idx)).to_pylist()
    if change is not None:
        for k, row in enumerate(rows):
            if rng.random() < 0.4:
                change(row, k)
    return pa.Table.from_pylist(rows, schema=good.schema), idx


def _gap_templates(iv: Intervals) -> np.ndarray:
    """Rows followed by at least 3 h without any interval of the same person."""
    nxt_same = np.r_[iv.person[1:] == iv.person[:-1], False]
    nxt_start = np.r_[iv.start[1:], np.iinfo(np.int64).max]
    gap = np.where(nxt_same, nxt_start - iv.end, np.iinfo(np.int64).max)
    return np.flatnonzero(gap >= 3 * HOUR)


def interval_bad_variants(name: str, iv: Intervals, bad_value: str, min_len: int) -> list[Variant]:
    """Bad rows of schedules / agent_states: in a gap of the person, or inside one interval."""
    c_agent, c_start, c_end, c_code = TABLE_COLUMNS[name]
    gap = _gap_templates(iv)
    inside = np.flatnonzero(iv.end - iv.start >= min_len)

    def in_gap(start_off: int, end_off: int) -> Callable[[Row, int], None]:
        def apply(row: Row, i: int) -> None:
            row[c_start] = fmt_ts(np.array([iv.end[i] + start_off]))[0].as_py()
            row[c_end] = fmt_ts(np.array([iv.end[i] + end_off]))[0].as_py()

        return apply

    def then(*fns: Callable[[Row, int], None]) -> Callable[[Row, int], None]:
        def apply(row: Row, i: int) -> None:
            for fn in fns:
                fn(row, i)

        return apply

    def overlap(row: Row, i: int) -> None:
        third = (iv.end[i] - iv.start[i]) // 3
        row[c_start] = fmt_ts(np.array([iv.start[i] + third]))[0].as_py()
        row[c_end] = fmt_ts(np.array([iv.start[i] + 2 * third]))[0].as_py()

    g = in_gap(2 * HOUR, 2 * HOUR + 30 * MINUTE)
    return [
        Variant("missing_required", c_agent, gap, then(g, _set(c_agent, None))),
        Variant("missing_required", c_start, gap, then(g, _set(c_start, None))),
        Variant("missing_required", c_end, gap, then(g, _set(c_end, ""))),
        Variant("missing_required", c_code, gap, then(g, _set(c_code, None))),
        Variant("invalid_type", c_start, gap, then(g, _set(c_start, "not-a-date"))),
        Variant("invalid_type", c_end, gap, then(g, _set(c_end, "2026-02-30T17:00:00"))),
        Variant("not_allowed", c_code, gap, then(g, _set(c_code, bad_value))),
        Variant("end_not_after_start", c_end, gap, in_gap(2 * HOUR, 2 * HOUR)),
        Variant("end_not_after_start", c_end, gap, in_gap(2 * HOUR, HOUR + 30 * MINUTE)),
        Variant("overlap", c_start, inside, overlap),
    ]


# (class, broken column, written value, template pool) of the bad rows that replace one
# value of a copied good row. Fresh keys keep them apart from the good rows.
BAD_VALUES: dict[str, list[tuple[str, str, str | None, str]]] = {
    "accounts": [
        ("missing_required", "account_id", None, "all"),
        ("missing_required", "arr", None, "all"),
        ("missing_required", "contract_start", "", "all"),
        ("invalid_type", "arr", "12.5x", "all"),
        ("invalid_type", "contract_start", "2026-02-30", "all"),
        ("invalid_type", "contract_end", "not-a-date", "all"),
        ("not_allowed", "segment", "giant", "all"),
        ("not_allowed", "contract_tier", "gold", "all"),
        ("out_of_range", "arr", "-1500.00", "all"),
    ],
    "agents": [
        ("missing_required", "agent_id", None, "all"),
        ("missing_required", "hire_date", None, "all"),
        ("invalid_type", "hire_date", "not-a-date", "all"),
        ("invalid_type", "termination_date", "2026-02-30", "all"),
    ],
    "agent_roles": [  # rows of persons without any other role row ("ghosts")
        ("missing_required", "agent_id", None, "frontline"),
        ("missing_required", "valid_from", None, "frontline"),
        ("missing_required", "role", "", "frontline"),
        ("invalid_type", "valid_from", "not-a-date", "frontline"),
        ("invalid_type", "valid_to", "2026-02-30", "frontline"),
        ("not_allowed", "role", "ceo", "frontline"),
        ("unknown_team", "team_id", "T99", "frontline"),
    ],
    "teams": [
        ("missing_required", "team_id", None, "all"),
        ("missing_required", "manager_id", None, "all"),
        ("missing_required", "director_id", "", "all"),
    ],
    "tickets": [
        ("missing_required", "ticket_id", None, "all"),
        ("missing_required", "created_at", None, "all"),
        ("missing_required", "updated_at", "", "all"),
        ("missing_required", "requester_id", None, "all"),
        ("invalid_type", "created_at", "not-a-date", "all"),
        ("invalid_type", "updated_at", "2026-02-30T10:00:00", "all"),
        ("not_allowed", "channel", "fax", "all"),
        ("not_allowed", "priority", "p9", "all"),
    ],
    "ticket_events": [
        ("missing_required", "event_id", None, "all"),
        ("missing_required", "ticket_id", None, "all"),
        ("missing_required", "event_at", "", "all"),
        ("missing_required", "event_type", None, "all"),
        ("invalid_type", "event_at", "not-a-date", "all"),
        ("invalid_type", "event_at", "2026-02-30T09:00:00", "all"),
        ("invalid_type", "handle_seconds", "12.5", "agent"),
        ("invalid_type", "handle_seconds", "abc", "agent"),
        ("not_allowed", "event_type", "merged", "all"),
        ("not_allowed", "tier", "t9", "all"),
        ("out_of_range", "handle_seconds", "-30", "agent"),
        ("unknown_ticket", "ticket_id", "TK-Z9999999", "all"),
    ],
    "surveys": [
        ("missing_required", "response_id", None, "all"),
        ("missing_required", "responded_at", None, "all"),
        ("missing_required", "ticket_id", None, "csat"),
        ("missing_required", "account_id", None, "nps"),
        ("missing_required", "survey_type", "", "all"),
        ("invalid_type", "score", "abc", "all"),
        ("invalid_type", "score", "4.5", "csat"),
        ("invalid_type", "responded_at", "not-a-date", "all"),
        ("not_allowed", "survey_type", "xyz", "all"),
        ("out_of_range", "score", "6", "csat"),
        ("out_of_range", "score", "11", "nps"),
        ("out_of_range", "score", "0", "ces"),
        ("unknown_ticket", "ticket_id", "TK-Z8888888", "csat"),
    ],
    "qa_evaluations": [
        ("missing_required", "evaluation_id", None, "all"),
        ("missing_required", "agent_id", None, "all"),
        ("missing_required", "evaluated_at", "", "all"),
        ("missing_required", "score", None, "all"),
        ("invalid_type", "score", "12.5x", "all"),
        ("invalid_type", "evaluated_at", "2026-02-30T10:00:00", "all"),
        ("out_of_range", "score", "120", "all"),
        ("out_of_range", "score", "-5", "all"),
        ("unknown_ticket", "ticket_id", "TK-Z7777777", "all"),
    ],
    "costs": [
        ("missing_required", "cost_month", None, "all"),
        ("missing_required", "amount", "", "all"),
        ("missing_required", "currency", None, "all"),
        ("missing_required", "category", None, "all"),
        ("invalid_type", "amount", "12.5x", "all"),
        ("invalid_type", "cost_month", "2026-02-30", "all"),
        ("not_allowed", "category", "bribes", "all"),
        ("unknown_team", "team_id", "T99", "all"),
        ("no_fx_rate", "currency", "JPY", "all"),
    ],
}
# Bad rows get fresh keys so that they never compete with a good row of the same key.
FRESH_KEYS = {
    "accounts": ("account_id", "ACC-B"),
    "agents": ("agent_id", "AX"),
    "agent_roles": ("agent_id", "AG"),
    "teams": ("team_id", "TX"),
    "tickets": ("ticket_id", "TK-X"),
    "ticket_events": ("event_id", "EV-X"),
    "surveys": ("response_id", "SR-X"),
    "qa_evaluations": ("evaluation_id", "QA-X"),
}


@dataclass
class TableOutput:
    table: pa.Table
    rejected: dict[str, int]
    rejected_by_column: dict[str, dict[str, int]]
    duplicates: dict[str, int]

    def report(self) -> dict[str, object]:
        return {
            "rows": self.table.num_rows,
            "rejected": self.rejected,
            "rejected_total": sum(self.rejected.values()),
            "rejected_by_column": self.rejected_by_column,
            "duplicates": self.duplicates,
        }


def _fresh(column: str, prefix: str) -> Callable[[Row, int], None]:
    def apply(row: Row, k: int) -> None:
        row[column] = f"{prefix}{k + 1:05d}"

    return apply


def n_bad(rate: float, rows: float) -> int:
    """Bad rows for a table: its share, at least one (per class) unless the rate is 0."""
    return 0 if rate <= 0 else max(1, round(rate * rows))


def finish_table(
    name: str,
    good: pa.Table,
    rate: float,
    rng: np.random.Generator,
    pools: dict[str, np.ndarray] | None = None,
    variants: list[Variant] | None = None,
    dup_share: float = 0.0,
    dup_change: Callable[[Row, int], None] | None = None,
    extra: dict[str, tuple[pa.Table, np.ndarray | None]] | None = None,
) -> TableOutput:
    """Good rows + duplicates + extra versions + bad rows, mixed into one file order."""
    pools = {"all": np.arange(good.num_rows), **(pools or {})}
    variants = [
        Variant(cls, col, pools[pool], _set(col, value))
        for cls, col, value, pool in BAD_VALUES.get(name, [])
    ] + (variants or [])
    extras: list[tuple[pa.Table, np.ndarray | None]] = []
    duplicates: dict[str, int] = {}
    if dup_share > 0:
        dup, after = duplicate_rows(good, dup_share, dup_change, rng)
        extras.append((dup, after))
        duplicates["repeated_key"] = dup.num_rows
    for label, (table, after) in (extra or {}).items():
        extras.append((table, after))
        duplicates[label] = table.num_rows
    fresh = _fresh(*FRESH_KEYS[name]) if name in FRESH_KEYS else None
    bad, counts, by_column = make_bad_rows(good, variants, n_bad(rate, good.num_rows), fresh, rng)
    extras.append((bad, None))
    return TableOutput(place_rows(good, extras, rng), counts, by_column, duplicates)


def finish_agent_roles(
    roles: pa.Table, idx: dict[str, np.ndarray], win: Window, rate: float, rng: np.random.Generator
) -> TableOutput:
    """Role rows of ghost persons breaking one rule, plus periods overlapping a real one."""
    role = np.array(roles.column("role").to_pylist())
    frontline = np.flatnonzero(np.isin(role, ["agent", "senior_agent"]))
    end = np.where(idx["end"] == NO_DAY, win.start_day + win.n_days, idx["end"])
    length = end - idx["start"]

    def to_same_day(row: Row, _: int) -> None:
        row["valid_to"] = row["valid_from"]

    def to_before(row: Row, i: int) -> None:
        row["valid_to"] = fmt_date(np.array([idx["start"][i] - 3]))[0].as_py()

    def inside(row: Row, i: int) -> None:  # starts later than the real period, ends inside it
        a = idx["start"][i] + max(1, length[i] // 3)
        row["valid_from"] = fmt_date(np.array([a]))[0].as_py()
        row["valid_to"] = fmt_date(np.array([max(a + 1, end[i] - 1)]))[0].as_py()

    pools = {"frontline": frontline}
    variants = [
        Variant("end_not_after_start", "valid_to", frontline, to_same_day),
        Variant("end_not_after_start", "valid_to", frontline, to_before),
    ]
    ghost = finish_table("agent_roles", roles, rate, rng, pools, variants)
    overlap, counts, by_column = make_bad_rows(
        roles,
        [Variant("overlap", "valid_from", np.flatnonzero(length >= 4), inside)],
        n_bad(rate, roles.num_rows / 9),
        None,
        rng,
    )
    ghost.table = place_rows(ghost.table, [(overlap, None)], rng)
    ghost.rejected.update(counts)
    ghost.rejected_by_column.update(by_column)
    return ghost


def _column_values(table: pa.Table, column: str) -> np.ndarray:
    return np.array(table.column(column).to_pylist(), dtype=object)


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------


def write_table(table: pa.Table, path: Path, fmt: str) -> None:
    if fmt == "parquet":
        pq.write_table(table, path, compression="zstd")
    else:
        pacsv.write_csv(
            table, path, pacsv.WriteOptions(include_header=True, quoting_style="needed")
        )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Write a deterministic, realistic demo dataset following the raw contract.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--out", type=Path, default=Path("data/raw"), help="output folder")
    parser.add_argument(
        "--format", choices=("parquet", "csv"), default="parquet", help="output file format"
    )
    parser.add_argument("--seed", type=int, default=42, help="random seed")
    parser.add_argument("--tickets", type=int, default=300_000, help="number of tickets")
    parser.add_argument("--months", type=int, default=15, help="length of the window")
    parser.add_argument("--agents", type=int, default=80, help="frontline agents at the start")
    parser.add_argument("--teams", type=int, default=8, help="number of teams")
    parser.add_argument(
        "--start-date", type=date.fromisoformat, default=date(2025, 7, 1), help="first day"
    )
    parser.add_argument(
        "--bad-row-rate",
        type=float,
        default=0.002,
        help="share of extra bad rows per table (at least one per class; 0 = none)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress messages")
    args = parser.parse_args(argv)
    if args.tickets < 100 or args.months < 1 or args.agents < 2 * args.teams or args.teams < 1:
        parser.error("need --tickets >= 100, --months >= 1, --teams >= 1, --agents >= 2 * --teams")
    if not 0 <= args.bad_row_rate < 0.5:
        parser.error("--bad-row-rate must be in [0, 0.5)")
    return args


def generate(args: argparse.Namespace) -> dict[str, int]:
    """Build and write every table; returns the row count per table."""
    log = Progress(args.quiet)
    rngs = np.random.default_rng(args.seed).spawn(12)
    win = make_window(args.start_date, args.months)
    rate, brng = args.bad_row_rate, rngs[11]
    warn_fx_coverage(win, log)

    org = build_org(args, win, rngs[0])
    rosters = build_rosters(org, win)
    acc = build_accounts(args, win, rngs[1])
    log(f"organisation: {len(org.ids)} people in {org.n_teams} teams; {len(acc.ids)} accounts")
    sim = simulate_tickets(args, win, org, acc, load_contact_reasons(), rngs[2])
    log(f"tickets simulated: {sim.n} tickets")
    ev = build_events(sim, win, org, rosters, rngs[3])
    out = ticket_outcomes(ev, sim.n)
    log(f"events simulated: {len(ev.t)} events")

    res: dict[str, TableOutput] = {}
    res["accounts"] = finish_table(
        "accounts", accounts_table(acc), rate, brng, dup_share=0.01,
        dup_change=_set("account_name", "Renamed Holdings Ltd"),
    )  # fmt: skip
    agents, roles, teams, role_idx = org_tables(org)
    res["agents"] = finish_table(
        "agents", agents, rate, brng, dup_share=0.02,
        dup_change=_set("email", "old.address@support-demo.example"),
    )  # fmt: skip
    res["agent_roles"] = finish_agent_roles(roles, role_idx, win, rate, brng)
    res["teams"] = finish_table("teams", teams, rate, brng, dup_share=0.05)

    current, older = tickets_table(sim, acc, org, out, win, rngs[4])
    res["tickets"] = finish_table(
        "tickets", current, rate, brng, extra={"older_version": (older, None)}
    )
    log("tickets table built")

    good = events_table(ev, sim, org, rngs[5])
    del ev
    pools = {"agent": np.flatnonzero(pc.is_valid(good.column("agent_id")).to_numpy())}
    res["ticket_events"] = finish_table(
        "ticket_events", good, rate, brng, pools, dup_share=0.003,
        dup_change=lambda row, k: row.update(handle_seconds=str(30 + 7 * k)),
    )  # fmt: skip
    log("ticket_events table built")

    good, superseded = surveys_table(sim, out, acc, org, win, rngs[6])
    stype = _column_values(good, "survey_type")
    pools = {t: np.flatnonzero(stype == t) for t in ("csat", "nps", "ces")}
    res["surveys"] = finish_table(
        "surveys", good, rate, brng, pools, dup_share=0.005,
        dup_change=_set("comment", "Sent twice by the survey tool."),
    )  # fmt: skip
    res["surveys"].duplicates["superseded_response"] = superseded
    good = qa_table(sim, out, org, win, rngs[7])
    res["qa_evaluations"] = finish_table("qa_evaluations", good, rate, brng, dup_share=0.005)
    log("surveys and qa_evaluations built")

    sched, pd_id = build_schedules(org, win, rngs[8])
    states = build_states(sched, pd_id, org, rngs[9])
    for name, iv, vocab, bad_value, min_len in (
        ("schedules", sched, ACTIVITIES, "nap", 30 * MINUTE),
        ("agent_states", states, STATES, "sleeping", 3 * MINUTE),
    ):
        variants = interval_bad_variants(name, iv, bad_value, min_len)
        good = intervals_table(name, iv, org, vocab)
        res[name] = finish_table(name, good, rate, brng, variants=variants)
    res["costs"] = finish_table("costs", costs_table(org, win, rngs[10]), rate, brng)
    log("schedules, agent_states and costs built")

    args.out.mkdir(parents=True, exist_ok=True)
    log(f"writing {len(TABLE_COLUMNS)} tables to {args.out}")
    counts: dict[str, int] = {}
    for name in TABLE_COLUMNS:
        write_table(res[name].table, args.out / f"{name}.{args.format}", args.format)
        counts[name] = res[name].table.num_rows
        log(f"wrote {name}: {counts[name]} rows")
    bad_rows = {name: res[name].report() for name in TABLE_COLUMNS}
    (args.out / "_bad_rows.json").write_text(json.dumps(bad_rows, indent=2, sort_keys=True) + "\n")
    write_manifest(args, win, org, counts)
    return counts


def _iso(epoch_day: int) -> str:
    return str(date.fromordinal(EPOCH.toordinal() + int(epoch_day)))


def write_manifest(args: argparse.Namespace, win: Window, org: Org, counts: dict[str, int]) -> None:
    manifest = {
        "generator": "scripts/generate_demo_data.py",
        "args": {k: str(v) for k, v in sorted(vars(args).items())},
        "seed": args.seed,
        "format": args.format,
        "window": {"start": _iso(win.start_day), "end_exclusive": _iso(win.month_starts[-1])},
        "director": org.ids[org.director],
        "slow_team": org.team_ids[org.slow_team],
        "slow_months": [_iso(win.month_starts[m])[:7] for m in org.slow_months],
        "night_team": org.team_ids[org.night_team] if org.night_team >= 0 else None,
        "row_counts": counts,
    }
    (args.out / "_manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    args = parse_args(argv)
    counts = generate(args)
    summary = " ".join(f"{k}={v}" for k, v in counts.items())
    elapsed = time.perf_counter() - started
    print(f"generated {args.out} ({args.format}): {summary} elapsed={elapsed:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
