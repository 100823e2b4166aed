"""Roles, permissions, the password policy and masking of personal data.

Plain rules, no Qt and no SQL. Level-3 protection (等保三级) separates the system administrator,
the security officer and the auditor (三员分立): none of them works on incidents, the
administrator cannot grant roles or read the audit trail, the auditor changes nothing.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What a person does in the station; each role carries a fixed set of permissions."""

    OPERATOR = "operator"              # 值班员 (duty operator)
    LEADER = "leader"                  # 值班领导 / 所长 (duty leader, chief)
    COMMUNITY = "community"            # 社区民警 (community officer)
    SYSADMIN = "sysadmin"              # 系统管理员
    SECURITY = "security"              # 安全保密管理员
    AUDITOR = "auditor"                # 安全审计员


class Perm(StrEnum):
    """One permission per action; services check these, the UI only hides what is denied."""

    VIEW_INCIDENTS = "view_incidents"
    VIEW_PERSONAL = "view_personal"      # sees names, phones and ID numbers unmasked
    REVEAL_PERSONAL = "reveal_personal"  # may reveal one masked field at a time (audited)
    INTAKE = "intake"
    DISPATCH = "dispatch"                # dispatch, arrival, resolve, close, reopen, merge
    DIVERT = "divert"
    LOOPS = "loops"                      # disputes and warning orders
    TASK_ISSUE = "task_issue"
    TASK_REVIEW = "task_review"
    TASK_WORK = "task_work"              # sign off and feed back one's own tasks
    VIEW_DASHBOARD = "view_dashboard"
    EDIT_CODE_TABLES = "edit_code_tables"
    IMPORT = "import"
    EXPORT = "export"
    BACKUP = "backup"                    # backup and restore
    MANAGE_ACCOUNTS = "manage_accounts"  # create, disable, unlock, reset passwords
    ASSIGN_ROLES = "assign_roles"        # change what an account may do
    MANAGE_KEYS = "manage_keys"          # signing keys and trusted peers
    SECURITY_POLICY = "security_policy"  # password policy, idle lock, audit retention
    READ_AUDIT = "read_audit"


_BUSINESS_READ = {Perm.VIEW_INCIDENTS, Perm.VIEW_DASHBOARD}

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.OPERATOR: frozenset(_BUSINESS_READ | {
        Perm.REVEAL_PERSONAL, Perm.INTAKE, Perm.DISPATCH, Perm.DIVERT, Perm.LOOPS, Perm.IMPORT,
        Perm.EXPORT,
    }),
    Role.LEADER: frozenset(_BUSINESS_READ | {
        Perm.VIEW_PERSONAL, Perm.REVEAL_PERSONAL, Perm.INTAKE, Perm.DISPATCH, Perm.DIVERT,
        Perm.LOOPS, Perm.TASK_ISSUE, Perm.TASK_REVIEW, Perm.IMPORT, Perm.EXPORT,
    }),
    Role.COMMUNITY: frozenset(_BUSINESS_READ | {
        Perm.REVEAL_PERSONAL, Perm.LOOPS, Perm.TASK_WORK,
    }),
    Role.SYSADMIN: frozenset({
        Perm.MANAGE_ACCOUNTS, Perm.EDIT_CODE_TABLES, Perm.IMPORT, Perm.BACKUP,
    }),
    Role.SECURITY: frozenset({Perm.ASSIGN_ROLES, Perm.MANAGE_KEYS, Perm.SECURITY_POLICY}),
    Role.AUDITOR: frozenset({Perm.READ_AUDIT}),
}

_CASEWORK = frozenset({Perm.INTAKE, Perm.IMPORT, Perm.DISPATCH, Perm.DIVERT, Perm.LOOPS,
                       Perm.TASK_ISSUE, Perm.TASK_REVIEW, Perm.TASK_WORK})
_TASKS = frozenset({Perm.TASK_ISSUE, Perm.TASK_REVIEW, Perm.TASK_WORK, Perm.LOOPS, Perm.IMPORT,
                    Perm.DISPATCH, Perm.DIVERT})
_CODE_TABLES = frozenset({Perm.EDIT_CODE_TABLES, Perm.IMPORT})
_ACCOUNTS = frozenset({Perm.MANAGE_ACCOUNTS, Perm.ASSIGN_ROLES})

#: Who may write which table: the store refuses a row change by an account holding none of the
#: table's permissions, whatever code path attempts it (the services check first and explain).
TABLE_WRITERS: dict[str, frozenset[Perm]] = {
    **{t: _CODE_TABLES for t in (
        "station", "community", "grid", "police_post", "key_place", "officer",
        "officer_community", "patrol_unit_member", "category_group", "incident_category",
        "department", "dispute_category", "warning_limit", "task_template")},
    "patrol_unit": _CODE_TABLES | {Perm.DISPATCH},
    "unit_duty_change": frozenset({Perm.DISPATCH, Perm.EDIT_CODE_TABLES}),
    **{t: _TASKS for t in ("task", "task_incident", "task_event")},
    "user_account": _ACCOUNTS,
    "password_history": _ACCOUNTS,
    "app_meta": _CODE_TABLES | _CASEWORK | {Perm.SECURITY_POLICY, Perm.BACKUP, Perm.MANAGE_KEYS},
}
#: Tables not named above hold case work (incidents, loops, sync bookkeeping).
DEFAULT_WRITERS = _CASEWORK | {Perm.MANAGE_KEYS, Perm.EXPORT}


def may_write(identity: Identity, table: str) -> bool:
    """Whether the identity may change rows of ``table``."""
    if identity.is_system:
        return True
    return bool(identity.permissions & TABLE_WRITERS.get(table, DEFAULT_WRITERS))


#: Roles the system administrator may give when creating an account; the others (and every
#: later change of role) belong to the security officer.
BUSINESS_ROLES = frozenset({Role.OPERATOR, Role.LEADER, Role.COMMUNITY})


class PermissionDenied(Exception):
    """The signed-in account may not do this; the message says what was refused and to whom."""

    def __init__(self, identity: Identity, perm: Perm) -> None:
        super().__init__(f"{identity.username} ({identity.role_label}) may not {perm.value}")
        self.identity = identity
        self.perm = perm


@dataclass(frozen=True)
class Identity:
    """Who is acting: an account with its role, or the program's own system identity."""

    username: str
    role: Role | None
    permissions: frozenset[Perm]
    account_id: int | None = None
    display_name: str = ""
    workstation: str = ""
    service: bool = False
    #: The officer a community officer's account stands for (its own tasks only).
    officer_id: int | None = None

    @property
    def role_label(self) -> str:
        return self.role.value if self.role else "system"

    @property
    def is_system(self) -> bool:
        return self.role is None and self.permissions == _ALL_PERMISSIONS

    def can(self, perm: Perm) -> bool:
        return perm in self.permissions

    def require(self, perm: Perm) -> None:
        if perm not in self.permissions:
            raise PermissionDenied(self, perm)

    def works_on(self, assignee_id: int | None) -> bool:
        """Whether this identity may sign and feed back a task given to ``assignee_id``.

        Task work is personal: an account holding only the work permission acts for its own
        officer; the program itself (imports, tests) acts for anyone.
        """
        return self.is_system or (self.officer_id is not None and self.officer_id == assignee_id)


def identity_for(username: str, role: Role, *, account_id: int | None = None,
                 display_name: str = "", workstation: str = "", service: bool = False,
                 officer_id: int | None = None) -> Identity:
    """The identity of an account of a role."""
    return Identity(username, role, ROLE_PERMISSIONS[role], account_id, display_name,
                    workstation, service, officer_id)


_ALL_PERMISSIONS = frozenset(Perm)
#: The program itself: schema upgrades, demo generation, tests and the unattended commands on a
#: demo database. No account can sign in as it.
SYSTEM = Identity("system", None, _ALL_PERMISSIONS, display_name="system")
#: Nobody signed in (between a sign-out and the next sign-in): may do nothing.
ANONYMOUS = Identity("anonymous", None, frozenset(), display_name="anonymous")


# ---- passwords ----------------------------------------------------------------------------

@dataclass(frozen=True)
class PasswordPolicy:
    """The configurable rules for passwords (security officer's settings)."""

    min_length: int = 10
    min_classes: int = 3          # of: lower case, upper case, digits, other characters
    expiry_days: int = 90         # 0: never expires
    history: int = 5              # the last N passwords may not be used again
    max_failures: int = 5
    lockout_minutes: int = 10
    idle_lock_minutes: int = 15
    audit_retention_days: int = 365

    def problems(self, password: str, username: str = "") -> list[str]:
        """What is wrong with a new password, as ``WEAKNESSES`` keys (empty when acceptable)."""
        found: list[str] = []
        if len(password) < self.min_length:
            found.append("length")
        if _char_classes(password) < self.min_classes:
            found.append("classes")
        if username and username.lower() in password.lower():
            found.append("username")
        return found

    def describe(self, problems: list[str]) -> str:
        return "; ".join(WEAKNESSES[p].format(n=self.min_length, k=self.min_classes)
                         for p in problems)


#: What a password lacks, in English (the interface translates by key).
WEAKNESSES = {
    "length": "at least {n} characters",
    "classes": "at least {k} of: lower case, upper case, digits, symbols",
    "username": "must not contain the user name",
}


POLICY_FIELDS = tuple(PasswordPolicy.__dataclass_fields__)
#: Lowest values the settings may take (the audit must be kept at least a year).
POLICY_MINIMUMS = {"min_length": 8, "min_classes": 2, "expiry_days": 0, "history": 0,
                   "max_failures": 3, "lockout_minutes": 1, "idle_lock_minutes": 1,
                   "audit_retention_days": 365}


def _char_classes(password: str) -> int:
    classes = [
        any(c.islower() for c in password),
        any(c.isupper() for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() for c in password),
    ]
    return sum(classes)


# ---- masking -------------------------------------------------------------------------------

class PersonalField(StrEnum):
    """Kinds of personal data and how each is masked."""

    NAME = "name"
    PHONE = "phone"
    ID_NO = "id_no"


def mask_phone(value: str) -> str:
    """``13812341234`` -> ``138****1234``; shorter numbers keep only their last 2 digits."""
    digits = value.strip()
    if not digits:
        return ""
    if len(digits) >= 11:
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) > 4:
        return "*" * (len(digits) - 2) + digits[-2:]
    return "*" * len(digits)


def mask_id_no(value: str) -> str:
    """An ID number keeps its first 6 and last 4 characters: ``110101********123X``."""
    v = value.strip()
    if not v:
        return ""
    if len(v) <= 10:
        return v[:2] + "*" * (len(v) - 2)
    return f"{v[:6]}{'*' * (len(v) - 10)}{v[-4:]}"


def mask_name(value: str) -> str:
    """A name keeps its first character (the family name): ``张三丰`` -> ``张**``."""
    v = value.strip()
    if not v:
        return ""
    if all(c in string.ascii_letters + " .-'" for c in v):
        return v[0] + "*" * (len(v) - 1)
    return v[0] + "*" * max(1, len(v) - 1)


MASKERS = {PersonalField.NAME: mask_name, PersonalField.PHONE: mask_phone,
           PersonalField.ID_NO: mask_id_no}


def mask(kind: PersonalField, value: str) -> str:
    return MASKERS[kind](value or "")


_PHONE_IN_TEXT = re.compile(r"(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)")
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])")


def mask_free_text(value: str) -> str:
    """Mobile numbers and ID numbers written inside free text (a description, a note)."""
    value = _ID_IN_TEXT.sub(lambda m: f"{m.group(1)}********{m.group(2)}", value)
    return _PHONE_IN_TEXT.sub(lambda m: f"{m.group(1)}****{m.group(2)}", value)


@dataclass(frozen=True)
class Masker:
    """Masks personal fields unless the identity may see them (one object per request)."""

    clear: bool

    def __call__(self, kind: PersonalField, value: str | None) -> str:
        return (value or "") if self.clear else mask(kind, value or "")

    def text(self, value: str | None) -> str:
        return (value or "") if self.clear else mask_free_text(value or "")


def masker_for(identity: Identity) -> Masker:
    return Masker(clear=identity.can(Perm.VIEW_PERSONAL))


# ---- exports -------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
