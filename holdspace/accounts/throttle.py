"""A global log-in limit per network (S50).

django-axes locks a username *from one address* (S23), so nobody can lock
someone else out. A flood that tries many usernames from one place passes
under it; this limit counts every failed log-in from a network — an IPv4
address, or an IPv6 /64, which one connection usually holds whole — and
after NETWORK_LOGIN_LIMIT within a minute answers further attempts from
there with "please wait a minute", before any password is hashed.

It never locks an account: a log-in from another network goes on as
always, and the limit ends by itself. Counts live in the database (a
sliding window over two one-minute buckets), so several servers share them.
Networks are stored only as keyed digests.
"""

from __future__ import annotations

import ipaddress
import math
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest

from holdspace.accounts.models import NetworkLoginFailures
from holdspace.lib.http import client_ip
from holdspace.vault import crypto

WINDOW_SECONDS = 60


def network_of(address: str) -> str:
    """The network an address counts for: itself for IPv4, its /64 for IPv6
    (an IPv4 address written as IPv6 counts as IPv4); "unknown" otherwise."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)


def _digest(network: str) -> str:
    key = crypto.digest(settings.SECRET_KEY.encode(), person=b"hs-network-key")
    return crypto.digest(network.encode(), key=key, person=b"hs-network").hex()


def _counts(network: str, now: float) -> tuple[int, int, float]:
    """(failures this minute, failures the minute before, how far into this minute 0…1)."""
    minute = int(now // WINDOW_SECONDS)
    rows = dict(
        NetworkLoginFailures.objects.filter(
            network=network, minute__in=(minute - 1, minute)
        ).values_list("minute", "count")
    )
    return rows.get(minute, 0), rows.get(minute - 1, 0), (now % WINDOW_SECONDS) / WINDOW_SECONDS


def _estimate(current: int, previous: int, into: float) -> float:
    # The previous minute counts for the part of it still inside the window.
    return current + previous * (1.0 - into)


def wait_seconds(request: HttpRequest) -> int:
    """0 when a log-in from this request's network may go ahead; otherwise
    about how many seconds until it may."""
    limit = settings.NETWORK_LOGIN_LIMIT
    if not limit:
        return 0
    now = time.time()
    current, previous, into = _counts(_digest(network_of(client_ip(request))), now)
    if _estimate(current, previous, into) < limit:
        return 0
    if current < limit:
        # Within this minute, once enough of the previous one has slid out.
        leaves = 1.0 - (limit - current) / previous
        return max(1, math.ceil((leaves - into) * WINDOW_SECONDS))
    # In the next minute, once enough of this one has slid out.
    leaves = 1.0 - limit / current
    return max(1, math.ceil((1.0 - into + leaves) * WINDOW_SECONDS))


def note_failure(request: HttpRequest) -> None:
    """Count a failed log-in for this request's network."""
    if not settings.NETWORK_LOGIN_LIMIT:
        return
    network = _digest(network_of(client_ip(request)))
    minute = int(time.time() // WINDOW_SECONDS)
    rows = NetworkLoginFailures.objects.filter(network=network, minute=minute)
    with transaction.atomic():
        if not rows.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    NetworkLoginFailures.objects.create(network=network, minute=minute, count=1)
            except IntegrityError:  # another server made the row a moment ago
                rows.update(count=F("count") + 1)
        NetworkLoginFailures.objects.filter(minute__lt=minute - 1).delete()
