"""Webhooks: organisations' endpoints, deliveries written like the email outbox, signed per Standard Webhooks."""
