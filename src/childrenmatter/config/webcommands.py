"""``childrenmatter serve``, ``demo-user`` and ``manage``: running the web service.

Django is set up inside each handler, not at import, so ``childrenmatter --help`` and the
data commands never pay for it.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re

from childrenmatter.errors import UserError

SETTINGS = "childrenmatter.config.settings"


def _setup_django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    django.setup()


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser(
        "serve",
        help="serve the web pages with gunicorn",
        description="Serve the web pages with gunicorn (static files through WhiteNoise). "
        "Binds 127.0.0.1 unless told otherwise; put a TLS proxy in front for anything else.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument("--workers", type=int, default=2, help="worker processes (default: 2)")
    serve.set_defaults(handler=run_serve)

    demo = subparsers.add_parser(
        "demo-user",
        help="create or reset the demo account and print its password",
        description="Create the demo account, or give it a new password if it exists, "
        "working for one authority; prints where and how to sign in.",
    )
    demo.add_argument("--username", default="demo", help="(default: demo)")
    demo.add_argument(
        "--authority",
        default="806",
        metavar="CODE",
        help="LA code the account works for (default: 806, Middlesbrough)",
    )
    demo.add_argument(
        "--url", default="http://127.0.0.1:8000/", help="where the service is served, to print"
    )
    demo.set_defaults(handler=run_demo_user)

    manage = subparsers.add_parser(
        "manage",
        help="run a Django management command (migrate, check, ...)",
        description="Run a Django management command with these settings, "
        "as in: childrenmatter manage migrate.",
    )
    manage.add_argument("arguments", nargs=argparse.REMAINDER, help="the command and its options")
    manage.set_defaults(handler=run_manage)


def run_serve(args: argparse.Namespace) -> int:
    from gunicorn.app.base import BaseApplication

    if not 0 < args.port < 65536:
        raise UserError(f"--port {args.port}: must be between 1 and 65535")
    if args.workers < 1:
        raise UserError(f"--workers {args.workers}: must be at least 1")
    _setup_django()  # settings errors show here, once, rather than in every worker
    from childrenmatter.config.wsgi import application

    class Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{args.host}:{args.port}")
            self.cfg.set("workers", args.workers)
            self.cfg.set("accesslog", "-")
            self.cfg.set("proc_name", "childrenmatter")
            # No runtime control socket: nothing here uses it, and its default path in the
            # home folder would be shared by every server on the machine.
            self.cfg.set("control_socket_disable", True)
            self.cfg.set("post_worker_init", _warm_worker)

        def load(self):
            return application

    print(f"Children Matter: serving on http://{args.host}:{args.port}/ (Ctrl-C stops)", flush=True)
    Server().run()
    return 0


def _warm_worker(worker) -> None:
    """Before a worker takes its first request: import every page's code and compile every
    template. Otherwise the first page each worker serves pays for it (1.5 s or more under
    load, seen as the slow tail of the screening benchmark). Done in each worker, after the
    fork, not once in the master: forking a process after Polars has started its threads
    can deadlock the child."""
    from django.template import engines
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every app's urls and views)
    for engine in engines.all():
        environment = getattr(engine, "env", None)
        if environment is None:
            continue
        for name in environment.list_templates(filter_func=lambda n: n.endswith(".html")):
            environment.get_template(name)
    # The bank holiday calendar behind every clock on the pages, read once per process.
    from childrenmatter.clocks.calendar import is_working_day

    is_working_day(datetime.date.today())
    worker.log.info("worker %s ready: pages imported, templates compiled", worker.pid)


def run_demo_user(args: argparse.Namespace) -> int:
    if not re.fullmatch(r"\d{3}", args.authority):
        raise UserError(f"--authority {args.authority}: an LA code is three digits, as in 806")
    _setup_django()
    from childrenmatter.accounts.actions import set_up_demo_user

    password = set_up_demo_user(username=args.username, la_code=args.authority)
    print(f"Sign in at {args.url} as {args.username} with the password {password}")
    return 0


def run_manage(args: argparse.Namespace) -> int:
    from django.core.management import execute_from_command_line

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    execute_from_command_line(["childrenmatter manage", *args.arguments])
    return 0
