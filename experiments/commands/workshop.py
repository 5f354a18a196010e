"""``samen workshop``: serve the workshop dashboard in a browser (see README, "Workshop dashboard")."""

from __future__ import annotations

import argparse
from pathlib import Path

NAME = "workshop"
HELP = "serve the workshop dashboard (scenario cards, levers, live charts, map, rounds) in a browser"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default: 127.0.0.1, this computer only)")
    parser.add_argument("--port", type=int, default=8765, metavar="N", help="port (default: 8765)")
    parser.add_argument("--lang", choices=("nl", "en"), default="nl",
                        help="language the dashboard opens in (default: nl; switchable in the page)")
    parser.add_argument("--rounds", metavar="FILE", default="results/workshop/rounds.json",
                        help="JSON file that keeps the rounds and submissions across reloads and restarts "
                             "(default: results/workshop/rounds.json)")


def execute(args: argparse.Namespace) -> int:
    from ..workshop.rounds import RoundStore
    from ..workshop.server import check_port, serve

    check_port(args.host, args.port)
    store = Path(args.rounds)
    RoundStore(store)  # a damaged store file stops here with one line, not in the browser
    print(f"Samen workshop dashboard on http://{args.host}:{args.port}/ (stop with Ctrl+C)", flush=True)
    serve(args.host, args.port, args.lang, store)
    return 0
