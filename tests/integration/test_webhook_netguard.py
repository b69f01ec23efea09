"""Webhook endpoints never reach into our own network (SSRF): refused at registration and again at
every delivery (DNS rebinding), unless WEBHOOK_ALLOWED_NETWORKS lets the address through."""
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from app.campaigns import services as campaigns
from app.errors.domain import DomainError
from app.models import WebhookDelivery, WebhookEndpoint
from app.orgs.scope import Org
from app.webhooks import endpoints, netguard, sender

PUBLIC = "93.184.215.14"


@pytest.fixture
def dns(monkeypatch):
    """A fake resolver: {host: [addresses]}; IP literals resolve to themselves, other names fail."""
    answers = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port)) for ip in answers[host]]
        try:
            socket.inet_pton(socket.AF_INET6 if ":" in host else socket.AF_INET, host)
        except OSError:
            raise socket.gaierror(-2, "Name or service not known") from None
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(netguard.socket, "getaddrinfo", getaddrinfo)
    return answers


@pytest.fixture
def owner_campaign(make, app):
    app.config["WEBHOOK_ALLOWED_NETWORKS"] = []  # production: nothing internal is allowed
    owner = make.user("campaign")
    return owner, make.campaign(owner)


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8080/hook", "http://localhost/hook", "http://10.1.2.3/h", "http://192.168.0.5/h",
    "http://169.254.169.254/latest/meta-data", "http://[::1]/h", "http://[::ffff:127.0.0.1]/h", "http://0.0.0.0/h",
    "https://rebind.example/h",
])
def test_registration_refuses_internal_addresses(db, dns, owner_campaign, url):
    dns.update({"localhost": ["127.0.0.1"], "rebind.example": [PUBLIC, "10.0.0.7"]})
    owner, campaign = owner_campaign
    with pytest.raises(DomainError, match="private network"):
        endpoints.register_endpoint(owner, Org("campaign", campaign.id), url, ["request.received"])
    assert db.session.scalar(db.select(db.func.count(WebhookEndpoint.id))) == 0


def test_the_form_keeps_what_was_typed_and_the_allow_list_lets_loopback_through(client, login, db, dns, app,
                                                                                 owner_campaign):
    owner, campaign = owner_campaign
    login(owner)
    resp = client.post(f"/orgs/campaigns/{campaign.id}/webhooks",
                       data={"url": "http://127.0.0.1:9/hook", "events": ["request.received"]})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "private network" in page and "http://127.0.0.1:9/hook" in page
    app.config["WEBHOOK_ALLOWED_NETWORKS"] = ["127.0.0.0/8"]
    dns["hooks.example"] = [PUBLIC]
    for url in ("http://127.0.0.1:9/hook", "https://hooks.example/h", "https://not-resolving-now.example/h"):
        endpoints.register_endpoint(owner, Org("campaign", campaign.id), url, ["request.received"])
    assert db.session.scalar(db.select(db.func.count(WebhookEndpoint.id))) == 3


class _Counter(BaseHTTPRequestHandler):
    hits = []

    def do_POST(self):  # noqa: N802 -- http.server's name
        self.hits.append(self.headers["Host"])
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    _Counter.hits = []
    server = HTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], _Counter.hits
    server.shutdown()
    server.server_close()


def test_delivery_checks_again_and_connects_to_the_checked_address(db, dns, app, owner_campaign, receiver):
    port, hits = receiver
    owner, campaign = owner_campaign
    dns["hooks.example"] = [PUBLIC]
    endpoints.register_endpoint(owner, Org("campaign", campaign.id), f"http://hooks.example:{port}/h",
                                ["request.received"])
    # The name now answers with a loopback address (rebinding): the delivery is refused, nothing is sent.
    dns["hooks.example"] = ["127.0.0.1"]
    campaigns.submit_request(owner, campaign, {"goals": "Win", "categories": ["website"]})
    row = db.session.scalar(db.select(WebhookDelivery))
    assert row.status == "pending" and "internal address" in row.last_error and hits == []
    # An operator allows loopback: the very address checked is the one connected to (the name
    # resolves nowhere else), with the URL's own host in the Host header.
    app.config["WEBHOOK_ALLOWED_NETWORKS"] = ["127.0.0.1/32"]
    sender.redeliver(row.id)
    db.session.refresh(row)
    assert row.status == "delivered" and hits == [f"hooks.example:{port}"]


def test_redirects_are_not_followed(db, dns, app, owner_campaign):
    class Redirect(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            self.send_response(307)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        app.config["WEBHOOK_ALLOWED_NETWORKS"] = ["127.0.0.0/8"]
        owner, campaign = owner_campaign
        endpoints.register_endpoint(owner, Org("campaign", campaign.id),
                                    f"http://127.0.0.1:{server.server_address[1]}/h", ["request.received"])
        campaigns.submit_request(owner, campaign, {"goals": "Win", "categories": ["website"]})
        row = db.session.scalar(db.select(WebhookDelivery))
        assert row.status == "pending" and row.last_status_code == 307
    finally:
        server.shutdown()
        server.server_close()
