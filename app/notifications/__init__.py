"""Notifications: what each person is told, in the app and by email (at once or in a daily digest)."""
from app.notifications.service import campaign_people, notify, send_digests, staff_users

__all__ = ["campaign_people", "notify", "send_digests", "staff_users"]
