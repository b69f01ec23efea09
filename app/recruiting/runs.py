"""Match runs: start one, run it (in an RQ worker or in-process), read its results."""
import logging
import time
from datetime import timedelta

from flask import current_app
from sqlalchemy.orm import Bundle, joinedload

from app import audit
from app.errors.domain import DomainError
from app.extensions import db
from app.lifecycle import ProjectStatus
from app.models import Invitation, MatchCandidate, MatchRun, Project, ProjectSkill, TeamMembership, User, VolunteerProfile
from app.models.base import utcnow
from app.teams import seats

log = logging.getLogger(__name__)
MATCHABLE_STATUSES = (ProjectStatus.APPROVED, ProjectStatus.RECRUITING)
# What the staff recruiting page shows of a project, loaded with it; its few skills joined to its row.
PROJECT_PAGE_LOAD = (joinedload(Project.campaign), joinedload(Project.skills).joinedload(ProjectSkill.skill))


QUEUE_DOWN = "The job queue is unavailable; the run starts by itself once it is back, or press the button again."
# A run still queued or running after its job's time limit has lost its worker (killed, restarted).
STALE_AFTER = {"project": timedelta(seconds=900 + 120), "batch": timedelta(seconds=1800 + 120)}


def start_match_run(staff, project):
    """Record a queued run and hand it to the matching queue. Returns the MatchRun."""
    if project.status == ProjectStatus.ACTIVE:
        # A working team that lost members: rank replacements for the seats now open.
        if seats.open_seats(project) == 0:
            raise DomainError("This team is full; there is no seat to find a replacement for.")
    elif project.status not in MATCHABLE_STATUSES:
        raise DomainError("Matching starts once the campaign has approved the scope.")
    if not project.skills:
        raise DomainError("Add at least one needed skill before matching.")
    return _start_run(
        staff, "project", MatchRun.project_id == project.id, {"project_id": project.id},
        lambda run: audit.record(staff, "matching.started", project, run_id=run.id),
    )


def start_batch_run(staff):
    """Match every project awaiting volunteers at once (an assignment across all of them)."""
    return _start_run(
        staff, "batch", MatchRun.kind == "batch", {},
        lambda run: audit.record(staff, "matching.batch_started", run),
    )


def _start_run(staff, kind, same_scope, fields, record):
    """Pressing the button twice never starts two jobs; pressing it again re-queues a run Redis refused."""
    current = db.session.scalar(
        db.select(MatchRun).where(same_scope, MatchRun.status.in_(("queued", "running"))).order_by(MatchRun.id.desc())
    )
    if current is not None and utcnow() - current.created_at > STALE_AFTER[kind]:
        current.status, current.finished_at = "failed", utcnow()
        current.message = "This run stopped without finishing (its worker went away); a new one was started."
        db.session.commit()
        current = None
    if current is not None:
        if current.status == "queued" and current.message == QUEUE_DOWN:
            _hand_to_worker(current)
        return current
    run = MatchRun(
        kind=kind, status="queued", created_by_id=getattr(staff, "id", None),
        weights=dict(current_app.config["MATCH_WEIGHTS"]), message="Waiting for a worker", **fields,
    )
    db.session.add(run)
    db.session.flush()
    # The job id is known before enqueueing, so nothing writes the row after a worker may hold it.
    run.rq_job_id = f"match-run-{run.id}"
    record(run)
    db.session.commit()
    _hand_to_worker(run)
    return run


def _hand_to_worker(run):
    from app.jobs.matching import run_batch_job, run_match_job
    from app.jobs.queue import QueueUnavailable, enqueue

    func, timeout = (run_batch_job, 1800) if run.kind == "batch" else (run_match_job, 900)
    try:
        enqueue(func, run.id, queue="matching", job_timeout=timeout, job_id=run.rq_job_id, redis_errors="raise")
    except QueueUnavailable:
        run.message = QUEUE_DOWN  # the run stays queued; staff see why and can press again
        db.session.commit()
        return
    if run.message == QUEUE_DOWN:
        run.message = "Waiting for a worker"
        db.session.commit()


def requeue_stranded_runs(older_than_seconds=120):
    """Hand queued runs that no job holds back to the queue; return how many were handed back.

    These are runs that Redis refused (it was down when staff pressed the button), and runs whose
    job Redis lost (a crash without persistence). Either way the staff member's request still
    counts, without them having to press again. A run younger than `older_than_seconds` is left
    alone unless Redis refused it, because its own enqueue may still be on its way.
    Stops at the first refusal, when Redis is still down; the next sweep tries again.
    """
    from app.jobs.queue import QueueUnavailable, job_exists

    cutoff = utcnow() - timedelta(seconds=older_than_seconds)
    waiting = db.session.scalars(
        db.select(MatchRun).where(MatchRun.status == "queued").order_by(MatchRun.id)
    ).all()
    handed = 0
    for run in waiting:
        try:
            if run.message != QUEUE_DOWN and (run.created_at > cutoff or job_exists(run.rq_job_id)):
                continue
        except QueueUnavailable:
            break
        _hand_to_worker(run)
        if run.message == QUEUE_DOWN:
            break
        handed += 1
    return handed


def _progress(run, percent, message):
    run.progress = percent
    run.message = message
    db.session.commit()


def run_match(run_id):
    """Do the work of one run: load features, rank, store the top candidates. Safe to repeat."""
    from app.matching import rank_volunteers
    from app.recruiting.features import load_project_needs, load_volunteer_features

    run = db.session.get(MatchRun, run_id)
    if run is None or run.status == "done":
        return run
    run.status, run.started_at, run.error = "running", utcnow(), ""
    _progress(run, 5, "Loading volunteers")
    try:
        started = time.perf_counter()
        features, labels = load_volunteer_features(exposure_until=run.created_at, for_project_id=run.project_id)
        _progress(run, 40, f"Ranking {len(features.ids):,} volunteers")
        needs = load_project_needs(run.project)
        if run.project.status == ProjectStatus.ACTIVE:
            from dataclasses import replace

            # Replacements: the suggested team is exactly the open seats (members and former
            # members are already left out by load_project_needs).
            needs = replace(needs, team_min=1, team_max=max(seats.open_seats(run.project), 1))
        result = rank_volunteers(
            features, needs, weights=run.weights or None, top_k=current_app.config["MATCH_TOP_K"], labels=labels
        )
        _progress(run, 75, "Saving the ranking")
        store_result(run, result)
        run.status, run.progress, run.finished_at = "done", 100, utcnow()
        run.message = f"Ranked {result.eligible_count:,} eligible volunteers in {time.perf_counter() - started:.1f} s"
        db.session.commit()
    except Exception as err:  # the run row tells staff what happened; the job itself must not vanish
        db.session.rollback()
        run = db.session.get(MatchRun, run_id)
        run.status, run.finished_at = "failed", utcnow()
        run.error = f"{type(err).__name__}: {err}"[:2000]
        run.message = "Matching failed; try again, or tell the developers."
        db.session.commit()
        log.exception("match run %s failed", run_id)
    return run


def store_result(run, result):
    """Replace the run's candidates with `result` (a re-run of the job writes the same rows)."""
    db.session.execute(db.delete(MatchCandidate).where(MatchCandidate.run_id == run.id))
    suggested = set(result.team.member_ids) if result.team else set()
    rows = [
        {
            "run_id": run.id,
            "project_id": run.project_id,
            "volunteer_id": int(c.volunteer_id),
            "rank": int(c.rank),
            "score": float(c.score),
            "components": {k: round(float(v), 4) for k, v in c.components.items()},
            "reasons": list(c.reasons),
            "suggested": int(c.volunteer_id) in suggested,
        }
        for c in result.candidates
    ]
    if rows:
        db.session.execute(db.insert(MatchCandidate), rows)
    run.eligible_count = int(result.eligible_count)
    run.filtered = {k: int(v) for k, v in result.filtered.items()}
    run.suggested_team = sorted(suggested)


def latest_run(project):
    return db.session.scalar(
        db.select(MatchRun).where(MatchRun.project_id == project.id).order_by(MatchRun.id.desc()).limit(1)
    )


# What the match page shows of a candidate and of their profile: columns, not entities, because
# building 50 ORM objects per request (and parsing every candidate's components) was most of its cost.
CANDIDATE_COLUMNS = (MatchCandidate.volunteer_id, MatchCandidate.rank, MatchCandidate.score, MatchCandidate.reasons,
                     MatchCandidate.suggested)
PROFILE_COLUMNS = (VolunteerProfile.lead_trained, VolunteerProfile.current_city, VolunteerProfile.current_state,
                   VolunteerProfile.hours_per_week, VolunteerProfile.home_state)


def candidates_select(run_id, project_id, with_components=False):
    """A run's candidates for one project, best first: (candidate, name, email, profile) rows."""
    candidate = Bundle("candidate", *CANDIDATE_COLUMNS, *((MatchCandidate.components,) if with_components else ()))
    return (
        db.select(candidate, User.name, User.email, Bundle("profile", *PROFILE_COLUMNS))
        .join(VolunteerProfile, VolunteerProfile.id == MatchCandidate.volunteer_id)
        .join(User, User.id == VolunteerProfile.user_id)
        .where(MatchCandidate.run_id == run_id, MatchCandidate.project_id == project_id)
        .order_by(MatchCandidate.rank)
    )


def candidate_rows(run, min_score=0.0, lead_only=False, state="", hide_invited=False, project_id=None, limit=None,
                   volunteer_id=None, with_components=False):
    """Candidates of a run with the volunteer's name, place and invitation status (one query).

    Each row: {"candidate": volunteer_id, rank, score, reasons, suggested (and components when asked),
    "name", "email", "profile": lead_trained, current_city, current_state, hours_per_week, "invitation"}.
    `hide_invited` also leaves out anyone who is or was on the team (invited or not)."""
    stmt = (
        candidates_select(run.id, project_id or run.project_id, with_components).add_columns(Invitation.status)
        .outerjoin(
            Invitation,
            (Invitation.volunteer_id == MatchCandidate.volunteer_id) & (Invitation.project_id == MatchCandidate.project_id),
        )
        .where(MatchCandidate.score >= min_score)
    )
    if volunteer_id is not None:
        stmt = stmt.where(MatchCandidate.volunteer_id == volunteer_id)
    if lead_only:
        stmt = stmt.where(VolunteerProfile.lead_trained.is_(True))
    if state:
        stmt = stmt.where((VolunteerProfile.home_state == state) | (VolunteerProfile.current_state == state))
    if hide_invited:
        on_team = db.select(TeamMembership.id).where(
            TeamMembership.project_id == MatchCandidate.project_id,
            TeamMembership.volunteer_id == MatchCandidate.volunteer_id,
        )
        stmt = stmt.where(Invitation.id.is_(None), ~on_team.exists())
    if limit is not None:
        stmt = stmt.limit(limit)
    return [
        {"candidate": c, "name": name, "email": email, "profile": p, "invitation": inv_status}
        for c, name, email, p, inv_status in db.session.execute(stmt)
    ]


def next_candidates(project, limit=None, run=None, rows=None, member_ids=None):
    """The best-ranked candidates of the latest run (`run` when the caller has it) not invited yet and
    never on the team: as many as there are open seats (or `limit`). From `rows` (the run's unfiltered
    candidate_rows) and `member_ids` (every membership's volunteer id) when given: no query then."""
    limit = seats.open_seats(project) if limit is None else limit
    run = run or latest_run(project)
    if limit <= 0:
        return []
    if run is None or run.status != "done":
        return []
    if rows is not None and member_ids is not None:
        return [r for r in rows if r["invitation"] is None and r["candidate"].volunteer_id not in member_ids][:limit]
    return candidate_rows(run, hide_invited=True, limit=limit)


def projects_awaiting_volunteers():
    """Approved and recruiting projects, then active ones that need a replacement, with their latest run.

    Returns [(project, run or None, needs a replacement)] for the matching board.
    """
    projects = list(
        db.session.scalars(
            db.select(Project).where(Project.status.in_(MATCHABLE_STATUSES)).order_by(Project.start_date)
            .options(joinedload(Project.campaign))
        )
    )
    short = seats.projects_needing_replacement()
    projects += short
    runs = {}
    if projects:
        latest_ids = (
            db.select(db.func.max(MatchRun.id))
            .where(MatchRun.project_id.in_([p.id for p in projects]))
            .group_by(MatchRun.project_id)
        )
        for run in db.session.scalars(db.select(MatchRun).where(MatchRun.id.in_(latest_ids))):
            runs[run.project_id] = run
    short_ids = {p.id for p in short}
    return [(p, runs.get(p.id), p.id in short_ids) for p in projects]


def run_batch(run_id):
    """Propose volunteers for all open seats of all projects awaiting volunteers; safe to repeat."""
    from dataclasses import replace

    from app.matching import batch_match, explain_volunteers, total_score
    from app.recruiting.features import load_project_needs, load_volunteer_features
    from app.recruiting.priority import project_weights

    run = db.session.get(MatchRun, run_id)
    if run is None or run.status == "done":
        return run
    run.status, run.started_at, run.error = "running", utcnow(), ""
    _progress(run, 5, "Loading volunteers")
    try:
        features, labels = load_volunteer_features(exposure_until=run.created_at)
        needs = []
        for project in db.session.scalars(
            db.select(Project).where(Project.status.in_(MATCHABLE_STATUSES)).order_by(Project.id)
        ):
            open_seats = seats.open_seats(project)
            if open_seats > 0 and project.skills:
                # Only the seats still open are proposed for.
                needs.append(replace(load_project_needs(project), team_min=1, team_max=open_seats))
        _progress(run, 30, f"Assigning {len(features.ids):,} volunteers across {len(needs)} projects")
        # partner priority tiers as per-project multipliers: the heavier project wins a scarce volunteer
        result = batch_match(features, needs, weights=run.weights or None,
                             project_weights=project_weights([n.project_id for n in needs]))
        _progress(run, 80, "Saving the proposals")
        db.session.execute(db.delete(MatchCandidate).where(MatchCandidate.run_id == run.id))
        rows = []
        needs_by_id = {n.project_id: n for n in needs}
        for project_id, ids in result.proposals.items():
            explained = {
                e["volunteer_id"]: e
                for e in explain_volunteers(features, needs_by_id[project_id], ids, run.weights or None, labels)
            }
            for rank, (vid, score) in enumerate(zip(ids, result.scores[project_id]), start=1):
                why = explained[int(vid)]
                rows.append({
                    "run_id": run.id, "project_id": project_id, "volunteer_id": int(vid), "rank": rank,
                    "score": float(score), "components": {k: round(v, 4) for k, v in why["components"].items()},
                    "reasons": ["proposed by the batch assignment across all open projects", *why["reasons"]],
                    "suggested": True,
                })
        if rows:
            db.session.execute(db.insert(MatchCandidate), rows)
        run.eligible_count = len(features.ids)
        run.filtered = {"unfilled_seats": int(sum(result.unfilled.values()))}
        run.status, run.progress, run.finished_at = "done", 100, utcnow()
        run.message = (
            f"Proposed {len(rows)} seats over {len(needs)} projects; total score {total_score(result):.2f}, "
            f"within {100 * result.stats.get('gap', 0.0):.1f}% of the best possible"
        )
        db.session.commit()
    except Exception as err:  # recorded on the run for staff; see run_match
        db.session.rollback()
        run = db.session.get(MatchRun, run_id)
        run.status, run.finished_at = "failed", utcnow()
        run.error = f"{type(err).__name__}: {err}"[:2000]
        run.message = "Batch matching failed; try again, or tell the developers."
        db.session.commit()
        log.exception("batch run %s failed", run_id)
    return run


def latest_batch_id():
    return db.select(MatchRun.id).where(MatchRun.kind == "batch").order_by(MatchRun.id.desc()).limit(1)


def latest_batch(project=None, run=False):
    """The latest batch run (`run` when the caller has it, see page.match_page_rows), and a project's rows in it."""
    if run is False:
        run = db.session.scalar(db.select(MatchRun).where(MatchRun.id == latest_batch_id().scalar_subquery()))
    if project is None or run is None or run.status != "done":
        return run, []
    return run, candidate_rows(run, project_id=project.id)
