"""From an empty database to staff at work: the production recipe, the first admin, and the
`flask users` commands refusing bad input."""
from datetime import date, timedelta

import pytest

from app.extensions import db as _db
from app.models import AuditEntry, HelpRequest, OutboxEmail, Project, ProjectTemplate, Skill, User
from tests import recipe
from tests.conftest import PG_URL, _make_app
from tests.mailbox import confirmation_path, latest_email, link_path


@pytest.fixture
def fresh(tmp_path):
    url, drop = recipe.empty_database(PG_URL, tmp_path)
    yield url
    drop()


def test_production_recipe_then_admin_makes_staff_who_scopes_a_request(fresh, tmp_path):
    done = recipe.run_recipe(fresh, tmp_path / "inst", "ada@campaign-tech.org")
    assert "admin ada@campaign-tech.org created" in done.stdout
    app = _make_app(fresh, tmp_path / "app-inst")
    with app.app_context():
        client, staff_client, member_client = app.test_client(), app.test_client(), app.test_client()
        # Two people sign up and confirm their address: a future staff member and a campaign member.
        for c, email, role in ((staff_client, "sam@campaign-tech.org", "volunteer"),
                               (member_client, "maria@reyes.org", "campaign")):
            resp = c.post("/auth/register", data={"name": email.split("@")[0].title(), "email": email,
                                                  "password": "a long enough one", "confirm": "a long enough one",
                                                  "role": role})
            assert resp.status_code == 302
            assert c.get(confirmation_path(email)).status_code == 302
        resp = member_client.post("/campaigns/new", data={
            "name": "Reyes for Delegate", "candidate_name": "Rosa Reyes", "office": "House of Delegates",
            "office_level": "state", "state": "VA", "city": "Richmond", "timezone": "America/New_York",
            "election_date": (date.today() + timedelta(days=200)).isoformat()})
        assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
        campaign_id = int(resp.headers["Location"].rstrip("/").rsplit("/", 1)[1])
        template = _db.session.scalars(db_select_template()).first()
        resp = member_client.post(f"/campaigns/{campaign_id}/requests/new",
                                  data={"goals": "Raise money online", "categories": template.category})
        assert resp.status_code == 302
        # The admin logs in with the password typed at the prompt and makes Sam staff.
        resp = client.post("/auth/login", data={"email": "ada@campaign-tech.org", "password": recipe.ADMIN_PASSWORD})
        assert resp.status_code == 302
        sam = _db.session.scalar(_db.select(User).where(User.email == "sam@campaign-tech.org"))
        assert client.get("/staff/users").status_code == 200
        assert client.post(f"/staff/users/{sam.id}/role", data={"role": "staff"}).status_code == 302
        # Sam's old session ended with the role change; Sam logs in again as staff and scopes the request.
        staff_client.post("/auth/login", data={"email": sam.email, "password": "a long enough one"})
        help_request = _db.session.scalar(_db.select(HelpRequest))
        assert staff_client.get("/staff/scoping/").status_code == 200
        skill = template.skills[0].skill if template.skills else _db.session.scalars(_db.select(Skill)).first()
        resp = staff_client.post(f"/staff/scoping/requests/{help_request.id}/scope/{template.id}", data={
            "title": "Donation page", "summary": "Take money online.", "deliverables": "Page live",
            "campaign_provides": "", "metrics-0-name": "Online donations", "metrics-0-unit": "$",
            "metrics-0-target": "5000", "skills-0-skill_id": str(skill.id), "skills-0-level": "2",
            "skills-0-weight": "1", "team_min": str(template.team_min), "team_max": str(template.team_max),
            "hours_per_week": "6", "weeks": "6",
            "start_date": (date.today() + timedelta(days=10)).isoformat(), "previous_project_id": ""})
        assert resp.status_code == 302, [ln for ln in resp.get_data(as_text=True).splitlines() if "field-error" in ln]
        project = _db.session.scalar(_db.select(Project))
        assert project.help_request_id == help_request.id and project.status == "draft"
        _db.session.remove()
        _db.engine.dispose()


def db_select_template():
    return _db.select(ProjectTemplate).where(ProjectTemplate.retired.is_(False)).order_by(ProjectTemplate.id)


def test_send_link_emails_a_set_password_link_that_works(fresh, tmp_path):
    for step in (("db", "upgrade"),):
        assert recipe.flask_cli(fresh, tmp_path / "i", *step).returncode == 0
    done = recipe.flask_cli(fresh, tmp_path / "i", "users", "create-admin", "ops@example.org", "--send-link")
    assert done.returncode == 0, done.stderr
    app = _make_app(fresh, tmp_path / "app-inst", SECRET_KEY=recipe.SECRET_KEY)
    with app.app_context():
        mail = latest_email("ops@example.org", "set-password:")
        assert mail is not None and "choose a password" in mail.subject
        client = app.test_client()
        path = link_path(mail, "/auth/reset/")
        assert client.post(path, data={"password": "ops chose this", "confirm": "ops chose this"}).status_code == 302
        assert client.post("/auth/login", data={"email": "ops@example.org", "password": "ops chose this"}
                           ).status_code == 302
        assert client.get("/staff/users").status_code == 200
        assert _db.session.scalar(_db.select(AuditEntry).where(AuditEntry.action == "user.admin_created"))
        _db.session.remove()
        _db.engine.dispose()


BAD_INPUT = [
    (("users", "create-admin", "not-an-email"), "long enough pw\nlong enough pw\n", "is not an email address"),
    (("users", "create-admin", "a@example.org"), "short\nshort\n", "at least 10 characters"),
    (("users", "create-admin", "a@example.org"), "aaaaaaaaaaaa\naaaaaaaaaaaa\n", "too easy to guess"),
    (("users", "create-admin", "taken@example.org"), "long enough pw\nlong enough pw\n", "already has an account"),
    (("users", "set-role", "nobody@example.org", "staff"), None, "No account has the address nobody@example.org"),
    (("users", "set-role", "taken@example.org", "overlord"), None, "Unknown role 'overlord'"),
]


def test_bad_input_is_refused_clearly_with_a_non_zero_exit_and_changes_nothing(fresh, tmp_path):
    # One database for every case. The set-up and the last command run as real `flask` processes;
    # the refusals run the same commands in-process (Click's runner: exit code and stderr as the
    # shell sees them), since each `flask` process costs about two seconds of CPU to build the app.
    assert recipe.flask_cli(fresh, tmp_path / "i", "db", "upgrade").returncode == 0
    assert recipe.flask_cli(fresh, tmp_path / "i", "users", "create-admin", "taken@example.org",
                            stdin="long enough pw\nlong enough pw\n").returncode == 0
    app = _make_app(fresh, tmp_path / "app-inst")
    for args, stdin, message in BAD_INPUT:
        with app.app_context():
            done = app.test_cli_runner().invoke(args=list(args), input=stdin)
            _db.session.remove()
        assert done.exit_code != 0 and message in done.stderr, (args, done.output)
    done = recipe.flask_cli(fresh, tmp_path / "i", "users", "set-role", "Taken@Example.org", "staff")
    assert done.returncode == 0 and "taken@example.org is now staff" in done.stdout
    with app.app_context():
        users = _db.session.scalars(_db.select(User)).all()
        assert [(u.email, u.role) for u in users] == [("taken@example.org", "staff")]  # nothing else written
        assert _db.session.scalar(_db.select(_db.func.count()).select_from(OutboxEmail)) == 0
        _db.session.remove()
        _db.engine.dispose()
