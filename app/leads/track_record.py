"""A volunteer's track record as staff weigh it: projects completed and led, check-ins on time,
and the campaigns' ratings of the projects they finished."""
from dataclasses import dataclass

from sqlalchemy import func

from app.extensions import db
from app.models import Rating, TeamMembership
from app.lifecycle import MembershipStatus

# "Experienced": enough projects led, every check-in on time (the example).
TRAINER_MIN_PROJECTS_LED = 2


@dataclass(frozen=True)
class TrackRecord:
    projects_completed: int
    projects_dropped: int
    projects_led: int
    checkins_due: int
    checkins_on_time: int
    ratings: int
    average_rating: float | None

    @property
    def on_time_share(self):
        return None if not self.checkins_due else self.checkins_on_time / self.checkins_due

    @property
    def may_train(self):
        """Experienced enough to train other leads."""
        return (
            self.projects_led >= TRAINER_MIN_PROJECTS_LED
            and self.checkins_due > 0
            and self.checkins_on_time >= self.checkins_due
        )


def ratings_by_volunteer(volunteer_ids):
    """{volunteer id: (count, average)} of campaign ratings of projects they completed (one query)."""
    if not volunteer_ids:
        return {}
    rows = db.session.execute(
        db.select(TeamMembership.volunteer_id, func.count(Rating.id), func.avg(Rating.score))
        .join(Rating, Rating.project_id == TeamMembership.project_id)
        .where(
            TeamMembership.volunteer_id.in_(volunteer_ids),
            TeamMembership.status == MembershipStatus.COMPLETED,
            Rating.kind == "campaign",
        )
        .group_by(TeamMembership.volunteer_id)
    )
    return {vid: (n, float(avg)) for vid, n, avg in rows}


def track_records(profiles):
    """{profile id: TrackRecord} for these profiles (one query for the ratings)."""
    ratings = ratings_by_volunteer([p.id for p in profiles])
    return {p.id: record_for(p, ratings.get(p.id)) for p in profiles}


def record_for(profile, rating=None):
    n, avg = rating or (0, None)
    return TrackRecord(
        projects_completed=profile.projects_completed, projects_dropped=profile.projects_dropped,
        projects_led=profile.projects_led, checkins_due=profile.checkins_due,
        checkins_on_time=profile.checkins_on_time, ratings=n, average_rating=avg,
    )
