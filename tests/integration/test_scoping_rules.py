"""Scoping rules, through the services: phase length, team size, dates, skills, follow-on work, approval."""
from datetime import date, timedelta

import pytest

from app.campaigns import services as campaigns
from app.errors.domain import DomainError
from app.models import AuditEntry, HelpRequest, OutboxEmail, Project
from app.scoping import approval, catalogue, formdata, queue, rules, services
from app.teams.sprints import end_date_for

TODAY = date.today()


def scope_data(skill, **over):
    data = {
        "title": "Donation page",
        "summary": "A page that takes online donations.",
        "campaign_provides": "Logo, copy approval, ActBlue account",
        "deliverables": "Donation page live\n\nThank-you email  \n",
        "metrics": [{"name": "Online donations", "unit": "$", "target": 5000.0}, {"name": "", "unit": "", "target": None}],
        "skills": [{"skill_id": str(skill.id), "level": 3, "weight": 1.0}, {"skill_id": "", "level": 2, "weight": 1.0}],
        "team_min": 3,
        "team_max": 5,
        "hours_per_week": 6,
        "weeks": 6,
        "start_date": TODAY + timedelta(days=7),
        "previous_project_id": "",
    }
    data.update(over)
    return data


@pytest.fixture
def world(make, db):
    member = make.user("campaign")
    staff = make.user("staff")
    skill = make.skill("React")
    template = make.template(skills=[(skill, 3)], team_min=3, team_max=5)
    campaign = make.campaign(member, election_in_days=120)
    req = HelpRequest(campaign_id=campaign.id, goals="Raise money online", categories=["fundraising"], status="new")
    db.session.add(req)
    db.session.commit()
    return {"member": member, "staff": staff, "skill": skill, "template": template, "campaign": campaign, "req": req}


def validate(world, **over):
    return rules.validate_scope(
        scope_data(world["skill"], **over), world["template"], world["campaign"], TODAY, {world["skill"].id}
    )


# ---------------------------------------------------------------- phase length


@pytest.mark.parametrize("weeks", [0, 9, -1, 20])
def test_a_phase_lasts_1_to_8_weeks(world, weeks):
    with pytest.raises(DomainError) as err:
        validate(world, weeks=weeks)
    assert err.value.field == "weeks"
    assert err.value.message == "A phase lasts 1 to 8 weeks; plan more work as a follow-on project."


@pytest.mark.parametrize("weeks", [1, 8])
def test_one_and_eight_weeks_are_fine(world, weeks):
    assert validate(world, weeks=weeks)["weeks"] == weeks


def test_weeks_must_be_a_number(world):
    with pytest.raises(DomainError) as err:
        validate(world, weeks=None)
    assert err.value.field == "weeks"


def test_end_date_is_start_plus_weeks_never_typed(world):
    start = TODAY + timedelta(days=10)
    scope = validate(world, start_date=start, weeks=4, end_date=TODAY)
    assert scope["end_date"] == end_date_for(start, 4) == start + timedelta(weeks=4)


# ---------------------------------------------------------------- team size


@pytest.mark.parametrize("team_min,team_max,field", [(2, 5, "team_min"), (3, 6, "team_max"), (1, 2, "team_min")])
def test_a_team_has_3_to_5_members(world, team_min, team_max, field):
    with pytest.raises(DomainError) as err:
        validate(world, team_min=team_min, team_max=team_max)
    assert err.value.field == field and err.value.message == "A team has 3 to 5 members."


def test_smallest_team_not_above_largest(world):
    with pytest.raises(DomainError) as err:
        validate(world, team_min=5, team_max=4)
    assert err.value.field == "team_min"


def test_team_within_the_template_range(world, make):
    world["template"] = make.template(skills=[(world["skill"], 2)], team_min=3, team_max=4, title="Email program")
    with pytest.raises(DomainError) as err:
        validate(world, team_min=3, team_max=5)
    assert err.value.field == "team_max"
    assert "“Email program” works with a team of 3 to 4" in err.value.message
    world["template"] = make.template(skills=[(world["skill"], 2)], team_min=4, team_max=5, title="Data")
    with pytest.raises(DomainError) as err:
        validate(world, team_min=3, team_max=5)
    assert err.value.field == "team_min"
    assert validate(world, team_min=4, team_max=4)["team_max"] == 4


def test_hours_per_week_bounded(world):
    for hours in (0, 41):
        with pytest.raises(DomainError) as err:
            validate(world, hours_per_week=hours)
        assert err.value.field == "hours_per_week"


# ---------------------------------------------------------------- dates


def test_start_in_the_past_is_refused(world):
    with pytest.raises(DomainError) as err:
        validate(world, start_date=TODAY - timedelta(days=1))
    assert err.value.field == "start_date" and "past" in err.value.message
    assert validate(world, start_date=TODAY)["start_date"] == TODAY


def test_missing_start_is_refused(world):
    with pytest.raises(DomainError) as err:
        validate(world, start_date=None)
    assert err.value.field == "start_date"


def test_end_after_election_is_flagged_not_refused(world, db):
    election = world["campaign"].election_date
    start = election - timedelta(weeks=2)
    scope = validate(world, start_date=start, weeks=4)
    assert scope["ends_after_election"] is True and scope["end_date"] > election
    assert validate(world, start_date=TODAY + timedelta(days=1), weeks=2)["ends_after_election"] is False
    project = services.scope_project(
        world["staff"], world["req"], world["template"], scope_data(world["skill"], start_date=start, weeks=4)
    )
    assert project.ends_after_election


# ---------------------------------------------------------------- content


def test_at_least_one_skill_need(world):
    with pytest.raises(DomainError) as err:
        validate(world, skills=[{"skill_id": "", "level": 2, "weight": 1.0}])
    assert err.value.field == "skills" and err.value.message == "Add at least one skill the team needs."
    with pytest.raises(DomainError):
        validate(world, skills=[])


def test_skill_rows_are_checked(world, make):
    sid = str(world["skill"].id)
    with pytest.raises(DomainError) as err:
        validate(world, skills=[{"skill_id": sid, "level": 3, "weight": 1}, {"skill_id": sid, "level": 2, "weight": 1}])
    assert "once" in err.value.message
    with pytest.raises(DomainError):
        validate(world, skills=[{"skill_id": sid, "level": 5, "weight": 1}])
    with pytest.raises(DomainError):
        validate(world, skills=[{"skill_id": sid, "level": 3, "weight": 0}])
    unknown = make.skill("Not allowed")
    with pytest.raises(DomainError) as err:
        validate(world, skills=[{"skill_id": str(unknown.id), "level": 3, "weight": 1}])
    assert "retired" in err.value.message


def test_blank_rows_ignored_and_weight_defaults(world):
    scope = validate(world, skills=[{"skill_id": str(world["skill"].id), "level": 2, "weight": None}])
    assert scope["skills"] == [{"skill_id": world["skill"].id, "level": 2, "weight": 1.0}]
    assert scope["deliverables"] == ["Donation page live", "Thank-you email"]
    assert scope["metrics"] == [{"name": "Online donations", "unit": "$", "target": 5000.0}]


def test_at_least_one_deliverable(world):
    with pytest.raises(DomainError) as err:
        validate(world, deliverables="  \n ")
    assert err.value.field == "deliverables"


def test_retired_skill_cannot_be_added(world, make, db):
    retired = make.skill("Flash")
    catalogue.set_skill_retired(world["staff"], retired, True)
    data = scope_data(world["skill"], skills=[{"skill_id": str(retired.id), "level": 2, "weight": 1}])
    with pytest.raises(DomainError):
        services.scope_project(world["staff"], world["req"], world["template"], data)


# ---------------------------------------------------------------- scoping a request


def test_scope_project_from_the_menu(world, db):
    project = services.scope_project(world["staff"], world["req"], world["template"], scope_data(world["skill"]))
    db.session.expire_all()
    project = db.session.get(Project, project.id)
    assert project.status == "draft" and project.template_id == world["template"].id
    assert project.help_request.status == "scoped"
    assert [d.title for d in project.deliverables] == ["Donation page live", "Thank-you email"]
    assert [(m.name, m.target) for m in project.metrics] == [("Online donations", 5000.0)]
    assert [(s.skill_id, s.level) for s in project.skills] == [(world["skill"].id, 3)]
    assert project.end_date == project.start_date + timedelta(weeks=6)
    actions = [e.action for e in db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == ["project.scoped", "help_request.status_changed"]


def test_prefill_from_template(world):
    data = formdata.scope_form_data(world["template"], world["req"])
    assert data["title"] == world["template"].title and data["weeks"] == 6
    assert data["deliverables"] == "First deliverable\nSecond deliverable"
    assert data["metrics"][0] == {"name": "Online donations", "unit": "$", "target": 5000}
    assert data["skills"][0]["skill_id"] == str(world["skill"].id)
    assert len(data["skills"]) == 1 + formdata.BLANK_ROWS


def test_nothing_saved_when_refused(world, db):
    with pytest.raises(DomainError):
        services.scope_project(world["staff"], world["req"], world["template"], scope_data(world["skill"], weeks=9))
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Project)) == 0
    assert db.session.get(HelpRequest, world["req"].id).status == "new"


def test_retired_template_cannot_be_scoped_but_keeps_its_projects(world, db):
    project = services.scope_project(world["staff"], world["req"], world["template"], scope_data(world["skill"]))
    catalogue.set_template_retired(world["staff"], world["template"], True)
    assert world["template"] not in catalogue.menu_for_request(world["req"])
    with pytest.raises(DomainError) as err:
        services.scope_project(world["staff"], world["req"], world["template"], scope_data(world["skill"]))
    assert "retired" in err.value.message
    assert db.session.get(Project, project.id).template_id == world["template"].id
    catalogue.set_template_retired(world["staff"], world["template"], False)
    assert world["template"] in catalogue.menu_for_request(world["req"])


def test_declined_request_cannot_be_scoped(world):
    queue.set_request_status(world["staff"], world["req"], "declined", "Outside our reach")
    with pytest.raises(DomainError):
        services.scope_project(world["staff"], world["req"], world["template"], scope_data(world["skill"]))


def test_declining_needs_a_note(world):
    with pytest.raises(DomainError) as err:
        queue.set_request_status(world["staff"], world["req"], "declined", "  ")
    assert err.value.field == "note"
    queue.set_request_status(world["staff"], world["req"], "in_conversation")
    assert world["req"].status == "in_conversation"
    with pytest.raises(DomainError):
        queue.set_request_status(world["staff"], world["req"], "scoped")


# ---------------------------------------------------------------- follow-on work


def test_follow_on_is_a_new_linked_project(world, make, db):
    first = make.project(world["campaign"], skills=[(world["skill"], 2)], status="active", weeks=8, start_in_days=-50)
    data = scope_data(world["skill"], previous_project_id=str(first.id), weeks=8)
    follow = services.scope_project(world["staff"], world["req"], world["template"], data)
    db.session.expire_all()
    first, follow = db.session.get(Project, first.id), db.session.get(Project, follow.id)
    assert follow.id != first.id and follow.previous_project_id == first.id and follow.weeks == 8
    assert first.weeks == 8 and first.status == "active"  # never extended


def test_follow_on_must_be_same_campaign_and_active_or_completed(world, make):
    other = make.campaign(make.user("campaign"))
    theirs = make.project(other, status="completed")
    with pytest.raises(DomainError) as err:
        services.scope_project(world["staff"], world["req"], world["template"],
                               scope_data(world["skill"], previous_project_id=str(theirs.id)))
    assert err.value.field == "previous_project_id"
    approved = make.project(world["campaign"], status="approved")
    with pytest.raises(DomainError):
        services.scope_project(world["staff"], world["req"], world["template"],
                               scope_data(world["skill"], previous_project_id=str(approved.id)))
    assert queue.follow_on_candidates(world["campaign"]) == []


def test_an_active_project_cannot_be_extended(world, make):
    active = make.project(world["campaign"], skills=[(world["skill"], 2)], status="active", weeks=6)
    with pytest.raises(DomainError) as err:
        services.update_scope(world["staff"], active, scope_data(world["skill"], weeks=8))
    assert "follow-on" in err.value.message


# ---------------------------------------------------------------- approval


def test_approval_cycle_with_changes(world, db):
    project = services.scope_project(world["staff"], world["req"], world["template"], scope_data(world["skill"]))
    with pytest.raises(DomainError):
        approval.approve_scope(world["member"], project)  # a draft is not sent yet
    approval.send_for_approval(world["staff"], project)
    assert project.status == "awaiting_approval"
    with pytest.raises(DomainError) as err:
        approval.request_changes(world["member"], project, "   ")
    assert err.value.field == "comment"
    approval.request_changes(world["member"], project, "We need it live two weeks earlier.")
    assert project.status == "changes_requested"
    services.update_scope(world["staff"], project, scope_data(world["skill"], weeks=4, title="Donation page v2"))
    assert project.title == "Donation page v2" and project.status == "changes_requested"
    approval.send_for_approval(world["staff"], project)
    approval.approve_scope(world["member"], project)
    assert project.status == "approved" and project.approved_by_id == world["member"].id and project.approved_at
    entries = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.object_type == "Project").order_by(AuditEntry.id)
    ).all()
    assert [e.action for e in entries] == [
        "project.scoped", "project.sent_for_approval", "project.changes_requested", "project.scope_edited",
        "project.sent_for_approval", "project.approved",
    ]
    assert entries[2].details["comment"] == "We need it live two weeks earlier."
    with pytest.raises(DomainError):
        services.update_scope(world["staff"], project, scope_data(world["skill"]))  # approved: frozen
    # each sending asked the campaign to review, once
    mails = db.session.scalars(db.select(OutboxEmail).where(OutboxEmail.category == "scoping")).all()
    to_member = [m for m in mails if m.to_email == world["member"].email]
    to_staff = [m for m in mails if m.to_email == world["staff"].email]
    assert len(to_member) == 2 and len(to_staff) == 2 and len(mails) == 4
    # staff hear of the change asked for (with what) and of the approval
    assert "two weeks earlier" in to_staff[0].text_body and to_staff[1].subject.startswith("Scope approved")
    assert "Please review the scope of Donation page" in mails[0].subject
    assert f"/campaigns/{project.campaign_id}/projects/{project.id}" in to_member[1].text_body


def test_phone_approval_needs_a_note(world, db):
    project = services.scope_project(world["staff"], world["req"], world["template"], scope_data(world["skill"]))
    with pytest.raises(DomainError):
        approval.record_phone_approval(world["staff"], project, "Jane said yes")  # not sent yet
    approval.send_for_approval(world["staff"], project)
    with pytest.raises(DomainError) as err:
        approval.record_phone_approval(world["staff"], project, "")
    assert err.value.field == "note"
    approval.record_phone_approval(world["staff"], project, "Jane Doe, by phone, May 3")
    assert project.status == "approved" and project.approval_note == "Jane Doe, by phone, May 3"
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "project.approved")).one()
    assert entry.details["by_phone"] is True and entry.actor_id == world["staff"].id


def test_sending_with_a_past_start_is_refused(world, make):
    project = make.project(world["campaign"], skills=[(world["skill"], 2)], status="draft", start_in_days=-1)
    with pytest.raises(DomainError):
        approval.send_for_approval(world["staff"], project)


# ---------------------------------------------------------------- the menu and the skills


def template_data(skill, **over):
    data = scope_data(skill, category="website")
    data.pop("start_date")
    data.update(over)
    return data


def test_menu_item_rules(world, db):
    for over, field in (({"weeks": 9}, "weeks"), ({"team_min": 2}, "team_min"), ({"category": "nope"}, "category"),
                        ({"skills": []}, "skills"), ({"summary": ""}, "summary")):
        with pytest.raises(DomainError) as err:
            catalogue.create_template(world["staff"], template_data(world["skill"], **over))
        assert err.value.field == field
    t = catalogue.create_template(world["staff"], template_data(world["skill"], title="Donation page"))
    assert t.slug == "donation-page" and t.metrics == [{"name": "Online donations", "unit": "$", "target": 5000.0}]
    t2 = catalogue.create_template(world["staff"], template_data(world["skill"], title="Donation page"))
    assert t2.slug == "donation-page-2"
    catalogue.update_template(world["staff"], t, template_data(world["skill"], title="Donation page", weeks=3))
    assert t.weeks == 3


def test_skill_taxonomy(world, db):
    s = catalogue.create_skill(world["staff"], {"name": "Figma", "category": "design", "description": ""})
    with pytest.raises(DomainError) as err:
        catalogue.create_skill(world["staff"], {"name": "figma", "category": "design"})
    assert err.value.field == "name"
    with pytest.raises(DomainError):
        catalogue.create_skill(world["staff"], {"name": "X", "category": "astrology"})
    catalogue.update_skill(world["staff"], s, {"name": "Figma", "category": "design", "description": "UI design"})
    catalogue.set_skill_retired(world["staff"], s, True)
    assert s.retired and s.id not in [sid for sid, _ in catalogue.skill_choices()]
    assert s.id in [sid for sid, _ in catalogue.skill_choices(keep=[s.id])]


# ---------------------------------------------------------------- help requests


def test_submit_request_rules(world, db):
    campaign, member = world["campaign"], world["member"]
    base = {"goals": "Raise $20k online", "categories": ["fundraising", "email"], "timing": "", "constraints": "",
            "desired_start": TODAY + timedelta(days=14)}
    for over, field in (({"categories": []}, "categories"), ({"goals": " "}, "goals"),
                        ({"desired_start": TODAY - timedelta(days=1)}, "desired_start"),
                        ({"categories": ["astrology"]}, "categories")):
        with pytest.raises(DomainError) as err:
            campaigns.submit_request(member, campaign, {**base, **over})
        assert err.value.field == field
    req = campaigns.submit_request(member, campaign, base)
    assert req.status == "new" and req.categories == ["fundraising", "email"] and req.submitted_by_id == member.id
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "help_request.submitted"))
