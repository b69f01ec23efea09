"""Benchmark of the pure matching core (no database), against bare-numpy baselines in the same run.

* Ranking one project over 100,000 and 1,000,000 synthetic volunteers with
  `rank_volunteers` (filters, top 50, reasons, suggested team), cold (fresh feature
  object: derived arrays computed inside the timing) and warm (derived arrays cached).
* Baseline: `baseline_rank`, a straightforward numpy transcription of the same five
  components (float64, no filters, no reasons) plus an argpartition top 50.
* Floor: the STACK.md-style minimal scoring (64-bit skill-mask popcount + 4 float
  features + argpartition top 50), the cheapest thing that could be called ranking.
* Batch: `batch_match` on 500 projects x 2,500 / 5,000 / 20,000 volunteers against its
  certified LP bound over every eligible edge (an upper bound of the exact optimum) and a
  greedy baseline: time, seats filled, seat score, objective, coverage of needed skills.

Goals: ranking within 2x of the baseline, 1,000,000 under 100 ms; batch within 1% of the
exact optimum, >= 98% of coverable teams covered, time in seconds.

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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from app.matching import (batch_match, prepare_features, rank_volunteers, synthetic_features,  # noqa: E402
                          synthetic_labels, synthetic_project, synthetic_projects)
from app.matching.batch import COVER_BONUS, LEAD_BONUS  # noqa: E402
from app.matching.scoring import order_rows, score_all  # noqa: E402
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
    fairness = lift / (1 + params.open_invitation_damper * f.open_invitations
                       + params.recent_invitation_damper * f.recent_invitations
                       + params.recent_shortlist_damper * f.recent_shortlists)

    raised = np.isin(f.ids, np.fromiter(p.raised_hand_ids, dtype=np.int64)) if p.raised_hand_ids else False
    declines = f.declined_time + f.declined_dates + np.where(skills < 1, f.declined_skills, 0)
    interest = np.where(raised, 1.0, params.interest_neutral) / (1 + params.decline_damper * declines)

    return (w["skills"] * skills + w["affinity"] * affinity + w["availability"] * availability
            + w["reliability"] * reliability + w["fairness"] * fairness + w["interest"] * interest) / total_w


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
    prep = median_ms(lambda: prepare_features(f.fresh()), runs)
    prepare_features(f)
    warm = median_ms(lambda: rank_volunteers(f, p, top_k=TOP, labels=labels), runs)
    base = median_ms(lambda: baseline_rank(f, p), runs)
    floor = median_ms(lambda: floor_rank(mask, floats, need_mask), runs)
    eligible = rank_volunteers(f, p, top_k=TOP).eligible_count
    return dict(n=n, eligible=eligible, cold=cold, prep=prep, warm=warm, base=base, floor=floor)


def greedy_batch(f, projects):
    """Baseline kept out of production: projects in order, each takes its best volunteers with
    hours still free (hours as capacity, like batch_match). Returns {project id: rows}."""
    left = f.free_hours.astype(np.float64).copy()
    out = {}
    for p in projects:
        s = score_all(f, p, pool_k=1, threads=1).scores
        ok = np.flatnonzero((s > -np.inf) & (left >= p.hours_per_week))
        rows = order_rows(f, s, ok)[:p.team_max]
        left[rows] -= p.hours_per_week
        out[p.project_id] = (rows, s[rows].astype(np.float64))
    return out


def team_quality(f, projects, teams):
    """(seats filled, seat score, share of coverable projects fully covered, share with a lead, objective)."""
    filled = score = covered = coverable = led = objective = 0.0
    for p in projects:
        rows, sc = teams[p.project_id]
        filled += len(rows)
        score += float(np.sum(sc))
        eligible = score_all(f, p, pool_k=1, threads=1).scores > -np.inf
        w = np.array([n.weight for n in p.needs], dtype=np.float64)
        met = np.array([(f.skill_levels[rows, f.skill_col[n.skill_id]] >= n.level).any() for n in p.needs])
        can = all((eligible & (f.skill_levels[:, f.skill_col[n.skill_id]] >= n.level)).any() for n in p.needs)
        has_lead = bool(f.lead_trained[rows].any())
        coverable += can
        covered += can and bool(met.all())
        led += has_lead
        objective += float(np.sum(sc)) + COVER_BONUS * float(w[met].sum() / w.sum()) + LEAD_BONUS * has_lead
    return filled, score, covered / max(coverable, 1), led / len(projects), objective, int(coverable)


def bench_batch(n, m):
    """batch_match at one size, against its own certified bound and the greedy baseline."""
    f = synthetic_features(n, seed=0)
    projects = synthetic_projects(m, seed=1)
    t0 = time.perf_counter()
    a = batch_match(f.fresh(), projects)
    t1 = time.perf_counter()
    g = greedy_batch(f, projects)
    t2 = time.perf_counter()
    teams = {pid: (f.rows_for_ids(v) if v else np.empty(0, np.int64), np.array(a.scores[pid]))
             for pid, v in a.proposals.items()}
    opt_q, greedy_q = team_quality(f, projects, teams), team_quality(f, projects, g)
    return dict(n=n, m=m, seats=sum(p.team_max for p in projects), opt_s=t1 - t0, greedy_s=t2 - t1,
                stats=a.stats, opt=opt_q, greedy=greedy_q)


def bench_exposure(n=20_000, rounds=300, seed=0):
    """Share of invitations held by the top 1% of volunteers over `rounds` project runs, each
    inviting its suggested team: with exposure memory and pending hours held (today), without
    memory, and without either (before issue 12)."""
    import dataclasses

    from app.matching import MatchParams
    from app.matching.features import VolunteerFeatures

    base = synthetic_features(n, seed=seed)
    cols = {fl.name: getattr(base, fl.name) for fl in dataclasses.fields(base)}
    cols.update(recent_shortlists=np.zeros(n, np.int32), recent_invitations=np.zeros(n, np.int32))
    projects = synthetic_projects(rounds, seed=seed + 5)
    variants = {
        "memory + pending hours held": (MatchParams(), True),
        "pending hours held, no memory": (MatchParams(recent_invitation_damper=0, recent_shortlist_damper=0), True),
        "neither (before)": (MatchParams(recent_invitation_damper=0, recent_shortlist_damper=0), False),
    }
    out = {}
    for name, (params, hold) in variants.items():
        c = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in cols.items()}
        invites = np.zeros(n, np.int64)
        for p in projects:
            f = VolunteerFeatures(**c)
            r = rank_volunteers(f, p, top_k=TOP, params=params)
            c["recent_shortlists"][f.rows_for_ids([x.volunteer_id for x in r.candidates[:TOP]])] += 1
            rows = f.rows_for_ids(r.team.member_ids) if r.team.member_ids else np.empty(0, np.int64)
            invites[rows] += 1
            c["recent_invitations"][rows] += 1
            c["open_invitations"][rows] += 1
            if hold:
                c["committed_hours"][rows] += np.float32(p.hours_per_week)
        top = np.sort(invites)[::-1][: max(n // 100, 1)]
        out[name] = dict(total=int(invites.sum()), top1=float(top.sum() / max(invites.sum(), 1)),
                         most=int(invites.max()), distinct=int(np.count_nonzero(invites)))
    return dict(n=n, rounds=rounds, variants=out)


def bench_learning():
    """Held-out AUC of fitted vs hand-set weights on synthetic outcome histories with a planted signal."""
    from app.matching.learn import fit_weights, synthetic_outcomes

    planted = {
        "availability-heavy (skills 0.10, affinity 0.05, availability 0.65, reliability 0.20)":
            {"skills": 0.1, "affinity": 0.05, "availability": 0.65, "reliability": 0.2, "fairness": 0.0},
        "the hand-set weights themselves": DEFAULT_WEIGHTS,
    }
    out = []
    for name, truth in planted.items():
        X, y = synthetic_outcomes(truth, n_projects=150, seed=11)
        fit = fit_weights(X, y, DEFAULT_WEIGHTS, seed=1)
        out.append(dict(name=name, rows=len(y), fitted=fit.auc_fitted, hand=fit.auc_hand_set, weights=fit.weights))
    return out


def report(ranks, batch, runs, exposure=None, learning=None):
    lines = [
        f"Pure matching core (`app/matching`), synthetic data, median of {runs} runs; "
        f"machine: {os.cpu_count()} cores ({platform.machine()}), numpy {np.__version__}.",
        "",
        "Ranking one project (filters, six components, top 50 with components and reasons, exact "
        "suggested team). rank: features prepared at load (`prepare_features`: skill columns, unit "
        "vectors, exposure divisor; timed apart, once per load); first use: the same on a fresh feature "
        "object, preparing on the way. Baseline: the six components in plain float64 numpy + argpartition "
        "top 50 (no filters, no reasons, no team). Floor: STACK.md-style skill-mask popcount + 4 floats + "
        "top 50, the cheapest thing that could be called ranking.",
        "",
        "| volunteers | eligible | rank (ms) | prepare, once per load (ms) | first use (ms) | baseline (ms) "
        "| rank / baseline | floor (ms) | rank / floor | goal (<= 2x baseline, 1M < 100 ms) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in ranks:
        ok = r["warm"] <= 2 * r["base"] and (r["n"] < 1_000_000 or r["warm"] < 100)
        lines.append(
            f"| {r['n']:,} | {r['eligible']:,} | {r['warm']:.1f} | {r['prep']:.1f} | {r['cold']:.1f} "
            f"| {r['base']:.1f} | {r['warm'] / r['base']:.2f}x | {r['floor']:.1f} | {r['warm'] / r['floor']:.1f}x "
            f"| {'yes' if ok else 'NO'} |")
    if batch:
        lines += [
            "",
            "Batch (`batch_match`, 500 synthetic projects of 3-5 seats, 2,500 seats): whole teams for every "
            f"project, volunteers' free hours as capacity across projects, objective = seat scores + {COVER_BONUS:g} "
            f"per fully covered project (by need weight) + {LEAD_BONUS:g} per project with a lead. Bound: the LP "
            "relaxation over every eligible edge with each volunteer's knapsack hull (which seats fit their "
            "hours), priced to within 0.05% (a Lagrangian bound over the edges outside the pools), so "
            "bound >= exact integer optimum over all eligible edges >= ours: the gap to the bound is an upper "
            "limit of the gap to the exact optimum. Time: pricing (LPs) + integer stages (LP-support IP, local "
            "search). Greedy: projects in order, best volunteers with hours left.",
            "",
            "| volunteers | time (s) | pricing + integer (s) | rounds | edges | seats filled | seat score | objective | certified bound "
            "| gap to bound | covered (of coverable) | with lead | greedy: time (s) | seats | seat score | objective "
            "| covered | ours / greedy objective |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for b in batch:
            st, o, g = b["stats"], b["opt"], b["greedy"]
            lines.append(
                f"| {b['n']:,} | {b['opt_s']:.1f} | {st['pricing_s']:.1f} + {st['integer_s']:.1f} | {st['rounds']} | {st['edges']:,} | {o[0]:,.0f} | {o[1]:.1f} "
                f"| {st['objective']:.1f} | {st['bound']:.1f}{'' if st['certified'] else ' (not certified)'} "
                f"| {100 * st['gap']:.2f}% | {100 * o[2]:.1f}% ({o[5]}) | {100 * o[3]:.1f}% | {b['greedy_s']:.1f} "
                f"| {g[0]:,.0f} | {g[1]:.1f} | {g[4]:.1f} | {100 * g[2]:.1f}% | {st['objective'] / g[4]:.3f} |")
    if exposure:
        lines += [
            "",
            f"Exposure: {exposure['rounds']} project runs in a row over {exposure['n']:,} volunteers, each "
            "inviting its suggested team (invitations stay pending).",
            "",
            "| variant | invitations | held by the top 1% of volunteers | most held by one | volunteers invited |",
            "| --- | --- | --- | --- | --- |",
        ]
        for name, v in exposure["variants"].items():
            lines.append(f"| {name} | {v['total']:,} | {100 * v['top1']:.1f}% | {v['most']} | {v['distinct']:,} |")
    if learning:
        lines += [
            "",
            "Learned vs hand-set weights (`app/matching/learn.py`): outcome histories of the top 20 "
            "candidates of 150 synthetic projects drawn from one planted signal over the components "
            "(accepted, declined / expired; then left early, still on the team or completed, check-ins on "
            "time, campaign rating), graded 0 / 0.25 / 0.5-1 by `outcome_value`; fitted on 70%, AUC "
            "(concordance over pairs with different outcomes) on the held-out 30%.",
            "",
            "| planted signal | invitations | held-out AUC fitted | held-out AUC hand-set | fitted weights |",
            "| --- | --- | --- | --- | --- |",
        ]
        for r in learning:
            w = ", ".join(f"{k} {v:.2f}" for k, v in r["weights"].items())
            lines.append(f"| {r['name']} | {r['rows']:,} | {r['fitted']:.3f} | {r['hand']:.3f} | {w} |")
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
    batch = [bench_batch(n, 100 if args.quick else 500) for n in ((2_500,) if args.quick else (2_500, 5_000, 20_000))]
    exposure = bench_exposure(n=3_000, rounds=60 if args.quick else 300)
    learning = bench_learning()
    text = report(ranks, batch, args.runs, exposure, learning)
    print(text)
    if not args.no_write and not args.quick:
        write_section(text)
    return ranks, batch


if __name__ == "__main__":
    main()
