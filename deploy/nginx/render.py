"""The nginx site (deploy/nginx/einclusie.conf) for another host name, ports or certificate.

The site file is the configuration production runs; a city admin can edit its placeholders
by hand, or have them filled in here:

    python3 deploy/nginx/render.py --server-name dashboard.stad.gent \\
        --certificate /etc/ssl/einclusie/fullchain.pem --key /etc/ssl/einclusie/privkey.pem \\
        > /etc/nginx/sites-available/einclusie

tests/test_deploy.py renders it for loopback ports, a self-signed certificate and a log
folder of its own, and wraps it in a whole nginx.conf (`standalone`) to run Debian's nginx
with. Only the lines below change; each must be found exactly as often as expected, so an edit
of the site file that this script does not know about fails here instead of going untested.
Standard library only (the system's python3 will do).
"""

from __future__ import annotations

import argparse
import os
import pwd
import re
import sys
from collections.abc import Sequence
from pathlib import Path

SITE = Path(__file__).with_name("einclusie.conf")
PLACEHOLDER_HOST = "dashboard.example.gent"
REPLICA = re.compile(r"\bserver 127\.0\.0\.1:\d+( [^;]*)?;")


class TemplateError(ValueError):
    """The site file no longer has a line this renderer replaces."""


def _sub(text: str, pattern: str, replacement: str, count: int) -> str:
    """`pattern` replaced by the literal `replacement`, found exactly `count` times."""
    result, found = re.subn(pattern, lambda _: replacement, text, flags=re.MULTILINE)
    if found != count:
        raise TemplateError(
            f"{SITE.name}: expected {count} match(es) of {pattern!r}, found {found}"
        )
    return result


def render_site(
    *,
    server_name: str = PLACEHOLDER_HOST,
    certificate: Path | str = "/etc/ssl/einclusie/fullchain.pem",
    key: Path | str = "/etc/ssl/einclusie/privkey.pem",
    http_port: int = 80,
    https_port: int = 443,
    address: str | None = None,
    replicas: Sequence[int] = (8501, 8502),
    log_dir: Path | str = "/var/log/nginx",
    site: str | None = None,
) -> str:
    """The site file with these values. `address=None` listens on every IPv4 and IPv6
    address (production); an address such as 127.0.0.1 listens on that one only."""
    text = SITE.read_text(encoding="utf-8") if site is None else site
    for plain, port, options in (("80", http_port, ""), ("443", https_port, " ssl http2")):
        listen = f"{address}:{port}" if address else str(port)
        text = _sub(text, rf"\blisten {plain}{options};", f"listen {listen}{options};", 1)
        ipv6 = f"listen [::]:{port}{options};"
        text = _sub(
            text,
            rf"^([ \t]*)listen \[::\]:{plain}{options};\n",
            "" if address else f"    {ipv6}\n",
            1,
        )
    text = _sub(
        text, rf"\bserver_name {re.escape(PLACEHOLDER_HOST)};", f"server_name {server_name};", 2
    )
    if https_port != 443:
        text = _sub(
            text,
            r"return 301 https://\$host\$request_uri;",
            f"return 301 https://$host:{https_port}$request_uri;",
            1,
        )
    text = _sub(text, r"\bssl_certificate /\S+;", f"ssl_certificate {certificate};", 1)
    text = _sub(text, r"\bssl_certificate_key /\S+;", f"ssl_certificate_key {key};", 1)
    text = _sub(text, r"/var/log/nginx/", f"{str(log_dir).rstrip('/')}/", 4)

    found = len(REPLICA.findall(text))
    if found != len(replicas):
        raise TemplateError(
            f"{SITE.name}: {found} replicas in the upstream, {len(replicas)} ports given"
        )
    ports = iter(replicas)
    return REPLICA.sub(lambda m: f"server 127.0.0.1:{next(ports)}{m[1]};", text)


def standalone(site: str, prefix: Path) -> str:
    """A whole nginx.conf around `site` for `nginx -p <prefix> -c <file> -g 'daemon off;
    pid ...; error_log ...;'`: its temporary files under `prefix`, nothing in /var or /run.
    As root the workers run as root too: under a test's private temporary folder the
    default `nobody` could not write its own buffers."""
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {prefix / (kind + '_temp')};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    body = "\n".join(f"    {line}" if line else "" for line in site.splitlines())
    return (
        f"{user}worker_processes 1;\n"
        "events {\n    worker_connections 256;\n}\n"
        "http {\n"
        "    default_type application/octet-stream;\n"
        f"{temp}\n"
        f"{body}\n"
        "}\n"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server-name", required=True, help="the dashboard's host name")
    parser.add_argument("--certificate", required=True, help="certificate with its chain")
    parser.add_argument("--key", required=True, help="the certificate's private key")
    parser.add_argument("--http-port", type=int, default=80)
    parser.add_argument("--https-port", type=int, default=443)
    parser.add_argument("--replicas", type=int, nargs=2, default=(8501, 8502), metavar="PORT")
    args = parser.parse_args(argv)
    sys.stdout.write(
        render_site(
            server_name=args.server_name,
            certificate=args.certificate,
            key=args.key,
            http_port=args.http_port,
            https_port=args.https_port,
            replicas=args.replicas,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
