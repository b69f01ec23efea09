"""Demo recruiting: the real matcher ranks volunteers for each recruiting project (a simple stand-in
if it cannot run), and staff send invitations; some accepted, some declined, the rest pending."""
import logging
from datetime import timedelta

from flask import current_app

from app.extensions import db
from app.lifecycle import InvitationStatus
from app.models import (
    Invitation,
    MatchCandidate,
    MatchRun,
    TeamMembership,
)
from app.seed import demo_text as T
from app.seed.demo_builder import place_score, skill_cover

log = logging.getLogger(__name__)


class RecruitingMixin:
    def recruit(self, plan):
        """Run the real matcher on a recruiting project, store the run, and send some invitations."""
        rng, project = self.rng, plan.project
        db.session.flush()
        staff = rng.choice(self.staff)
        started = self.now - timedelta(days=rng.randint(1, 3), hours=rng.randint(0, 12))
        run = MatchRun(kind="project", project_id=project.id, status="running", progress=0,
                       created_by_id=staff.id, created_at=started, started_at=started)
        db.session.add(run)
        db.session.flush()
        rows, eligible, filtered, suggested, weights = self.rank(project, run)
        run.weights = weights
        run.eligible_count = eligible
        run.filtered = filtered
        run.suggested_team = sorted(suggested)
        run.status, run.progress = "done", 100
        run.finished_at = started + timedelta(seconds=2)
        run.message = f"Ranked {eligible:,} eligible volunteers in 0.2 s"
        if rows:
            db.session.execute(db.insert(MatchCandidate), rows)
        self.counts["candidates"] += len(rows)
        # Staff invite the suggested team and a few more; some accept, some decline, the rest are pending.
        by_id = {v.profile.id: v for v in self.vols}
        ranked = [r["volunteer_id"] for r in sorted(rows, key=lambda r: r["rank"])]
        order = [vid for vid in ranked if vid in suggested] + [vid for vid in ranked if vid not in suggested]
        invited = order[: project.team_max + rng.randint(1, 3)]
        accepted = rng.randint(0, project.team_min - 1)
        declined = rng.randint(0, 2)
        days = current_app.config.get("INVITATION_DAYS", 5)
        seats = 0
        for i, vid in enumerate(invited):
            v = by_id[vid]
            sent = started + timedelta(hours=rng.randint(1, 8))
            inv = Invitation(project_id=project.id, volunteer_id=vid, match_run_id=run.id, invited_by_id=staff.id,
                             status=InvitationStatus.PENDING, created_at=sent, expires_at=sent + timedelta(days=days))
            if inv.expires_at <= self.now:
                inv.expires_at = self.now + timedelta(days=1, hours=rng.randint(0, 20))
            free = v.profile.hours_per_week - v.committed
            if seats < accepted and free >= project.hours_per_week and not v.profile.paused:
                inv.status = InvitationStatus.ACCEPTED
                inv.responded_at = min(sent + timedelta(hours=rng.randint(1, 30)), self.now - timedelta(minutes=5))
                db.session.add(inv)
                db.session.flush()
                m = TeamMembership(project_id=project.id, volunteer_id=vid, invitation_id=inv.id,
                                   hours_per_week=project.hours_per_week, joined_at=inv.responded_at)
                db.session.add(m)
                v.committed += project.hours_per_week
                v.placements += 1
                v.earliest = min(v.earliest or sent, sent)
                seats += 1
            else:
                if i >= len(invited) - declined:
                    inv.status = InvitationStatus.DECLINED
                    inv.responded_at = min(sent + timedelta(hours=rng.randint(2, 40)), self.now - timedelta(minutes=5))
                    inv.decline_reason = rng.choice(T.DECLINE_REASONS) if rng.random() < 0.7 else ""
                db.session.add(inv)
        project.seats_filled = seats
        self.counts["invitations"] += len(invited)

    def rank(self, project, run):
        """Candidate rows from the real matcher; a simple stand-in if the matcher cannot run."""
        weights = dict(current_app.config.get("MATCH_WEIGHTS") or {})
        try:
            from app.matching import rank_volunteers
            from app.recruiting.features import load_project_needs, load_volunteer_features

            features, labels = load_volunteer_features(self.today)
            needs = load_project_needs(project)
            result = rank_volunteers(features, needs, weights=weights or None,
                                     top_k=current_app.config.get("MATCH_TOP_K", 50), labels=labels)
        except Exception:  # the demo must load even while the matcher is being changed
            log.exception("demo: matcher failed; using the simple stand-in ranking")
            self.matcher_note = "(matcher unavailable: recruiting rankings use a simple stand-in)"
            return self.simple_rank(project, run, weights)
        suggested = set(int(i) for i in result.team.member_ids) if result.team else set()
        rows = [
            {
                "run_id": run.id, "project_id": project.id, "volunteer_id": int(c.volunteer_id),
                "rank": int(c.rank), "score": float(c.score),
                "components": {k: round(float(v), 4) for k, v in c.components.items()},
                "reasons": list(c.reasons), "suggested": int(c.volunteer_id) in suggested,
            }
            for c in result.candidates
        ]
        filtered = {k: int(v) for k, v in result.filtered.items()}
        return rows, int(result.eligible_count), filtered, suggested, dict(result.weights or weights)

    def simple_rank(self, project, run, weights):
        needs = [(s.skill_id, s.level, s.weight) for s in project.skills]
        campaign = project.campaign
        scored = []
        for v in self.vols:
            p = v.profile
            free = p.hours_per_week - v.committed
            if p.paused or p.opted_out or free < project.hours_per_week:
                continue
            skills = skill_cover(v.skills, needs)
            affinity = place_score(campaign, p)
            comps = {
                "skills": round(skills, 4), "affinity": affinity,
                "availability": round(min(1.0, free / (1.5 * project.hours_per_week)), 4),
                "reliability": 0.7, "fairness": 1.0 if v.placements == 0 else 0.6,
            }
            w = weights or {"skills": .45, "affinity": .2, "availability": .15, "reliability": .15, "fairness": .05}
            score = sum(w.get(k, 0) * comps[k] for k in comps)
            have = sum(1 for s, lv, _w in needs if v.skills.get(s, 0) >= lv)
            reasons = [f"{have} of {len(needs)} needed skills", f"{free} h/week free, {project.hours_per_week} needed"]
            scored.append((-score, p.id, comps, reasons))
        scored.sort()
        rows = [
            {"run_id": run.id, "project_id": project.id, "volunteer_id": vid, "rank": i + 1, "score": -s,
             "components": comps, "reasons": reasons, "suggested": i < project.team_min}
            for i, (s, vid, comps, reasons) in enumerate(scored[:50])
        ]
        suggested = {r["volunteer_id"] for r in rows if r["suggested"]}
        return rows, len(scored), {}, suggested, weights
