"""Accounts: sign-in with lockout, passwords under a policy, roles, service accounts.

Passwords are stored as argon2id hashes (argon2-cffi's defaults: 64 MiB, 3 passes, 4 lanes,
above OWASP's minimum of 19 MiB and 2 passes); a hash made with weaker parameters is replaced at
the next sign-in. Every sign-in, failure, lockout and change is in the audit trail.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import text
from sqlalchemy.engine import Connection

from station_console.domain.security import (
    BUSINESS_ROLES,
    POLICY_MINIMUMS,
    Identity,
    PasswordPolicy,
    Perm,
    Role,
    identity_for,
)
from station_console.services.audit import Action, log, record
from station_console.store.auditing import acting_as
from station_console.store.database import Database

HASHER = PasswordHasher()
POLICY_PREFIX = "security."
#: The password of every demo account (shown on the sign-in screen of a demo database only).
DEMO_PASSWORD = "Station@2026"
DEMO_ACCOUNTS = (
    ("zhiban", "王敏", Role.OPERATOR),
    ("suozhang", "李建国", Role.LEADER),
    ("minjing", "", Role.COMMUNITY),     # named after the demo officer it is linked to
    ("admin", "赵强", Role.SYSADMIN),
    ("anquan", "钱平", Role.SECURITY),
    ("shenji", "孙丽", Role.AUDITOR),
)


class Problem(StrEnum):
    """Why an account action was refused (the interface translates each by its key)."""

    WRONG_CREDENTIALS = "wrong_credentials"
    DISABLED = "disabled"
    LOCKED = "locked"
    LOCKED_NOW = "locked_now"
    ACCOUNT_GONE = "account_gone"
    WRONG_PASSWORD = "wrong_password"
    WRONG_CURRENT = "wrong_current"
    PASSWORD_WEAK = "password_weak"
    PASSWORD_REUSED = "password_reused"
    BAD_USERNAME = "bad_username"
    USERNAME_TAKEN = "username_taken"
    NO_ACCOUNT = "no_account"
    OWN_ROLE = "own_role"
    OWN_DISABLE = "own_disable"
    SETTING_MINIMUM = "setting_minimum"
    TOKEN_FILE = "token_file"


MESSAGES = {
    Problem.WRONG_CREDENTIALS: "Wrong user name or password.",
    Problem.DISABLED: "This account is disabled. Ask the system administrator.",
    Problem.LOCKED: "This account is locked after repeated failures until {until}. Try again "
                    "then, or ask the system administrator to unlock it.",
    Problem.LOCKED_NOW: "Wrong password. The account is now locked for {minutes} minutes.",
    Problem.ACCOUNT_GONE: "The account no longer exists or is disabled.",
    Problem.WRONG_PASSWORD: "Wrong password.",
    Problem.WRONG_CURRENT: "The current password is wrong.",
    Problem.PASSWORD_WEAK: "The password needs {needs}.",
    Problem.PASSWORD_REUSED: "The new password must differ from the last {history}.",
    Problem.BAD_USERNAME: "A user name is letters, digits, '.', '_' or '-' only.",
    Problem.USERNAME_TAKEN: "There is already an account '{username}'.",
    Problem.NO_ACCOUNT: "There is no account {account}.",
    Problem.OWN_ROLE: "Nobody may change their own role.",
    Problem.OWN_DISABLE: "You cannot disable your own account.",
    Problem.SETTING_MINIMUM: "{setting} must be at least {minimum}.",
    Problem.TOKEN_FILE: "Cannot read the token file {path}: it holds one line, "
                        "'user name:token', as the administrator saved it.",
}


class AccountProblem(Exception):
    """A refused sign-in or account change: ``problem`` says why, ``params`` the details."""

    def __init__(self, problem: Problem, **params: object) -> None:
        super().__init__(MESSAGES[problem].format(**params))
        self.problem = problem
        self.params = params


class LoginError(AccountProblem):
    """A sign-in (or unlock) that did not succeed."""


class AccountError(AccountProblem):
    """A refused account change (bad password, unknown account)."""


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    display_name: str
    role: Role
    officer_id: int | None
    disabled: bool
    service: bool
    locked_until: datetime | None
    failed_attempts: int
    must_change_password: bool
    password_changed_at: datetime | None
    last_login_at: datetime | None

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now


@dataclass(frozen=True)
class SignIn:
    """A successful sign-in: who, and whether the password must be changed first."""

    identity: Identity
    must_change_password: bool
    password_expired: bool


# ---- policy --------------------------------------------------------------------------------

def load_policy(db: Database, conn: Connection | None = None) -> PasswordPolicy:
    """The station's password, lockout, idle-lock and retention settings."""
    def read(c: Connection) -> PasswordPolicy:
        rows = c.execute(text("SELECT key, value FROM app_meta WHERE key LIKE 'security.%'"))
        values = {k[len(POLICY_PREFIX):]: v for k, v in rows}
        known = {f.name for f in fields(PasswordPolicy)}
        return PasswordPolicy(**{k: int(v) for k, v in values.items() if k in known})
    if conn is not None:
        return read(conn)
    with db.read() as c:
        return read(c)


def save_policy(db: Database, policy: PasswordPolicy) -> None:
    """Store new settings (security officer); values under their minimum are refused."""
    db.identity.require(Perm.SECURITY_POLICY)
    for name, minimum in POLICY_MINIMUMS.items():
        if getattr(policy, name) < minimum:
            raise AccountError(Problem.SETTING_MINIMUM, setting=name, minimum=minimum)
    with db.write() as conn:
        for f in fields(PasswordPolicy):
            key = POLICY_PREFIX + f.name
            conn.execute(text("DELETE FROM app_meta WHERE key = :k"), {"k": key})
            conn.execute(text("INSERT INTO app_meta (key, value) VALUES (:k, :v)"),
                         {"k": key, "v": str(getattr(policy, f.name))})


# ---- reading -------------------------------------------------------------------------------

_ACCOUNT_COLUMNS = ("id, username, display_name, role, officer_id, disabled, service, "
                    "locked_until, failed_attempts, must_change_password, password_changed_at, "
                    "last_login_at")


def _dt(value: object) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _account(row: tuple[object, ...]) -> Account:
    (id_, username, display, role, officer, disabled, service, locked, failed, must, changed,
     last) = row
    return Account(int(id_), str(username), str(display), Role(str(role)),  # type: ignore[arg-type]
                   int(officer) if officer is not None else None,  # type: ignore[call-overload]
                   bool(disabled), bool(service), _dt(locked), int(failed),  # type: ignore[call-overload]
                   bool(must), _dt(changed), _dt(last))


def _find(conn: Connection, username: str) -> tuple[Account, str] | None:
    row = conn.execute(text(f"SELECT {_ACCOUNT_COLUMNS}, password_hash FROM user_account "
                            "WHERE username = :u"), {"u": username}).first()
    if row is None:
        return None
    return _account(tuple(row[:-1])), str(row[-1])


def has_accounts(db: Database) -> bool:
    """Whether any person can sign in (a database from before accounts has none)."""
    with db.read() as conn:
        return bool(conn.execute(text(
            "SELECT 1 FROM user_account WHERE NOT service AND NOT disabled LIMIT 1")).first())


# ---- signing in ----------------------------------------------------------------------------

def _self_service(username: str) -> Identity:
    """A person changing their own account row (sign-in counters, their password)."""
    return Identity(username, Role.OPERATOR, frozenset({Perm.MANAGE_ACCOUNTS}))


@cache
def _demo_hash() -> str:
    """The demo password's hash, made once per run (it is public; demo stations are built often)."""
    return HASHER.hash(DEMO_PASSWORD)


@cache
def _dummy_hash() -> str:
    return HASHER.hash(secrets.token_hex(8))


def _verify(stored: str, password: str) -> bool:
    try:
        return HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def sign_in(db: Database, username: str, password: str, *, now: datetime | None = None,
            service: bool = False) -> SignIn:
    """Check a user name and password (or a service account's token); lock after failures.

    On success the database acts as the account from then on. Raises ``LoginError``.
    """
    now = now or datetime.now()
    refusal: tuple[Problem, dict[str, object]] | None = None
    with db.write() as conn, acting_as(conn, _self_service(username)):
        policy = load_policy(db, conn)
        found = _find(conn, username.strip())
        if found is None or found[0].service != service:
            _verify(_dummy_hash(), password)  # an unknown name takes as long as a known one
            refusal = (Problem.WRONG_CREDENTIALS, {})
            subject, reason = username, "unknown user name"
        else:
            account, stored = found
            subject = str(account.id)
            if account.disabled:
                refusal = (Problem.DISABLED, {})
                reason = "account disabled"
            elif account.locked(now):
                assert account.locked_until is not None
                refusal = (Problem.LOCKED, {"until": f"{account.locked_until:%H:%M}"})
                reason = "account locked"
            elif not _verify(stored, password):
                if _count_failure(conn, db, account, policy, now):
                    refusal = (Problem.LOCKED_NOW, {"minutes": policy.lockout_minutes})
                else:
                    refusal = (Problem.WRONG_CREDENTIALS, {})
                reason = ""
        if refusal and reason:
            record(conn, db, Action.LOGIN_FAILED, object_type="user_account", object_id=subject,
                   outcome="denied", detail=reason, username=username)
    if refusal:
        raise LoginError(refusal[0], **refusal[1])
    identity = identity_for(account.username, account.role, account_id=account.id,
                            display_name=account.display_name, workstation=db.audit.workstation,
                            service=account.service, officer_id=account.officer_id)
    db.identity = identity
    with db.write() as conn, acting_as(conn, _self_service(account.username)):
        updates = {"id": account.id, "now": now, "hash": stored}
        if HASHER.check_needs_rehash(stored):
            updates["hash"] = HASHER.hash(password)
        conn.execute(text("UPDATE user_account SET failed_attempts = 0, locked_until = NULL, "
                          "last_login_at = :now, password_hash = :hash WHERE id = :id"), updates)
        record(conn, db, Action.LOGIN, object_type="user_account", object_id=account.id)
    expired = (policy.expiry_days > 0 and not account.service and (
        account.password_changed_at is None
        or account.password_changed_at + timedelta(days=policy.expiry_days) < now))
    return SignIn(identity, account.must_change_password and not account.service, expired)


def _count_failure(conn: Connection, db: Database, account: Account, policy: PasswordPolicy,
                   now: datetime) -> bool:
    """Record a wrong password; True when it locked the account."""
    failed = account.failed_attempts + 1
    locked_until = now + timedelta(minutes=policy.lockout_minutes) \
        if failed >= policy.max_failures else None
    conn.execute(text("UPDATE user_account SET failed_attempts = :f, locked_until = :l "
                      "WHERE id = :id"),
                 {"f": 0 if locked_until else failed, "l": locked_until, "id": account.id})
    record(conn, db, Action.LOGIN_FAILED, object_type="user_account", object_id=account.id,
           outcome="denied", detail=f"wrong password ({failed} of {policy.max_failures})",
           username=account.username)
    if locked_until:
        record(conn, db, Action.LOCKOUT, object_type="user_account", object_id=account.id,
               outcome="denied", detail={"until": locked_until.isoformat(sep=" ")},
               username=account.username)
    return locked_until is not None


def unlock_session(db: Database, password: str, *, now: datetime | None = None) -> None:
    """The signed-in person unlocks an idle-locked session with their password."""
    identity = db.identity
    with db.read() as conn:
        found = _find(conn, identity.username)
    if found is None:
        raise LoginError(Problem.ACCOUNT_GONE)
    account, stored = found
    now = now or datetime.now()
    if account.disabled or account.locked(now):
        raise LoginError(Problem.ACCOUNT_GONE)
    if not _verify(stored, password):
        with db.write() as conn, acting_as(conn, _self_service(account.username)):
            _count_failure(conn, db, account, load_policy(db, conn), now)
        raise LoginError(Problem.WRONG_PASSWORD)
    log(db, Action.SESSION_UNLOCK, object_type="user_account", object_id=account.id)


# ---- passwords -----------------------------------------------------------------------------

def change_password(db: Database, old: str, new: str, *, now: datetime | None = None) -> None:
    """The signed-in person changes their own password under the policy."""
    identity = db.identity
    now = now or datetime.now()
    with db.write() as conn, acting_as(conn, _self_service(identity.username)):
        found = _find(conn, identity.username)
        if found is None:
            raise AccountError(Problem.ACCOUNT_GONE)
        account, stored = found
        wrong = not _verify(stored, old)
        if not wrong:
            _set_password(conn, db, account, stored, new, now, must_change=False)
    if wrong:
        log(db, Action.PASSWORD_CHANGE, object_type="user_account", object_id=account.id,
            outcome="denied", detail="wrong current password")
        raise AccountError(Problem.WRONG_CURRENT)


def _set_password(conn: Connection, db: Database, account: Account, stored: str, new: str,
                  now: datetime, *, must_change: bool) -> None:
    policy = load_policy(db, conn)
    problems = policy.problems(new, account.username)
    if problems:
        raise AccountError(Problem.PASSWORD_WEAK, needs=policy.describe(problems),
                           weaknesses=problems, n=policy.min_length, k=policy.min_classes)
    earlier = conn.execute(text(
        "SELECT password_hash FROM password_history WHERE account_id = :a "
        "ORDER BY changed_at DESC, id DESC LIMIT :n"),
        {"a": account.id, "n": max(policy.history - 1, 0)}).scalars()
    recent = [stored, *earlier]
    if policy.history and any(_verify(h, new) for h in recent[: policy.history] if h):
        raise AccountError(Problem.PASSWORD_REUSED, history=policy.history)
    if stored:
        conn.execute(text("INSERT INTO password_history (account_id, password_hash, changed_at) "
                          "VALUES (:a, :h, :t)"), {"a": account.id, "h": stored, "t": now})
    conn.execute(text("UPDATE user_account SET password_hash = :h, password_changed_at = :t, "
                      "must_change_password = :m WHERE id = :id"),
                 {"h": HASHER.hash(new), "t": now, "m": must_change, "id": account.id})
    record(conn, db, Action.PASSWORD_CHANGE, object_type="user_account", object_id=account.id,
           detail={"account": account.username, "must_change": must_change})


def generate_password(policy: PasswordPolicy | None = None) -> str:
    """A random initial password that meets the policy."""
    policy = policy or PasswordPolicy()
    alphabet = string.ascii_letters + string.digits + "#%+=@"
    length = max(policy.min_length, 12)
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if not policy.problems(candidate):
            return candidate


# ---- administration ------------------------------------------------------------------------

class AccountService:
    """What the system administrator and the security officer do with accounts."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def accounts(self) -> list[Account]:
        ident = self.db.identity
        if not (ident.can(Perm.MANAGE_ACCOUNTS) or ident.can(Perm.ASSIGN_ROLES)):
            ident.require(Perm.MANAGE_ACCOUNTS)
        with self.db.read() as conn:
            rows = conn.execute(text(f"SELECT {_ACCOUNT_COLUMNS} FROM user_account "
                                     "ORDER BY service, username")).all()
        return [_account(tuple(r)) for r in rows]

    def create(self, username: str, display_name: str, role: Role, *,
               officer_id: int | None = None, password: str | None = None,
               must_change: bool = True, now: datetime | None = None) -> str:
        """A new person's account; returns its initial password (to hand over once)."""
        self._may_give(role)
        return self._create(username, display_name, role, officer_id=officer_id,
                            password=password, must_change=must_change, service=False, now=now)

    def create_service(self, username: str, role: Role, *, now: datetime | None = None) -> str:
        """An account for scripts (no interactive sign-in); returns its token, shown once."""
        self._may_give(role)
        return self._create(username, f"service: {username}", role, officer_id=None,
                            password=secrets.token_urlsafe(32), must_change=False, service=True,
                            now=now)

    def _may_give(self, role: Role) -> None:
        ident = self.db.identity
        ident.require(Perm.MANAGE_ACCOUNTS)
        if role not in BUSINESS_ROLES:
            ident.require(Perm.ASSIGN_ROLES)

    def _create(self, username: str, display_name: str, role: Role, *, officer_id: int | None,
                password: str | None, must_change: bool, service: bool,
                now: datetime | None) -> str:
        username = username.strip()
        if not username or not all(c.isalnum() or c in "._-" for c in username):
            raise AccountError(Problem.BAD_USERNAME)
        now = now or datetime.now()
        with self.db.write() as conn:
            if _find(conn, username) is not None:
                raise AccountError(Problem.USERNAME_TAKEN, username=username)
            policy = load_policy(self.db, conn)
            secret = password or generate_password(policy)
            problems = [] if service else policy.problems(secret, username)
            if problems:
                raise AccountError(Problem.PASSWORD_WEAK, needs=policy.describe(problems),
                                   weaknesses=problems, n=policy.min_length,
                                   k=policy.min_classes)
            conn.execute(text(
                "INSERT INTO user_account (username, display_name, role, officer_id, "
                "password_hash, password_changed_at, must_change_password, failed_attempts, "
                "disabled, service, created_at) VALUES (:u, :d, :r, :o, :h, :t, :m, 0, :off, :s, :t)"),
                {"off": False, "u": username, "d": display_name, "r": role.value, "o": officer_id,
                 "h": _demo_hash() if secret == DEMO_PASSWORD else HASHER.hash(secret),
                 "t": now, "m": must_change, "s": service})
        return secret

    def _account_by_id(self, conn: Connection, account_id: int) -> Account:
        row = conn.execute(text(f"SELECT {_ACCOUNT_COLUMNS} FROM user_account WHERE id = :i"),
                           {"i": account_id}).first()
        if row is None:
            raise AccountError(Problem.NO_ACCOUNT, account=account_id)
        return _account(tuple(row))

    def set_role(self, account_id: int, role: Role) -> None:
        """Change what an account may do (security officer only)."""
        self.db.identity.require(Perm.ASSIGN_ROLES)
        with self.db.write() as conn:
            account = self._account_by_id(conn, account_id)
            if account.username == self.db.identity.username:
                raise AccountError(Problem.OWN_ROLE)
            conn.execute(text("UPDATE user_account SET role = :r WHERE id = :i"),
                         {"r": role.value, "i": account_id})
            record(conn, self.db, Action.ROLE_CHANGE, object_type="user_account",
                   object_id=account_id, detail={"account": account.username,
                                                 "before": account.role.value,
                                                 "after": role.value})

    def set_disabled(self, account_id: int, disabled: bool) -> None:
        self.db.identity.require(Perm.MANAGE_ACCOUNTS)
        with self.db.write() as conn:
            account = self._account_by_id(conn, account_id)
            if account.username == self.db.identity.username and disabled:
                raise AccountError(Problem.OWN_DISABLE)
            conn.execute(text("UPDATE user_account SET disabled = :d WHERE id = :i"),
                         {"d": disabled, "i": account_id})

    def unlock(self, account_id: int) -> None:
        self.db.identity.require(Perm.MANAGE_ACCOUNTS)
        with self.db.write() as conn:
            self._account_by_id(conn, account_id)
            conn.execute(text("UPDATE user_account SET failed_attempts = 0, locked_until = NULL "
                              "WHERE id = :i"), {"i": account_id})

    def reset_password(self, account_id: int, *, now: datetime | None = None) -> str:
        """A new initial password that must be changed at the next sign-in; returns it."""
        self.db.identity.require(Perm.MANAGE_ACCOUNTS)
        now = now or datetime.now()
        with self.db.write() as conn:
            account = self._account_by_id(conn, account_id)
            stored = str(conn.execute(text("SELECT password_hash FROM user_account WHERE id = :i"),
                                      {"i": account_id}).scalar_one())
            secret = generate_password(load_policy(self.db, conn))
            _set_password(conn, self.db, account, stored, secret, now, must_change=True)
            conn.execute(text("UPDATE user_account SET failed_attempts = 0, locked_until = NULL "
                              "WHERE id = :i"), {"i": account_id})
        return secret


def create_demo_accounts(db: Database, *, now: datetime | None = None) -> None:
    """The demo station's accounts, one per role, all with ``DEMO_PASSWORD``."""
    service = AccountService(db)
    with db.read() as conn:
        # The community officer's account stands for the officer with the most open tasks, so
        # its queue shows the task work it is there for.
        officer = conn.execute(text(
            "SELECT o.id, o.name FROM officer o LEFT JOIN task t ON t.assignee_id = o.id "
            "AND t.state IN ('awaiting_signoff', 'signed', 'returned') "
            "GROUP BY o.id ORDER BY count(t.id) DESC, o.id LIMIT 1")).first()
        existing = set(conn.execute(text("SELECT username FROM user_account")).scalars())
    for username, display, role in DEMO_ACCOUNTS:
        if username in existing:
            continue
        officer_id = officer.id if role is Role.COMMUNITY and officer else None
        if role is Role.COMMUNITY:
            display = officer.name if officer else username
        service.create(username, display, role, officer_id=officer_id, password=DEMO_PASSWORD,
                       must_change=False, now=now)


def token_line(username: str, token: str) -> str:
    """What a service account's token file holds."""
    return f"{username}:{token}\n"


def read_token(path: Path) -> tuple[str, str]:
    """A service account's user name and token from its file."""
    try:
        line = path.read_text(encoding="utf-8").strip().splitlines()[0]
        username, token = line.split(":", 1)
    except (OSError, IndexError, ValueError) as exc:
        raise LoginError(Problem.TOKEN_FILE, path=path) from exc
    return username.strip(), token.strip()
