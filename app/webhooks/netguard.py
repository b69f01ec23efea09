"""Webhook endpoints may not point into our own network (SSRF).

An organisation types a URL and our worker POSTs to it: without a check, `http://169.254.169.254/`
(cloud metadata), `http://localhost:6379/` or a private address would let anyone probe what only
the server can reach. So an endpoint whose host resolves to a loopback, private, link-local,
reserved or multicast address is refused, unless that address is in WEBHOOK_ALLOWED_NETWORKS
(CIDRs; the test settings allow loopback, where the test receiver listens).

Checked twice: when the endpoint is registered (a clear message for a typo or an internal address)
and at every delivery, because DNS can change in between (rebinding). At delivery the connection
goes to the very address that was checked (pinned), and redirects are not followed: a second DNS
answer or a 3xx cannot lead the request elsewhere. A host that does not resolve at registration is
accepted (DNS may be briefly down); its deliveries fail, and are listed, until it resolves.
"""
import http.client
import ipaddress
import socket
import urllib.request
from urllib.parse import urlsplit

from flask import current_app


class AddressRefused(Exception):
    """The endpoint's host resolves (or points) to an address we do not send webhooks to."""


class Unresolvable(Exception):
    """The endpoint's host does not resolve (now)."""


def _allowed_networks():
    return [ipaddress.ip_network(n, strict=False) for n in current_app.config.get("WEBHOOK_ALLOWED_NETWORKS") or ()]


def address_allowed(ip):
    """True for a public unicast address, or one inside a configured allowed network."""
    address = ipaddress.ip_address(ip)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is loopback
    if any(address in net for net in _allowed_networks()):
        return True
    return address.is_global and not address.is_multicast


def resolve(host, port):
    """Every address `host` resolves to (IP literals resolve to themselves)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as err:
        raise Unresolvable(f"{host} does not resolve") from err
    return list(dict.fromkeys(info[4][0] for info in infos))


def checked_address(url):
    """The address to connect to for `url`; AddressRefused when any address it resolves to is not allowed.

    All addresses must pass: a name that answers with one public and one private address is refused,
    not tried until the private one comes up.
    """
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = resolve(parts.hostname or "", port)
    refused = [a for a in addresses if not address_allowed(a)]
    if refused:
        raise AddressRefused(f"{parts.hostname} points to {refused[0]}, an internal address")
    return addresses[0]


def _pinned(connection_class, ip):
    def factory(host, **kwargs):
        conn = connection_class(host, **kwargs)
        # http.client connects through this attribute; the Host header and TLS name stay the URL's host.
        conn._create_connection = lambda address, *a, **k: socket.create_connection((ip, address[1]), *a, **k)
        return conn

    return factory


class _PinnedHTTP(urllib.request.HTTPHandler):
    def __init__(self, ip):
        super().__init__()
        self.ip = ip

    def http_open(self, req):
        return self.do_open(_pinned(http.client.HTTPConnection, self.ip), req)


class _PinnedHTTPS(urllib.request.HTTPSHandler):
    def __init__(self, ip):
        super().__init__()
        self.ip = ip

    def https_open(self, req):
        return self.do_open(_pinned(http.client.HTTPSConnection, self.ip), req, context=self._context)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 3xx surfaces as an HTTPError: the delivery fails and is retried, never redirected


def post(url, body, headers, timeout):
    """POST to `url` at the address just checked; returns the HTTP status. Raises AddressRefused,
    Unresolvable, urllib.error.HTTPError / URLError / OSError like urlopen."""
    ip = checked_address(url)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _PinnedHTTP(ip), _PinnedHTTPS(ip),
                                         _NoRedirect())
    # Only http(s) URLs are accepted when an endpoint is registered (app/webhooks/endpoints.py).
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    with opener.open(request, timeout=timeout) as resp:
        return resp.status
