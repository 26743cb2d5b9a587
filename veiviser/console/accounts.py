"""Advisor accounts from the command line.

    python -m veiviser.console.accounts create USERNAME --name "Fullt navn"
    python -m veiviser.console.accounts password USERNAME
    python -m veiviser.console.accounts disable USERNAME
    python -m veiviser.console.accounts list

The password is read from the terminal (twice), or from standard input with
--password-stdin (one line; for scripts and tests).
"""
from __future__ import annotations

import argparse
import getpass
import sys
from typing import List, Optional

from sqlalchemy import select

from veiviser.console.passwords import MIN_LENGTH, hash_password
from veiviser.handoff.db import Advisor, AdvisorSession, session, utcnow


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Passord: ")
        if getpass.getpass("Gjenta passordet: ") != password:
            raise SystemExit("Passordene er ikke like.")
    if len(password) < MIN_LENGTH:
        raise SystemExit(f"Passordet må ha minst {MIN_LENGTH} tegn.")
    return password


def create(username: str, name: str, password: str) -> str:
    with session() as s:
        if s.execute(select(Advisor).where(Advisor.username == username)).scalars().first():
            raise SystemExit(f"Brukeren {username} finnes allerede.")
        advisor = Advisor(username=username, display_name=name, password_hash=hash_password(password))
        s.add(advisor)
        s.flush()
        return advisor.id


def set_password(username: str, password: str) -> None:
    with session() as s:
        advisor = s.execute(select(Advisor).where(Advisor.username == username)).scalars().first()
        if advisor is None:
            raise SystemExit(f"Fant ikke brukeren {username}.")
        advisor.password_hash = hash_password(password)
        advisor.failed_attempts = 0
        advisor.locked_until = None
        _end_sessions(s, advisor.id)


def disable(username: str) -> None:
    with session() as s:
        advisor = s.execute(select(Advisor).where(Advisor.username == username)).scalars().first()
        if advisor is None:
            raise SystemExit(f"Fant ikke brukeren {username}.")
        advisor.active = False
        _end_sessions(s, advisor.id)


def _end_sessions(s, advisor_id: str) -> None:
    for row in s.execute(select(AdvisorSession).where(
            AdvisorSession.advisor_id == advisor_id, AdvisorSession.ended_at.is_(None))).scalars():
        row.ended_at = utcnow()


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m veiviser.console.accounts",
                                     description="Veilederkontoer for veilederkonsollet.")
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("create", help="opprett en veileder")
    c.add_argument("username")
    c.add_argument("--name", required=True, help="navnet som vises i konsollet")
    c.add_argument("--password-stdin", action="store_true")
    p = sub.add_parser("password", help="sett nytt passord (logger ut overalt)")
    p.add_argument("username")
    p.add_argument("--password-stdin", action="store_true")
    d = sub.add_parser("disable", help="sperr en veileder (logger ut overalt)")
    d.add_argument("username")
    sub.add_parser("list", help="vis veilederne")
    args = parser.parse_args(argv)
    if args.command == "create":
        create(args.username, args.name, _read_password(args.password_stdin))
        print(f"Opprettet {args.username}.")
    elif args.command == "password":
        set_password(args.username, _read_password(args.password_stdin))
        print(f"Nytt passord satt for {args.username}.")
    elif args.command == "disable":
        disable(args.username)
        print(f"Sperret {args.username}.")
    else:
        with session() as s:
            for a in s.execute(select(Advisor).order_by(Advisor.username)).scalars():
                print(f"{a.username}\t{a.display_name}\t{'aktiv' if a.active else 'sperret'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
