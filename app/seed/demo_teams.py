"""Demo teams at work: choosing each team and its lead, weekly sprints with check-ins, and the end
of a completed project (final report, ratings)."""
from datetime import datetime, time, timedelta

from app.extensions import db
from app.lifecycle import InvitationStatus, MembershipStatus
from app.models import CheckIn, CheckInHours, CheckInNote, DeliverableProgress, FinalReport, Invitation
from app.models import MetricValue, Rating, Sprint, TeamMembership
from app.seed import demo_text as T
from app.seed.demo_builder import place_score, skill_cover
from app.teams.sprints import sprint_calendar


class TeamsMixin:
    def fit(self, vol, project, needs, campaign):
        """How good a teammate `vol` is for `project` (skills first, then place), with a little noise."""
        cover = skill_cover(vol.skills, needs)
        place = place_score(campaign, vol.profile)
        return 0.65 * cover + 0.25 * place + 0.1 * self.rng.random() - 0.04 * vol.placements

    def staff_team(self, plan):
        """Choose a team (and its lead) for an active or completed project; create invitations and memberships."""
        rng, project, campaign = self.rng, plan.project, plan.campaign
        current = plan.status == "active"
        needs = [(s.skill_id, s.level, s.weight) for s in project.skills]
        size = rng.randint(project.team_min, project.team_max)
        dropping = size > project.team_min and rng.random() < (0.25 if plan.status == "completed" else 0.1)

        def eligible(v):
            p = v.profile
            if p.opted_out or (current and p.paused):
                return False
            if current:
                if p.hours_per_week - v.committed < project.hours_per_week:
                    return False
                if p.available_from > project.start_date:
                    return False
                if p.available_until is not None and p.available_until < project.end_date:
                    return False
            return True

        pool = sorted((v for v in self.vols if eligible(v)), key=lambda v: -self.fit(v, project, needs, campaign))
        if len(pool) < size:  # a tiny demo: let the people with most free time stretch their offer
            spare = sorted((v for v in self.vols if v not in pool and not v.profile.paused),
                           key=lambda v: v.committed - v.profile.hours_per_week)
            for v in spare[: size - len(pool)]:
                v.profile.hours_per_week = min(40, v.committed + project.hours_per_week)
                if current:
                    v.profile.available_from = min(v.profile.available_from, project.start_date)
                    v.profile.available_until = None
                pool.append(v)
        top = pool[: max(size * 6, 20)]
        lead = next((v for v in top if v.profile.lead_trained), None)
        if lead is None:  # nobody trained in the shortlist: the best candidate took the training
            lead = top[0]
            lead.profile.lead_trained = True
        trained_on = project.start_date - timedelta(days=rng.randint(20, 200))
        if lead.profile.lead_trained_on is None or lead.profile.lead_trained_on > project.start_date:
            lead.profile.lead_trained_on = trained_on
        team = [lead]
        covered = {s for s, level, _w in needs if lead.skills.get(s, 0) >= level - 1}
        rest = [v for v in top if v is not lead]
        while len(team) < size and rest:
            best = max(rest, key=lambda v: sum(1 for s, lv, _w in needs if s not in covered and v.skills.get(s, 0) >= lv - 1)
                       + 0.01 * (len(rest) - rest.index(v)))
            rest.remove(best)
            team.append(best)
            covered |= {s for s, level, _w in needs if best.skills.get(s, 0) >= level - 1}
        # Invitations: everyone on the team accepted; a few others declined or were closed when it filled.
        invited_at = datetime.combine(project.start_date, time(17)) - timedelta(days=rng.randint(7, 12))
        staff = rng.choice(self.staff)
        drop_at = rng.randint(2, max(2, project.weeks - 1)) if dropping else None
        dropper = team[-1] if dropping else None
        for v in team:
            inv = Invitation(
                project=project, volunteer=v.profile, invited_by_id=staff.id, status=InvitationStatus.ACCEPTED,
                created_at=invited_at, expires_at=invited_at + timedelta(days=5),
                responded_at=invited_at + timedelta(hours=rng.randint(2, 60)),
            )
            m = TeamMembership(
                project=project, volunteer=v.profile, is_lead=v is lead,
                status=MembershipStatus.ACTIVE if current else MembershipStatus.COMPLETED, hours_per_week=project.hours_per_week,
                joined_at=inv.responded_at,
            )
            m._invitation = inv
            if v is dropper:
                m.status = MembershipStatus.DROPPED
                m.ended_at = min(datetime.combine(project.start_date + timedelta(weeks=drop_at - 1, days=3), time(20)),
                                 self.now - timedelta(hours=2))
                m._drop_sprint = drop_at
                v.dropped += 1
            elif not current:
                m.ended_at = project.completed_at
                v.completed += 1
            if current and m.status == MembershipStatus.ACTIVE:
                v.committed += project.hours_per_week
            if m.is_lead:
                v.led += 1
            v.placements += 1
            v.earliest = min(v.earliest or invited_at, invited_at)
            db.session.add_all([inv, m])
            plan.members.append((m, v))
        others = [v for v in pool[size: size + 12] if v not in team]
        for v in rng.sample(others, min(len(others), rng.randint(0, 3))):
            declined = rng.random() < 0.6
            db.session.add(Invitation(
                project=project, volunteer=v.profile, invited_by_id=staff.id,
                status=InvitationStatus.DECLINED if declined else InvitationStatus.CLOSED, created_at=invited_at,
                expires_at=invited_at + timedelta(days=5),
                responded_at=invited_at + timedelta(hours=rng.randint(3, 90)),
                decline_reason=rng.choice(T.DECLINE_REASONS) if declined and rng.random() < 0.7 else "",
            ))
            self.counts["invitations"] += 1
        self.counts["invitations"] += len(team)
        project.seats_filled = sum(1 for m, _v in plan.members if m.status != "dropped")

    # ---------------------------------------------------------------- sprints and check-ins

    def run_sprints(self, plan):
        rng, project = self.rng, plan.project
        for m, _v in plan.members:
            m.invitation_id = m._invitation.id
        lead_m, lead = next((m, v) for m, v in plan.members if m.is_lead)
        campaign_users = self.members_of[id(plan.campaign)]
        health = self.weighted({"good": 58, "wobbly": 27, "troubled": 15})
        silent_tail = 0
        if plan.status == "active" and rng.random() < 0.2:
            silent_tail = rng.choice((1, 1, 2))
        # The first active projects show the health board's three cases: fine, in trouble, silent.
        active = [p for p in self.plans if p.status == "active"]
        if plan in active[:3]:
            health = ("good", "troubled", "wobbly")[active.index(plan)]
            silent_tail = 2 if active.index(plan) == 2 else 0
        perf = {"good": rng.uniform(0.95, 1.12), "wobbly": rng.uniform(0.78, 0.95),
                "troubled": rng.uniform(0.55, 0.78)}[health]
        calendar = sprint_calendar(project.start_date, project.weeks)
        past_due = [n for n, _s, _e, due in calendar if due < self.today]
        last_due = past_due[-1] if past_due else 0
        k = len(project.deliverables)
        spans = [(0.45 * i / k, 0.55 + 0.45 * (i + 1) / k) for i in range(k)]
        latest = None
        for number, starts, ends, due in calendar:
            sprint = Sprint(project=project, number=number, starts_on=starts, ends_on=ends, due_on=due)
            db.session.add(sprint)
            if due >= self.today:
                continue
            working = [(m, v) for m, v in plan.members
                       if not (m.status == "dropped" and number > getattr(m, "_drop_sprint", 99))]
            for _m, v in working:
                v.checkins_due += 1
            missing = (plan.status == "active" and number > last_due - silent_tail) or (
                plan.status == "completed" and number < project.weeks and rng.random() < 0.04)
            if missing:
                continue
            frac = number / project.weeks
            if health == "good":
                status = "on_track" if rng.random() < 0.92 else "at_risk"
            elif health == "wobbly":
                status = self.weighted({"on_track": 45, "at_risk": 50, "off_track": 5}) if number > 1 else "on_track"
            else:
                status = self.weighted({"on_track": 15, "at_risk": 40, "off_track": 45}) if number > 1 else "at_risk"
            on_time = rng.random() < {"good": 0.93, "wobbly": 0.8, "troubled": 0.6}[health]
            submitted = self.at(due) if on_time else self.at(due + timedelta(days=rng.randint(1, 3)))
            done_items = [d for d, (a, b) in zip(project.deliverables, spans) if a < frac]
            next_items = [d for d, (a, b) in zip(project.deliverables, spans) if b > frac] or project.deliverables[-1:]
            blockers = ""
            if status == "at_risk":
                blockers = rng.choice(T.BLOCKERS_AT_RISK)
            elif status == "off_track":
                blockers = rng.choice(T.BLOCKERS_OFF_TRACK)
            checkin = CheckIn(
                sprint=sprint, project_id=project.id, author_id=lead.user.id, status=status,
                done=(f"Worked on: {'; '.join(d.title for d in done_items[-2:])}. "
                      if done_items else "Kick-off with the campaign, accounts and access sorted. ")
                + rng.choice(T.DONE_LINES),
                next_steps=f"Next: {next_items[0].title}." if number < project.weeks
                else "Wrap up, write the handover notes and the final report.",
                blockers=blockers, on_time=on_time, submitted_at=submitted, updated_at=submitted,
            )
            if rng.random() < 0.6:
                ack = min(submitted + timedelta(hours=rng.randint(3, 40)), self.now - timedelta(minutes=10))
                checkin.acknowledged_at = ack
                checkin.acknowledged_by_id = rng.choice(campaign_users).id
                if status != "on_track" or rng.random() < 0.3:
                    checkin.campaign_comment = rng.choice(T.ACK_COMMENTS)
            if status != "on_track" and rng.random() < 0.4:
                checkin.notes.append(CheckInNote(author_id=rng.choice(self.staff).id, body=rng.choice(T.STAFF_NOTES),
                                                 created_at=min(submitted + timedelta(hours=20), self.now)))
            slack = {"on_track": 1.0, "at_risk": 0.75, "off_track": 0.5}[status]
            for m, _v in working:
                hours = project.hours_per_week * slack * rng.uniform(0.8, 1.15)
                checkin.hours.append(CheckInHours(membership_id=m.id, hours=round(hours * 2) / 2))
            final = plan.status == "completed" and number == project.weeks
            progress = {}
            for d, (a, b) in zip(project.deliverables, spans):
                value = max(0.0, min(1.0, (frac - a) / (b - a))) * min(1.0, perf)
                pct = 100 if final and perf >= 0.9 else int(round(value * 20)) * 5
                if final and perf < 0.9:
                    pct = max(pct, 70)
                pct = max(pct, getattr(d, "_last", 0))  # progress never goes back
                d._last = pct
                progress[d] = pct
                checkin.deliverable_progress.append(DeliverableProgress(deliverable_id=d.id, progress=pct))
            for mt in project.metrics:
                curve = frac ** 1.2
                if mt.unit in ("%", "score"):
                    value = round(mt.target * (0.55 + 0.45 * curve) * perf, 1)
                else:
                    value = float(round(mt.target * curve * perf))
                value = max(value, getattr(mt, "_last", 0.0))
                mt._last = value
                checkin.metric_values.append(MetricValue(metric_id=mt.id, value=value))
            for _m, v in working:
                if on_time:
                    v.checkins_on_time += 1
            db.session.add(checkin)
            self.counts["checkins"] += 1
            latest = checkin
        for d in project.deliverables:
            d.progress = getattr(d, "_last", 0)
        for mt in project.metrics:
            mt.current_value = getattr(mt, "_last", None)
        if plan.status == "completed":
            self.finish(plan, lead, latest)

    def finish(self, plan, lead, latest):
        rng, project = self.rng, plan.project
        when = project.completed_at
        db.session.add(FinalReport(
            project_id=project.id, author_id=lead.user.id, submitted_at=when,
            deliverables_done="\n".join(f"- {d.title}: {d.progress}%" for d in project.deliverables),
            metrics_reached="\n".join(
                f"- {m.name}: {m.current_value:g} of {m.target:g} {m.unit}" for m in project.metrics
                if m.current_value is not None
            ),
            handover_notes=rng.choice(T.HANDOVER_NOTES),
        ))
        done = sum(d.progress for d in project.deliverables) / max(1, len(project.deliverables))
        score = 5 if done >= 98 else 4 if done >= 85 else 3
        rater = self.members_of[id(plan.campaign)][0]
        db.session.add(Rating(
            project_id=project.id, rater_id=rater.id, kind="campaign",
            score=max(1, min(5, score - (1 if rng.random() < 0.1 else 0))),
            comment=rng.choice(T.CAMPAIGN_RATING_COMMENTS[:3] if score == 5 else T.CAMPAIGN_RATING_COMMENTS[2:]),
            created_at=min(when + timedelta(days=rng.randint(1, 6)), self.now),
        ))
        for m, v in plan.members:
            if m.status == "completed" and rng.random() < 0.8:
                db.session.add(Rating(
                    project_id=project.id, rater_id=v.user.id, kind="volunteer",
                    score=self.weighted({5: 55, 4: 30, 3: 12, 2: 3}),
                    comment=rng.choice(T.VOLUNTEER_RATING_COMMENTS) if rng.random() < 0.7 else "",
                    created_at=min(when + timedelta(days=rng.randint(0, 5)), self.now),
                ))
