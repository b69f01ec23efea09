"""Account jobs: thin wrappers that open an app context and call the auth services."""
from app.jobs.context import job_context


def password_reset_job(email):
    """Look the address up and queue its reset email, if it has an account; safe to run twice."""
    from app.auth.services import send_password_reset

    with job_context():
        send_password_reset(email)
