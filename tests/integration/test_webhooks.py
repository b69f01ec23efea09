"""Webhooks: emit() writes deliveries in the caller's transaction; signed per Standard Webhooks;
delivered exactly once per event through a receiver outage and a worker SIGKILL (real processes)."""
import subprocess
import sys
from pathlib import Path

import pytest
from standardwebhooks.webhooks import Webhook

from app.campaigns import services as campaigns

from app.models import WebhookDelivery
from app.orgs.scope import Org
from app.webhooks import endpoints, sender
from app.webhooks.events import emit, emit_for_campaign
from tests.integration import org_helpers
from tests.integration.fault_tools import Worker, free_port, wait_for
from tests.services import flush_redis, require_env

RECEIVER = Path(__file__).with_name("webhook_receiver.py")


def test_emit_writes_one_delivery_per_subscribed_endpoint_in_the_callers_transaction(db, make):
    owner = make.user("campaign")
    campaign = make.campaign(owner)
    partner = org_helpers.partner(make)
    from app.models import PartnerCampaign

    db.session.add(PartnerCampaign(partner_id=partner.id, campaign_id=campaign.id, status="active"))
    db.session.commit()
    wants = endpoints.register_endpoint(owner, Org("campaign", campaign.id), "https://example.org/hook",
                                        ["request.received"])
    partner_hook = endpoints.register_endpoint(owner, Org("partner", partner.id), "https://p.example.org/h",
                                               ["request.received", "team.formed"])
    endpoints.register_endpoint(owner, Org("campaign", campaign.id), "https://example.org/other", ["team.formed"])

    emit_for_campaign("request.received", campaign.id, {"help_request_id": 1})
    db.session.rollback()  # the caller's change was undone: so are its deliveries
    assert db.session.scalar(db.select(db.func.count(WebhookDelivery.id))) == 0

    campaigns.submit_request(owner, campaign, {"goals": "Win", "categories": ["website"]})
    rows = db.session.scalars(db.select(WebhookDelivery).order_by(WebhookDelivery.endpoint_id)).all()
    assert [r.endpoint_id for r in rows] == [wants.id, partner_hook.id]
    assert rows[0].event_id == rows[1].event_id and rows[0].payload["type"] == "request.received"
    with pytest.raises(ValueError):
        emit("no.such.event", [Org("campaign", campaign.id)], {})


def test_signature_verifies_with_the_standardwebhooks_package(db, make):
    owner = make.user("campaign")
    campaign = make.campaign(owner)
    endpoint = endpoints.register_endpoint(owner, Org("campaign", campaign.id), "https://example.org/h",
                                           ["request.received"])
    row = emit_for_campaign("request.received", campaign.id, {"help_request_id": 7})[0]
    from app.models.base import utcnow

    body, headers = sender.signed_request(endpoint, row, utcnow())
    assert Webhook(endpoint.secret).verify(body, headers)["data"]["help_request_id"] == 7
    with pytest.raises(Exception):
        Webhook("whsec_" + "A" * 44).verify(body, headers)


def test_deliveries_page_lists_and_redelivers_only_my_own(client, login, db, make):
    owner = make.user("campaign")
    campaign = make.campaign(owner)
    other_owner = make.user("campaign")
    other = make.campaign(other_owner)
    login(owner)
    resp = client.post(f"/orgs/campaigns/{campaign.id}/webhooks",
                       data={"url": "http://127.0.0.1:9/nowhere", "events": ["request.received"]})
    assert resp.status_code == 200 and "whsec_" in resp.get_data(as_text=True)
    bad = client.post(f"/orgs/campaigns/{campaign.id}/webhooks", data={"url": "ftp://x", "events": []})
    assert bad.status_code == 422
    campaigns.submit_request(owner, campaign, {"goals": "Win", "categories": ["website"]})
    row = db.session.scalar(db.select(WebhookDelivery))
    assert row.status == "pending" and row.attempts == 1 and "Connection refused" in row.last_error
    page = client.get(f"/orgs/campaigns/{campaign.id}/webhooks").get_data(as_text=True)
    assert row.event_id in page
    assert client.post(f"/orgs/campaigns/{campaign.id}/webhooks/deliveries/{row.id}/redeliver").status_code == 302
    login(other_owner)
    assert client.post(f"/orgs/campaigns/{other.id}/webhooks/deliveries/{row.id}/redeliver").status_code == 404
    assert row.event_id not in client.get(f"/orgs/campaigns/{other.id}/webhooks").get_data(as_text=True)


EVENTS = 30
HOLD_AT = 12


@pytest.mark.parametrize("app_config", [{"WEBHOOK_RETRY_INTERVALS": [1, 1, 2, 2, 3, 3, 5, 5]}])
def test_each_event_counted_once_through_receiver_outage_and_worker_kill(app, db, make, tmp_path, app_config):
    redis_url = require_env("TEST_REDIS_URL")
    app.config["REDIS_URL"] = redis_url
    flush_redis(redis_url)
    port = free_port()
    owner = make.user("campaign")
    campaign = make.campaign(owner)
    endpoint = endpoints.register_endpoint(owner, Org("campaign", campaign.id), f"http://127.0.0.1:{port}/hook",
                                           ["checkin.logged"])
    folder = tmp_path / "receiver"
    receiver = None
    worker = replacement = None
    # The worker runs the development config: loopback (the receiver) is allowed through the environment.
    env = {"WEBHOOK_CLAIM_SECONDS": "3", "WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8"}
    try:
        # Receiver down: every first attempt is refused and retried with backoff (RQ's scheduler).
        worker = Worker(app, redis_url, tmp_path / "w1", queues=("default",), scheduler=True, name="doomed",
                        extra_env=env)
        for i in range(EVENTS):
            emit_for_campaign("checkin.logged", campaign.id, {"n": i})
            db.session.commit()  # each commit enqueues its delivery
        wait_for(lambda: _failed_attempts(db) >= 5, 120, what="deliveries to fail while the receiver is down")

        # The receiver comes back; it holds its HOLD_AT-th POST so we can kill the worker mid-delivery.
        receiver = subprocess.Popen([sys.executable, str(RECEIVER), str(port), endpoint.secret, str(folder),
                                     str(HOLD_AT)])
        wait_for(lambda: (folder / "holding").exists(), 180, what="the receiver to hold a delivery")
        worker.kill()
        (folder / "release").write_text("")

        replacement = Worker(app, redis_url, tmp_path / "w2", queues=("default",), scheduler=True,
                             name="replacement", extra_env=env)

        def all_delivered():
            db.session.rollback()
            with app.app_context():
                sender.sweep(older_than_seconds=0)  # what rq cron runs every minute
            return _status_counts(db) == {"delivered": EVENTS}

        wait_for(all_delivered, 300, interval=1, what="every delivery to be marked delivered")
    finally:
        for w in (worker, replacement):
            if w is not None:
                w.stop()
        if receiver is not None:
            receiver.kill()
            receiver.wait(10)
    emitted = set(db.session.scalars(db.select(WebhookDelivery.event_id)))
    counted = (folder / "counted").read_text().split()
    received = (folder / "received").read_text().split()
    assert len(counted) == len(set(counted)) == EVENTS and set(counted) == emitted
    assert not (folder / "rejected").exists(), "a delivery failed signature verification"
    # The held POST reached the receiver but its sender died before recording it: it came again,
    # with the same webhook-id, and the receiver acknowledged it without counting it twice.
    assert len(received) - EVENTS <= 1


def _failed_attempts(db):
    db.session.rollback()
    return db.session.scalar(db.select(db.func.coalesce(db.func.sum(WebhookDelivery.attempts), 0)))


def _status_counts(db):
    rows = db.session.execute(db.select(WebhookDelivery.status, db.func.count()).group_by(WebhookDelivery.status))
    return dict(rows.all())



