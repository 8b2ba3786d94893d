"""Interaction latency: `pdpbot serve` against the bare Bolt app, interleaved in one run, at
1 and 32 clients, with N engineers with active plans; then `serve`'s memory, flat or not,
over repeated runs."""

from __future__ import annotations

import itertools
import random
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from bench.clients import Arrivals, Load, Prepared, Requests, Sample, Served
from bench.databases import analyze, fresh_database
from bench.report import Table, goal, median, ms, percentile, ratio
from bench.seed import SECRET, TEAM, Seeder, engineer_id, manager_id, monday_at_ten, settings_for
from bot.fakeslack import FakeSlack
from storage.db import make_engine

KINDS = ("/pdp", "/pdp-review", "App Home")
CLIENTS = (1, 32)
OURS, BARE = "pdpbot serve", "bare Bolt"


@dataclass(frozen=True)
class Config:
    plans: int
    requests: dict[int, int]  # clients -> requests per request kind and app
    rounds: int  # the requests are sent in this many rounds, ours and bare taking turns
    memory_runs: int  # more 32-client passes of every kind, to see serve's memory settle
    retry_after: int  # seconds, in the 429 that one request's views.open gets


FULL = Config(10_000, requests={1: 300, 32: 600}, rounds=6, memory_runs=2, retry_after=4)
QUICK = Config(200, requests={1: 16, 32: 64}, rounds=2, memory_runs=1, retry_after=1)


@dataclass
class Results:
    samples: dict[tuple[str, int, str], list[Sample]]
    memory: list[tuple[str, float, float]]  # (after what, serve RSS MB, serve peak MB)
    bare_memory: tuple[float, float]
    # a /pdp whose views.open got a 429, another's /pdp sent meanwhile, and (the yardstick) the
    # median of /pdp sent the same way, each on a new connection, with no 429 anywhere
    throttled: tuple[Sample, float, float]


def run(backend: str, config: Config, fake: FakeSlack) -> list[Table]:
    with fresh_database(backend, "latency") as url:
        now = datetime.now(timezone.utc)
        engine = make_engine(url)
        seeder = Seeder(engine, settings_for(url, fake.api_url), monday_at_ten(now), refreshed=now)
        seeder.add(config.plans)
        analyze(engine)
        engine.dispose()
        env = {
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.api_url,
            "DATABASE_URL": url,
        }
        ours = Served(OURS, [sys.executable, "-m", "bot.cli", "serve"], env)
        try:
            bare = Served(BARE, [sys.executable, "-m", "bench.bare"], env)
            try:
                results = measure(ours, bare, fake, config)
            finally:
                bare.stop()
        finally:
            ours.stop()
        errors = [line for line in ours.output().splitlines() if " ERROR " in line]
    return tables(backend, config, results, errors)


def measure(ours: Served, bare: Served, fake: FakeSlack, config: Config) -> Results:
    arrivals = Arrivals(fake)
    loads = {OURS: Load(ours.url, arrivals), BARE: Load(bare.url, arrivals)}
    build = Requests(fake, SECRET, TEAM)
    people = list(range(config.plans))
    random.Random(10).shuffle(people)
    turns = itertools.cycle(people)  # no two requests in flight for one person
    samples: dict[tuple[str, int, str], list[Sample]] = defaultdict(list)

    def batch(kind: str, size: int) -> list[Prepared]:
        return [_request(build, kind, next(turns)) for _ in range(size)]

    try:
        for kind in KINDS:
            for clients in CLIENTS:
                for app in (OURS, BARE):  # warm-up, not counted
                    loads[app].run(batch(kind, max(clients, 8)), clients)
                for turn in range(config.rounds):
                    order = (OURS, BARE) if turn % 2 == 0 else (BARE, OURS)
                    for app in order:
                        samples[(kind, clients, app)] += loads[app].run(
                            batch(kind, config.requests[clients] // config.rounds), clients
                        )
        memory = [("the latency run", *ours.memory())]
        for run in range(2, config.memory_runs + 2):
            for kind in KINDS:
                loads[OURS].run(batch(kind, config.requests[32] // 3), max(CLIENTS))
            memory.append((f"run {run} (every request kind again, 32 clients)", *ours.memory()))
        throttled = rate_limited_request(ours, arrivals, batch("/pdp", 11), fake, config)
    finally:
        fake.on_call = None
        for load in loads.values():
            load.close()
    return Results(dict(samples), memory, bare.memory(), throttled)


def rate_limited_request(
    ours: Served, arrivals: Arrivals, requests: list[Prepared], fake: FakeSlack, config: Config
) -> tuple[Sample, float, float]:
    """One person's /pdp meets a 429 (Retry-After 4 s) on views.open; from 0.2 s later, five
    other people's /pdp come in, 0.2 s apart, within that Retry-After. Each is sent on a new
    connection, so the yardstick is the median of five /pdp sent the same way beforehand, with
    no 429, 0.2 s apart too. Returns the first's sample, the median of the five others, and the
    yardstick."""

    def send(request: Prepared) -> Sample:
        load = Load(ours.url, arrivals)
        [sample] = load.run([request], 1)
        load.close()
        return sample

    alone: list[float] = []
    for request in requests[6:11]:  # the same shape: 0.2 s apart, each on a new connection
        time.sleep(0.2)
        alone.append(send(request).total)
    usual = median(alone)
    fake.rate_limit_next("views.open", retry_after=config.retry_after)
    found: list[Sample] = []
    first = threading.Thread(target=lambda: found.append(send(requests[0])))
    first.start()
    others: list[float] = []
    for request in requests[1:6]:
        time.sleep(0.2)
        others.append(send(request).total)
    first.join()
    return found[0], median(others), usual


def _request(build: Requests, kind: str, n: int) -> Prepared:
    if kind == "/pdp":
        return build.command("/pdp", engineer_id(n))
    if kind == "/pdp-review":
        return build.command("/pdp-review", manager_id(n), f"<@{engineer_id(n)}>")
    return build.home_opened(engineer_id(n))


def tables(backend: str, config: Config, results: Results, errors: list[str]) -> list[Table]:
    per = " / ".join(
        f"{n // config.rounds * config.rounds} at {c}" for c, n in config.requests.items()
    )
    label = f"{backend}, {config.plans:,} engineers with active plans, requests a setting: {per}"
    answer = Table(
        f"Interaction latency, request to response ({label})",
        ["request", "clients", "ours p50 ms", "bare p50 ms", "p50 ratio", "ours p99 ms",
         "bare p99 ms", "p99 ratio", "errors", "goal (p50 ≤ 1.5x, p99 ≤ 2x, p99 < 500 ms at 32)"],
    )  # fmt: skip
    call = Table(
        f"Interaction latency, request to views.open / views.publish ({label})",
        ["request", "clients", "ours p50 ms", "bare p50 ms", "p50 ratio", "ours p99 ms",
         "bare p99 ms", "p99 ratio", "calls missing"],
    )  # fmt: skip
    for kind in KINDS:
        for clients in CLIENTS:
            mine = results.samples[(kind, clients, OURS)]
            base = results.samples[(kind, clients, BARE)]
            failed = sum(not s.ok for s in mine) + sum(not s.ok for s in base)
            a, b = _stats(mine, lambda s: s.total), _stats(base, lambda s: s.total)
            met = a[0] <= 1.5 * b[0] and a[1] <= 2 * b[1] and (clients < 32 or a[1] < 0.5)
            answer.add(kind, clients, ms(a[0]), ms(b[0]), ratio(a[0], b[0]), ms(a[1]),
                       ms(b[1]), ratio(a[1], b[1]), failed, goal(met and not failed))  # fmt: skip
            timed = [s for s in mine if s.to_call is not None]
            timed_base = [s for s in base if s.to_call is not None]
            c, d = _stats(timed, _to_call), _stats(timed_base, _to_call)
            missing = len(mine) - len(timed) + len(base) - len(timed_base)
            call.add(kind, clients, ms(c[0]), ms(d[0]), ratio(c[0], d[0]), ms(c[1]), ms(d[1]),
                     ratio(c[1], d[1]), missing)  # fmt: skip
    answer.note("ours and bare take turns, round by round, in the same run on the same machine")
    answer.note(
        f"`serve` logged {len(errors)} errors" + (f", the first: {errors[0]}" if errors else "")
    )
    memory = Table(
        f"Memory of `pdpbot serve` ({backend}, {config.plans:,} plans)",
        ["after", "RSS MB", "peak RSS MB", "goal (< 120 MB, flat)"],
    )
    previous = results.memory[0][1]
    for after, rss, peak in results.memory:
        memory.add(after, f"{rss:.0f}", f"{peak:.0f}", goal(peak < 120 and rss - previous < 2))
        previous = rss
    memory.add("bare Bolt, after the latency run", *(f"{v:.0f}" for v in results.bare_memory), "-")
    memory.note("flat: each run after the first adds less than 2 MB of resident memory")
    hit, other, usual = results.throttled
    throttled = Table(
        f"A 429 inside a request ({backend}): views.open answers 429,"
        f" Retry-After {config.retry_after} s",
        ["request", "answered in ms", "HTTP 200", "vs a usual /pdp (new connection)", "goal"],
    )
    throttled.add("the /pdp that met the 429", ms(hit.total), hit.ok, ratio(hit.total, usual),
                  f"< 1 s: {goal(hit.total < 1)}")  # fmt: skip
    throttled.add("5 other people's /pdp, from 0.2 s later (median)", ms(other), "-",
                  ratio(other, usual),
                  f"not slowed (≤ 1.5x): {goal(other <= 1.5 * usual)}")  # fmt: skip
    throttled.note(
        f"a usual /pdp: the median of 5 sent alone, 0.2 s apart, each on a new connection:"
        f" {ms(usual)} ms"
    )
    return [answer, call, memory, throttled]


def _to_call(sample: Sample) -> float:
    assert sample.to_call is not None
    return sample.to_call


def _stats(samples: list[Sample], value: Callable[[Sample], float]) -> tuple[float, float]:
    values = [value(s) for s in samples]
    return median(values), percentile(values, 99)
