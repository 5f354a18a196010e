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
    parser.add_argument("--facilitator-code", metavar="CODE",
                        help="the code that opens, closes and compares rounds (default: a new random one, "
                             "printed at the start); tables only submit")
    parser.add_argument("--rounds", metavar="FILE", default="results/workshop/rounds.json",
                        help="JSON file that keeps the rounds and submissions across reloads and restarts "
                             "(default: results/workshop/rounds.json)")


def execute(args: argparse.Namespace) -> int:
    from ..errors import SamenError
    from ..workshop.rounds import RoundStore, new_facilitator_code
    from ..workshop.server import check_port, serve

    code = args.facilitator_code if args.facilitator_code is not None else new_facilitator_code()
    if len("".join(code.split())) < 4:
        raise SamenError("--facilitator-code must have at least 4 characters")
    check_port(args.host, args.port)
    store = Path(args.rounds)
    RoundStore(store)  # a damaged store file stops here with one line, not in the browser
    print(f"Samen workshop dashboard on http://{args.host}:{args.port}/ (stop with Ctrl+C)", flush=True)
    print(f"Facilitator code: {code} (opens, closes and compares rounds; tables only submit)", flush=True)
    serve(args.host, args.port, args.lang, store, code)
    return 0
