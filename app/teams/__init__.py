"""Project teams, from forming to finishing. Start at `routes.py` (the pages) or the module for the step.

Who may see and do what on a team (the workspace roles staff / lead / member / campaign, who writes
check-ins, who records a departure) lives in app/permissions.py, section "project teams"; these
modules only ask it. Statuses and their transitions: app/lifecycle.py. "Today": app/clock.py.

Life of a team, in order:
  formation.py       naming the lead, activating the project with its weekly sprints
  sprints.py         the weekly sprint calendar of a phase
  seats.py           seat arithmetic: open seats, full team, needs a replacement
  commitments.py     hours already promised (commitments never exceed hours offered)
  checkins.py        weekly check-ins: written by the lead, acknowledged by the campaign, notes
  reminders.py       the daily reminders run (`flask reminders send`)
  departures.py      a member leaves (themselves, or recorded by the lead or staff)
  completion.py      final report, completing the project (track records), ratings

What the pages show:
  workspace.py       the team page (members, contacts, sprint states) and "my projects"
  charts.py          Chart.js configurations (burn-up, hours per week)
  progress.py        a campaign's view of its projects' progress
  health.py          the staff health board: late, at risk, silent
  history.py         a volunteer's commitments, due dates and history
  calendar_feed.py   the .ics feed of sprint due dates
  forms.py           the workspace's forms (the check-in form grows per member/deliverable/metric)
"""
