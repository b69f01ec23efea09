"""Weekly sprint calendar of a project phase."""
from datetime import timedelta


def sprint_calendar(start_date, weeks):
    """[(number, starts_on, ends_on, due_on)] for sprints 1..weeks; a check-in is due on a sprint's last day."""
    if not 1 <= weeks <= 8:
        raise ValueError("a project phase lasts 1 to 8 weeks")
    sprints = []
    for n in range(1, weeks + 1):
        starts = start_date + timedelta(weeks=n - 1)
        ends = starts + timedelta(days=6)
        sprints.append((n, starts, ends, ends))
    return sprints


def end_date_for(start_date, weeks):
    """A phase ends `weeks` weeks after it starts (the last sprint's last day + 1)."""
    return start_date + timedelta(weeks=weeks)
