"""Benchmark of the pure matching core (no database), against bare-numpy baselines in the same run.

* Ranking one project over 100,000 and 1,000,000 synthetic volunteers with
  `rank_volunteers` (filters, top 50, reasons, suggested team), cold (fresh feature
  object: derived arrays computed inside the timing) and warm (derived arrays cached).
* Baseline: `baseline_rank`, a straightforward numpy transcription of the same five
  components (float64, no filters, no reasons) plus an argpartition top 50.
* Floor: the STACK.md-style minimal scoring (64-bit skill-mask popcount + 4 float
  features + argpartition top 50), the cheapest thing that could be called ranking.
* Batch: `batch_match` on 500 projects x 100,000 volunteers vs `greedy_batch_match` on
  the same candidate pools: time, total score ratio, peak memory (tracemalloc).

Goals: ranking within 2x of the baseline, 1,000,000 under 100 ms, batch in a few seconds.

Run: `python -m tests.benchmarks.bench_matching_pure [--quick] [--no-write]`; it prints a
markdown table and rewrites the `matching-pure` section of docs/BENCHMARKS.md.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from app.matching import (batch_match, greedy_batch_match, rank_volunteers, synthetic_features,  # noqa: E402
                          synthetic_labels, synthetic_project, synthetic_projects, total_score)
from app.matching.batch import candidate_pools  # noqa: E402
from app.matching.weights import DEFAULT_PARAMS, DEFAULT_WEIGHTS  # noqa: E402

SECTION = "matching-pure"
TOP = 50


def _haversine(lat1, lon1, lat2, lon2):
    lat1, lon1, lat2, lon2 = map(np.radians, (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(a))


def baseline_scores(f, p, weights=None, params=DEFAULT_PARAMS):
    """The five components written the obvious way (float64), weighted; no filters."""
    w = weights or DEFAULT_WEIGHTS
    total_w = sum(w.values())
    cols = [f.skill_col[n.skill_id] for n in p.needs]
    need = np.array([n.level for n in p.needs], dtype=np.float64)
    wt = np.array([n.weight for n in p.needs], dtype=np.float64)
    lv = f.skill_levels[:, cols].astype(np.float64)
    skills = (np.minimum(lv, need) / need * wt).sum(axis=1) / wt.sum()
    share = params.full_cover_share
    skills = (1 - share) * skills + share * (lv >= need).all(axis=1)

    d = np.fmin(_haversine(f.home_lat, f.home_lon, p.lat, p.lon), _haversine(f.cur_lat, f.cur_lon, p.lat, p.lon))
    place = np.nan_to_num(np.exp(-d / params.distance_d0_km), nan=0.0)
    same_state = (f.home_state == p.state) | (f.cur_state == p.state)
    place = np.maximum(place, np.where(same_state, params.state_affinity, 0.0))
    place = np.where((f.home_city == p.city) | (f.cur_city == p.city), 1.0, place)
    shared = np.bitwise_count(f.causes & np.uint64(p.causes)) / int(p.causes).bit_count()
    affinity = params.place_share * place + (1 - params.place_share) * shared

    free = f.hours_per_week.astype(np.float64) - f.committed_hours
    hours = np.clip(free / (p.hours_per_week * params.hours_headroom), 0, 1)
    span = p.end_day - p.start_day + 1
    days = np.minimum(f.available_until, p.end_day) - np.maximum(f.available_from, p.start_day) + 1
    dates = np.clip(days / span, 0, 1)
    tz = np.clip(1 - np.abs(f.utc_offset - p.utc_offset) / params.tz_span_hours, 0, 1)
    availability = dates * (params.hours_share * hours + (1 - params.hours_share) * tz)

    prior, m1, m2, m3 = params.reliability_prior, params.checkin_strength, params.project_strength, params.rating_strength
    r1 = (f.checkins_on_time + m1 * prior) / (f.checkins_due + m1)
    r2 = (f.projects_completed + m2 * prior) / (f.projects_completed + f.projects_dropped + m2)
    r3 = (f.rating_points + m3 * prior) / (f.ratings_received + m3)
    reliability = (r1 + r2 + r3) / 3
    lift = np.where(f.placements == 0, params.fairness_new, params.fairness_base)
    fairness = lift / (1 + params.open_invitation_damper * f.open_invitations)

    return (w["skills"] * skills + w["affinity"] * affinity + w["availability"] * availability
            + w["reliability"] * reliability + w["fairness"] * fairness) / total_w


def baseline_rank(f, p):
    """Baseline: same components, no filters or reasons, top 50 by argpartition then sort."""
    s = baseline_scores(f, p)
    top = np.argpartition(-s, TOP)[:TOP]
    return top[np.argsort(-s[top], kind="stable")]


def floor_inputs(f):
    """Precomputed (outside the timing) inputs of the STACK.md-style minimal scoring."""
    has = f.skill_levels > 0
    mask = (has[:, :64].astype(np.uint64) << np.arange(min(64, has.shape[1]), dtype=np.uint64)).sum(
        axis=1, dtype=np.uint64)
    floats = [f.hours_per_week, f.committed_hours, f.utc_offset, f.open_invitations.astype(np.float32)]
    return mask, floats


def floor_rank(mask, floats, need_mask):
    """64-bit skill-mask popcount + 4 float features + argpartition top 50."""
    s = np.bitwise_count(mask & need_mask).astype(np.float32)
    s *= np.float32(0.5)
    for k, x in enumerate(floats):
        s += np.float32(0.1 * (k + 1)) * x
    top = np.argpartition(-s, TOP)[:TOP]
    return top[np.argsort(-s[top])]


def median_ms(fn, runs):
    fn()  # warm-up (imports, page faults)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def bench_rank(n, runs):
    f = synthetic_features(n, seed=0)
    p = synthetic_project(seed=3)
    labels = synthetic_labels()
    mask, floats = floor_inputs(f)
    need_mask = np.uint64(sum(1 << (f.skill_col[x.skill_id]) for x in p.needs))
    cold = median_ms(lambda: rank_volunteers(f.fresh(), p, top_k=TOP, labels=labels), runs)
    warm = median_ms(lambda: rank_volunteers(f, p, top_k=TOP, labels=labels), runs)
    base = median_ms(lambda: baseline_rank(f, p), runs)
    floor = median_ms(lambda: floor_rank(mask, floats, need_mask), runs)
    eligible = rank_volunteers(f, p, top_k=TOP).eligible_count
    return dict(n=n, eligible=eligible, cold=cold, warm=warm, base=base, floor=floor)


def bench_batch(n, m, runs, pool):
    f = synthetic_features(n, seed=0)
    projects = synthetic_projects(m, seed=1)
    times = []
    for _ in range(runs):
        fresh = f.fresh()
        t0 = time.perf_counter()
        pools = candidate_pools(fresh, projects, per_project_pool=pool)
        t1 = time.perf_counter()
        opt = batch_match(fresh, projects, per_project_pool=pool, pools=pools)
        t2 = time.perf_counter()
        greedy = greedy_batch_match(fresh, projects, per_project_pool=pool, pools=pools)
        t3 = time.perf_counter()
        times.append((t1 - t0, t2 - t1, t3 - t2, t2 - t0))
    pools_s, solve_s, greedy_s, total_s = (statistics.median(x) for x in zip(*times))
    tracemalloc.start()
    batch_match(f.fresh(), projects, per_project_pool=pool)
    peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    seats = sum(p.team_max for p in projects)
    return dict(n=n, m=m, pool=pool, pools_s=pools_s, solve_s=solve_s, greedy_s=greedy_s, total_s=total_s,
                opt=total_score(opt), greedy=total_score(greedy), peak_mb=peak_mb,
                filled=seats - sum(opt.unfilled.values()), greedy_filled=seats - sum(greedy.unfilled.values()),
                seats=seats, stats=opt.stats, features_mb=sum(a.nbytes for a in vars(f).values()
                                                                  if isinstance(a, np.ndarray)) / 2**20)


def report(ranks, batch, runs):
    lines = [
        f"Pure matching core (`app/matching`), synthetic data, median of {runs} runs; "
        f"machine: {os.cpu_count()} cores ({platform.machine()}), numpy {np.__version__}.",
        "",
        "Ranking one project (filters, top 50 with components and reasons, suggested team). "
        "Baseline: the same five components in plain float64 numpy + argpartition top 50 (no filters, "
        "no reasons). Floor: STACK.md-style skill-mask popcount + 4 floats + top 50.",
        "",
        "| volunteers | eligible | rank_volunteers cold (ms) | warm (ms) | baseline (ms) | cold / baseline "
        "| floor (ms) | cold / floor | goal (<= 2x baseline, 1M < 100 ms) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in ranks:
        ok = r["cold"] <= 2 * r["base"] and (r["n"] < 1_000_000 or r["cold"] < 100)
        lines.append(
            f"| {r['n']:,} | {r['eligible']:,} | {r['cold']:.1f} | {r['warm']:.1f} | {r['base']:.1f} "
            f"| {r['cold'] / r['base']:.2f}x | {r['floor']:.1f} | {r['cold'] / r['floor']:.1f}x "
            f"| {'yes' if ok else 'NO'} |")
    if batch:
        b = batch
        lines += [
            "",
            f"Batch: {b['m']} projects x {b['n']:,} volunteers ({b['seats']:,} seats; pool {b['pool']} per "
            f"project + 5 leads; {b['stats'].get('volunteers_in_pools', 0):,} volunteers and "
            f"{b['stats'].get('edges', 0):,} edges in the matching). Greedy uses the same pools.",
            "",
            "| scoring + pools (s) | solver (s) | batch_match total (s) | greedy (s) | seats filled (opt / greedy) "
            "| total score opt | total score greedy | opt / greedy | peak memory, tracemalloc (MB) |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
            f"| {b['pools_s']:.2f} | {b['solve_s']:.3f} | {b['total_s']:.2f} | {b['greedy_s']:.3f} "
            f"| {b['filled']:,} / {b['greedy_filled']:,} | {b['opt']:.2f} | {b['greedy']:.2f} "
            f"| {b['opt'] / b['greedy']:.4f} | {b['peak_mb']:.0f} (+ {b['features_mb']:.0f} features) |",
        ]
    return "\n".join(lines)


def write_section(body):
    """Rewrite the marked section of docs/BENCHMARKS.md (shared helper when present)."""
    try:
        from tests.benchmarks.report import write_section as shared
    except ImportError:
        shared = None
    if shared is not None:
        shared(SECTION, body)
        return
    doc = ROOT / "docs" / "BENCHMARKS.md"
    doc.parent.mkdir(parents=True, exist_ok=True)
    text = doc.read_text() if doc.exists() else "# Benchmarks\n"
    start, end = f"<!-- {SECTION}:start -->", f"<!-- {SECTION}:end -->"
    block = f"{start}\n{body}\n{end}"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    doc.write_text(text)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    ap.add_argument("--no-write", action="store_true", help="do not touch docs/BENCHMARKS.md")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    sizes = [10_000, 100_000] if args.quick else [100_000, 1_000_000]
    ranks = [bench_rank(n, args.runs) for n in sizes]
    batch = bench_batch(*((10_000, 50) if args.quick else (100_000, 500)), runs=3, pool=30)
    text = report(ranks, batch, args.runs)
    print(text)
    if not args.no_write and not args.quick:
        write_section(text)
    return ranks, batch


if __name__ == "__main__":
    main()
