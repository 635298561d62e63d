"""The demo's local site: served on loopback addresses, on another port when the usual one is taken."""

from __future__ import annotations

import socket
import urllib.request

from detector.demo import demo_site


def test_a_taken_port_moves_the_demo_site_to_a_free_one_instead_of_failing():
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.11", 0))  # the first demo host's address, on a port we then ask the demo for
        squatter.listen()
        taken = squatter.getsockname()[1]
        with demo_site(taken) as hosts:
            port = int(hosts[0].address.rsplit(":", 1)[1])
            assert port != taken
            direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, never a proxy
            with direct.open(f"{hosts[0].base}/robots.txt", timeout=5) as answer:
                assert answer.read() == b"User-agent: *\nAllow: /\n"
            with direct.open(f"{hosts[0].base}/sitemap.xml", timeout=5) as answer:
                assert f":{port}/".encode() in answer.read()  # the sitemap names the port actually used
