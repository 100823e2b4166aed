"""Who runs a command, and the ``accounts`` and ``audit`` commands.

Commands that read or change a station's data run as a named account (``--user``, the password
from ``$STATION_CONSOLE_PASSWORD`` or a prompt) or as a service account (``--token-file``), and
everything they do is in the audit trail under that name. On a demo database, or one without any
account yet, they run unattended as the program's system identity, as before accounts existed.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from station_console.config import Paths
from station_console.domain.security import Role
from station_console.services.accounts import (
    AccountService,
    LoginError,
    has_accounts,
    read_token,
    sign_in,
    token_line,
)
from station_console.services.audit import AuditFilter, AuditService
from station_console.services.station import station_profile
from station_console.store.database import Database, StoreError

PASSWORD_ENV = "STATION_CONSOLE_PASSWORD"


def add_identity_arguments(parser: argparse.ArgumentParser) -> None:
    """``--user`` and ``--token-file`` on the main command line."""
    parser.add_argument("--user", metavar="NAME",
                        help=f"run as this account (password from ${PASSWORD_ENV} or a prompt)")
    parser.add_argument("--token-file", type=Path, metavar="FILE",
                        help="run as the service account whose token file this is")


def sign_in_for_command(db: Database, args: argparse.Namespace) -> None:
    """Make ``db`` act as the command's account; unattended only on a demo or new database."""
    token_file = getattr(args, "token_file", None)
    user = getattr(args, "user", None)
    if token_file:
        name, token = read_token(token_file)
        sign_in(db, name, token, service=True)
        return
    if user:
        password = os.environ.get(PASSWORD_ENV)
        if password is None:
            password = getpass.getpass(f"Password for {user}: ")
        result = sign_in(db, user, password)
        if result.must_change_password or result.password_expired:
            raise StoreError(f"The password of {user} must be changed first: sign in to the "
                             "console once and choose a new one.")
        return
    profile = station_profile(db)
    if (profile is not None and profile.is_demo) or not has_accounts(db):
        return
    raise StoreError(
        f"{db.label} has accounts: run the command as one, with --user NAME (the password from "
        f"${PASSWORD_ENV} or a prompt) or --token-file FILE of a service account the "
        "administrator created.")


def open_db(args: argparse.Namespace, target: Path | str, **kwargs: Any) -> Database:
    """Open the database and sign the command's account in (closing it again on refusal)."""
    db = Database.open(target, **kwargs)
    try:
        sign_in_for_command(db, args)
    except LoginError as exc:
        db.close()
        raise StoreError(str(exc)) from exc
    except BaseException:
        db.close()
        raise
    return db


# ---- accounts ------------------------------------------------------------------------------

def add_commands(sub: Any) -> None:
    accounts = sub.add_parser("accounts", help="list and manage accounts (administrator)")
    acc = accounts.add_subparsers(dest="accounts_command", metavar="ACTION", required=True)
    acc.add_parser("list", help="the accounts, their roles and states")
    first = acc.add_parser("bootstrap", help="create the administrator, security officer and "
                           "auditor of a database that has no accounts yet")
    first.add_argument("--admin", required=True, metavar="NAME")
    first.add_argument("--security", required=True, metavar="NAME")
    first.add_argument("--auditor", required=True, metavar="NAME")
    create = acc.add_parser("create", help="a new person's account; prints its initial password")
    create.add_argument("username")
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument("--name", default="", help="display name")
    service = acc.add_parser("service", help="a service account for scripts; writes its token file")
    service.add_argument("username")
    service.add_argument("--role", required=True, choices=[r.value for r in Role])
    service.add_argument("--out", type=Path, required=True, metavar="FILE",
                         help="where to write the token file (readable by its owner only)")
    for name, text in (("unlock", "unlock an account locked after failures"),
                       ("reset", "a new initial password, to be changed at the next sign-in")):
        cmd = acc.add_parser(name, help=text)
        cmd.add_argument("username")

    audit = sub.add_parser("audit", help="verify or export the audit trail (auditor)")
    aud = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    aud.add_parser("verify", help="check the hash chain; names the first broken record")
    export = aud.add_parser("export", help="the records of a period as CSV")
    export.add_argument("--out", type=Path, required=True, metavar="FILE.csv")
    export.add_argument("--from", dest="start", type=datetime.fromisoformat, metavar="YYYY-MM-DD")
    export.add_argument("--to", dest="end", type=datetime.fromisoformat, metavar="YYYY-MM-DD")
    export.add_argument("--username", default="")
    export.add_argument("--action", default="")


def cmd_accounts(args: argparse.Namespace, paths: Paths) -> int:
    from station_console.cli import db_path

    target = db_path(args, paths)
    if args.accounts_command == "bootstrap":
        db = Database.open(target)
        try:
            if has_accounts(db):
                raise StoreError(f"{db.label} already has accounts; the administrator creates "
                                 "new ones with 'accounts create'.")
            service = AccountService(db)
            for role, name in ((Role.SYSADMIN, args.admin), (Role.SECURITY, args.security),
                               (Role.AUDITOR, args.auditor)):
                print(f"{name} ({role.value}): initial password {service.create(name, name, role)}")
        finally:
            db.close()
        return 0
    db = open_db(args, target)
    try:
        service = AccountService(db)
        by_name = {a.username: a for a in service.accounts()}
        if args.accounts_command == "list":
            now = datetime.now()
            for a in by_name.values():
                state = ("disabled" if a.disabled else
                         f"locked until {a.locked_until:%H:%M}" if a.locked(now) else "active")
                kind = "service" if a.service else "person"
                print(f"{a.username}\t{a.role.value}\t{kind}\t{state}\t{a.display_name}")
        elif args.accounts_command == "create":
            secret = service.create(args.username, args.name or args.username, Role(args.role))
            print(f"{args.username}: initial password {secret} (to be changed at first sign-in)")
        elif args.accounts_command == "service":
            token = service.create_service(args.username, Role(args.role))
            args.out.write_text(token_line(args.username, token), encoding="utf-8")
            args.out.chmod(0o600)
            print(f"{args.username}: token written to {args.out}")
        else:
            account = by_name.get(args.username)
            if account is None:
                raise StoreError(f"There is no account '{args.username}'.")
            if args.accounts_command == "unlock":
                service.unlock(account.id)
                print(f"{args.username}: unlocked")
            else:
                print(f"{args.username}: new initial password {service.reset_password(account.id)}")
    finally:
        db.close()
    return 0


def cmd_audit(args: argparse.Namespace, paths: Paths) -> int:
    from station_console.cli import EXIT_CHECK_FAILED, db_path

    db = open_db(args, db_path(args, paths))
    try:
        service = AuditService(db)
        if args.audit_command == "verify":
            report = service.verify()
            if report.ok:
                print(f"audit trail: {report.records} records, hash chain intact")
                return 0
            print(f"audit trail: record {report.broken_id} {report.reason}", file=sys.stderr)
            return EXIT_CHECK_FAILED
        flt = AuditFilter(start=args.start, end=args.end, username=args.username,
                          action=args.action)
        count = service.export_csv(flt, args.out)
        print(f"{count} records -> {args.out}")
    finally:
        db.close()
    return 0


COMMANDS = {"accounts": cmd_accounts, "audit": cmd_audit}
