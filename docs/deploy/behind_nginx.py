"""Start Debian's nginx in front of several app processes on one database, as docs/deploy.md describes.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/maturity python docs/deploy/behind_nginx.py
    python docs/deploy/behind_nginx.py --processes 4 --port 8080 --workdir /tmp/maturity-nginx

It upgrades the schema once (``python -m maturity db upgrade``), starts ``--processes`` copies of
``streamlit run app.py`` on ports from ``--app-port`` with one shared cookie secret, writes an nginx
configuration around docs/deploy/nginx-site.conf (only its upstream ports, listen address and log path
replaced) and runs nginx in the foreground. When every process and nginx answer ``/_stcore/health``
it prints ``ready <url>``; Ctrl-C (or SIGTERM) stops them all. The environment (MATURITY_MODE,
MATURITY_ADMIN_KEY, ...) passes through to the app processes; the secrets are never printed.
Logs: ``<workdir>/app-<port>.log``, ``access.log`` (with the upstream of every request), ``error.log``.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(__file__).with_name("nginx-site.conf")
TEMP_DIRS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def site_config(ports: list[int], listen: str, access_log: Path) -> str:
    """nginx-site.conf with one upstream line per app port, the listen address and the access log replaced."""
    text = SITE.read_text(encoding="utf-8")
    servers = re.findall(r"^\s*server 127\.0\.0\.1:\d+ .*;$", text, flags=re.M)
    if not servers:
        raise SystemExit(f"{SITE}: no upstream server lines")
    options = servers[0].split(maxsplit=2)[2]  # max_fails=3 fail_timeout=10s;
    block = "\n".join(f"    server 127.0.0.1:{port} {options}" for port in ports)
    text = text.replace("\n".join(servers), block, 1)
    text = re.sub(r"^(\s*)listen 80;$", rf"\g<1>listen {listen};", text, count=1, flags=re.M)
    return re.sub(r"access_log \S+ maturity;", f"access_log {access_log} maturity;", text, count=1)


def main_config(work: Path) -> str:
    """The top of nginx.conf: pid, logs and temporary files in ``work``, the site included."""
    temps = "\n".join(f"    {name}_temp_path {work / 'tmp' / name};" for name in TEMP_DIRS)
    return (f"pid {work / 'nginx.pid'};\nerror_log {work / 'error.log'} warn;\nworker_processes auto;\n"
            f"events {{ worker_connections 4096; }}\n"
            f"http {{\n    default_type application/octet-stream;\n{temps}\n    include {work / 'site.conf'};\n}}\n")


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as reply:
            return bool(reply.status == 200)
    except OSError:
        return False


def _wait(urls: list[str], procs: list[subprocess.Popen[bytes]], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    waiting = list(urls)
    while waiting:
        if any(p.poll() is not None for p in procs):
            raise SystemExit("a process stopped while starting; see its log in the work folder")
        if time.monotonic() > deadline:
            raise SystemExit(f"not healthy after {seconds:.0f} s: {', '.join(waiting)}")
        waiting = [u for u in waiting if not _healthy(u)]
        time.sleep(0.3)


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    """nginx first (no new requests), then the app processes; killed after 15 s altogether."""
    for p in reversed(procs):
        if p.poll() is None:
            p.terminate()
    deadline = time.monotonic() + 15
    for p in reversed(procs):
        try:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--processes", type=int, default=2, help="app processes (default 2; about one per core)")
    ap.add_argument("--port", type=int, default=8080, help="nginx's port (default 8080)")
    ap.add_argument("--host", default="127.0.0.1", help="nginx's address (default 127.0.0.1; 0.0.0.0 for the network)")
    ap.add_argument("--app-port", type=int, default=8501, help="first app process's port (default 8501)")
    ap.add_argument("--workdir", type=Path, help="configuration and logs (default: a new temporary folder)")
    ap.add_argument("--nginx", default=shutil.which("nginx") or "/usr/sbin/nginx", help="the nginx binary")
    args = ap.parse_args(argv)
    if not 1 <= args.processes <= 64:
        ap.error("--processes: 1 to 64")
    if not Path(args.nginx).exists():
        ap.error(f"no nginx at {args.nginx}: apt-get install nginx")
    work = (args.workdir or Path(tempfile.mkdtemp(prefix="maturity-nginx-"))).resolve()
    (work / "tmp").mkdir(parents=True, exist_ok=True)
    for name in TEMP_DIRS:  # nginx's workers (user nobody when started as root) write proxied bodies here
        (work / "tmp" / name).mkdir(exist_ok=True)
        (work / "tmp" / name).chmod(0o777)
    work.chmod(0o755)

    env = dict(os.environ)
    # Every process signs Streamlit's cookies (XSRF) with the same secret, as Streamlit asks of replicas.
    env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))
    upgrade = subprocess.run([sys.executable, "-m", "maturity", "db", "upgrade"], cwd=ROOT, env=env)
    if upgrade.returncode != 0:
        return upgrade.returncode

    ports = [args.app_port + i for i in range(args.processes)]
    (work / "site.conf").write_text(site_config(ports, f"{args.host}:{args.port}", work / "access.log"), encoding="utf-8")
    (work / "nginx.conf").write_text(main_config(work), encoding="utf-8")
    nginx = [args.nginx, "-p", str(work), "-c", str(work / "nginx.conf")]
    check = subprocess.run([*nginx, "-t", "-q"], capture_output=True, text=True)
    if check.returncode != 0:
        print(check.stderr, file=sys.stderr)
        return 1

    procs: list[subprocess.Popen[bytes]] = []
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        for port in ports:
            log = open(work / f"app-{port}.log", "wb")  # noqa: SIM115 (kept open for the process's life)
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                 "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))
        procs.append(subprocess.Popen([*nginx, "-g", "daemon off;"]))
        site = f"http://{'127.0.0.1' if args.host == '0.0.0.0' else args.host}:{args.port}"
        _wait([f"http://127.0.0.1:{p}/_stcore/health" for p in ports] + [f"{site}/_stcore/health"], procs, 90)
        print(f"ready {site}", flush=True)
        print(f"processes {' '.join(map(str, ports))}", flush=True)
        print(f"pids {' '.join(str(p.pid) for p in procs[:-1])}", flush=True)
        print(f"logs {work}", flush=True)
        reported: set[int] = set()
        while not stopping:
            if procs[-1].poll() is not None:
                print("nginx stopped; stopping the app processes", file=sys.stderr)
                return 1
            for port, p in zip(ports, procs, strict=False):
                if p.poll() is not None and port not in reported:  # nginx sends its sessions to the others
                    print(f"app process on {port} stopped (exit {p.returncode}); see app-{port}.log", file=sys.stderr)
                    reported.add(port)
            time.sleep(0.5)
        return 0
    finally:
        _stop(procs)


if __name__ == "__main__":
    sys.exit(main())
