"""Shared set-up for the teams tests: an active project with its team, sprints, deliverables and metrics."""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from app.extensions import db
from app.models import Deliverable, Metric, Project, TeamMembership, User
from app.teams import formation
from app.teams.sprints import end_date_for


@dataclass
class Team:
    staff: User
    campaign_user: User
    campaign: object
    project: Project
    lead: User
    members: list  # Users, lead first
    memberships: list = field(default_factory=list)  # TeamMemberships, lead first

    @property
    def sprints(self):
        db.session.refresh(self.project)
        return list(self.project.sprints)

    def sprint(self, number):
        return self.sprints[number - 1]


def at(day, hour=12):
    """A naive UTC datetime on `day`."""
    return datetime.combine(day, time(hour))


def active_team(make, weeks=3, start=None, size=3, title="Donation page", hours=6, metric_target=5000):
    """Campaign + member, staff, `size` volunteers (the first lead-trained and named lead), an active project."""
    start = start or date.today() - timedelta(days=3)
    staff = make.user("staff", name="Sam Staff")
    campaign_user = make.user("campaign", name="Casey Campaign")
    campaign = make.campaign(campaign_user, name="Spanberger for Delegate")
    project = make.project(campaign, status="recruiting", weeks=weeks, hours=hours, title=title, team_min=3, team_max=5)
    project.start_date, project.end_date = start, end_date_for(start, weeks)
    project.summary = "A donation page that converts."
    project.deliverables = [Deliverable(title="Donation page live", position=0),
                            Deliverable(title="Thank-you email", position=1)]
    project.metrics = [Metric(name="Online donations", unit="$", target=metric_target, position=0)]
    members = [make.volunteer(hours=20, lead_trained=(i == 0)) for i in range(size)]
    memberships = []
    for u in members:
        m = TeamMembership(project_id=project.id, volunteer_id=u.volunteer_profile.id, hours_per_week=hours)
        db.session.add(m)
        memberships.append(m)
    project.seats_filled = size
    db.session.commit()
    assert formation.name_lead(staff, project, memberships[0].id)
    db.session.refresh(project)
    assert project.status == "active"
    return Team(staff, campaign_user, campaign, project, members[0], members, memberships)


def checkin_form(team, status="on_track", hours=4, progress=60, metric=1200, done="Shipped the page"):
    """The check-in page's form fields, as a browser posts them."""
    data = {"status": status, "done": done, "next_steps": "The rest", "blockers": ""}
    data.update({f"hours_{m.id}": str(hours) for m in team.memberships})
    data.update({f"progress_{d.id}": str(progress) for d in team.project.deliverables})
    data[f"metric_{team.project.metrics[0].id}"] = str(metric)
    return data


def checkin_data(team, status="on_track", hours=5, progress=(50, 20), metric=1000, **extra):
    data = {
        "status": status, "done": "Built the form", "next_steps": "Launch it", "blockers": "",
        "hours": {m.id: hours for m in team.memberships},
        "progress": {d.id: p for d, p in zip(team.project.deliverables, progress)},
        "metrics": {team.project.metrics[0].id: metric},
    }
    data.update(extra)
    return data
