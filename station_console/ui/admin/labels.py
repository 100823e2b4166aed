"""Translated names for the Administration screen: roles, permissions, audit actions, outcomes,
object types and policy settings; and the wording of a refused account change."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from station_console.domain.security import Perm, PermissionDenied, Role
from station_console.services.audit import Action

# lupdate finds calls named ``translate`` with a literal context.
translate = QCoreApplication.translate


def role_names() -> dict[Role, str]:
    """Role -> translated name, in the order roles are offered."""
    return {
        Role.OPERATOR: translate("AdminLabels", "Duty operator"),
        Role.LEADER: translate("AdminLabels", "Duty leader / chief"),
        Role.COMMUNITY: translate("AdminLabels", "Community officer"),
        Role.SYSADMIN: translate("AdminLabels", "System administrator"),
        Role.SECURITY: translate("AdminLabels", "Security officer"),
        Role.AUDITOR: translate("AdminLabels", "Security auditor"),
    }


def permission_names() -> dict[Perm, str]:
    """Permission -> what it lets one do, translated (for refusals)."""
    return {
        Perm.VIEW_INCIDENTS: translate("AdminLabels", "view incidents"),
        Perm.VIEW_PERSONAL: translate("AdminLabels", "see personal data unmasked"),
        Perm.REVEAL_PERSONAL: translate("AdminLabels", "reveal personal data"),
        Perm.INTAKE: translate("AdminLabels", "take calls"),
        Perm.DISPATCH: translate("AdminLabels", "dispatch"),
        Perm.DIVERT: translate("AdminLabels", "divert non-police calls"),
        Perm.LOOPS: translate("AdminLabels", "work on disputes and warning orders"),
        Perm.TASK_ISSUE: translate("AdminLabels", "issue tasks"),
        Perm.TASK_REVIEW: translate("AdminLabels", "review tasks"),
        Perm.TASK_WORK: translate("AdminLabels", "work on their own tasks"),
        Perm.VIEW_DASHBOARD: translate("AdminLabels", "view the dashboard"),
        Perm.EDIT_CODE_TABLES: translate("AdminLabels", "edit code tables"),
        Perm.IMPORT: translate("AdminLabels", "import"),
        Perm.EXPORT: translate("AdminLabels", "export"),
        Perm.BACKUP: translate("AdminLabels", "back up and restore"),
        Perm.MANAGE_ACCOUNTS: translate("AdminLabels", "manage accounts"),
        Perm.ASSIGN_ROLES: translate("AdminLabels", "assign roles"),
        Perm.MANAGE_KEYS: translate("AdminLabels", "manage keys and trusted peers"),
        Perm.SECURITY_POLICY: translate("AdminLabels", "change the security policy"),
        Perm.READ_AUDIT: translate("AdminLabels", "read the audit trail"),
    }


def refusal_text(exc: PermissionDenied) -> str:
    """A refused action in the user's language: who was refused what."""
    role = role_names().get(exc.identity.role) if exc.identity.role else None
    return translate("AdminLabels", "{user} ({role}) may not {action}.").format(
        user=exc.identity.username, role=role or exc.identity.role_label,
        action=permission_names().get(exc.perm, exc.perm.value))


def action_names() -> dict[str, str]:
    """Audit action code -> translated name (row changes are create / update / delete)."""
    return {
        "create": translate("AdminLabels", "Created"),
        "update": translate("AdminLabels", "Changed"),
        "delete": translate("AdminLabels", "Deleted"),
        Action.LOGIN: translate("AdminLabels", "Signed in"),
        Action.LOGIN_FAILED: translate("AdminLabels", "Sign-in failed"),
        Action.LOCKOUT: translate("AdminLabels", "Account locked"),
        Action.LOGOUT: translate("AdminLabels", "Signed out"),
        Action.SESSION_LOCK: translate("AdminLabels", "Session locked"),
        Action.SESSION_UNLOCK: translate("AdminLabels", "Session unlocked"),
        Action.PASSWORD_CHANGE: translate("AdminLabels", "Password changed"),
        Action.REVEAL: translate("AdminLabels", "Personal data revealed"),
        Action.DENIED: translate("AdminLabels", "Access denied"),
        Action.IMPORT: translate("AdminLabels", "Import"),
        Action.EXPORT: translate("AdminLabels", "Export"),
        Action.BACKUP: translate("AdminLabels", "Backup"),
        Action.RESTORE: translate("AdminLabels", "Restore"),
        Action.BULK: translate("AdminLabels", "Bulk load"),
        Action.ROLE_CHANGE: translate("AdminLabels", "Role changed"),
        Action.AUDIT_EXPORT: translate("AdminLabels", "Audit trail exported"),
        Action.AUDIT_PURGE: translate("AdminLabels", "Audit trail archived and purged"),
    }


def outcome_names() -> dict[str, str]:
    return {
        "ok": translate("AdminLabels", "OK"),
        "denied": translate("AdminLabels", "Denied"),
        "failed": translate("AdminLabels", "Failed"),
    }


def object_type_names() -> dict[str, str]:
    """Audited table (or other object kind) -> translated name."""
    return {
        "incident": translate("AdminLabels", "Incident"),
        "incident_event": translate("AdminLabels", "Incident event"),
        "incident_category": translate("AdminLabels", "Incident category"),
        "category_group": translate("AdminLabels", "Category group"),
        "dispute": translate("AdminLabels", "Dispute"),
        "dispute_party": translate("AdminLabels", "Dispute party"),
        "dispute_incident": translate("AdminLabels", "Dispute's incident"),
        "dispute_task": translate("AdminLabels", "Dispute's task"),
        "dispute_category": translate("AdminLabels", "Dispute category"),
        "diversion": translate("AdminLabels", "Diversion"),
        "department": translate("AdminLabels", "Department"),
        "task": translate("AdminLabels", "Task"),
        "task_event": translate("AdminLabels", "Task event"),
        "task_incident": translate("AdminLabels", "Task's incident"),
        "task_template": translate("AdminLabels", "Task template"),
        "warning_order": translate("AdminLabels", "Warning order"),
        "warning_limit": translate("AdminLabels", "Warning time limit"),
        "loop_event": translate("AdminLabels", "Loop event"),
        "repeat_pattern": translate("AdminLabels", "Repeat-call pattern"),
        "repeat_pattern_incident": translate("AdminLabels", "Repeat-call pattern's incident"),
        "user_account": translate("AdminLabels", "Account"),
        "password_history": translate("AdminLabels", "Password history"),
        "officer": translate("AdminLabels", "Officer"),
        "officer_community": translate("AdminLabels", "Officer's community"),
        "patrol_unit": translate("AdminLabels", "Patrol unit"),
        "patrol_unit_member": translate("AdminLabels", "Patrol unit member"),
        "unit_duty_change": translate("AdminLabels", "Unit duty change"),
        "community": translate("AdminLabels", "Community"),
        "grid": translate("AdminLabels", "Grid"),
        "police_post": translate("AdminLabels", "Police post"),
        "key_place": translate("AdminLabels", "Key place"),
        "station": translate("AdminLabels", "Station"),
        "app_meta": translate("AdminLabels", "Setting"),
        "sync_peer": translate("AdminLabels", "Trusted peer"),
        "sync_conflict": translate("AdminLabels", "Sync conflict"),
        "sync_package_log": translate("AdminLabels", "Change package"),
        "sync_tombstone": translate("AdminLabels", "Deletion record"),
        "file": translate("AdminLabels", "File"),
        "demo": translate("AdminLabels", "Demo station"),
    }


def policy_field_names() -> dict[str, str]:
    """``PasswordPolicy`` field -> translated label."""
    return {
        "min_length": translate("AdminLabels", "Minimum password length"),
        "min_classes": translate("AdminLabels", "Character kinds required (of 4)"),
        "expiry_days": translate("AdminLabels", "Password expires after (days, 0 = never)"),
        "history": translate("AdminLabels", "Recent passwords that may not be reused"),
        "max_failures": translate("AdminLabels", "Failed sign-ins before lockout"),
        "lockout_minutes": translate("AdminLabels", "Lockout (minutes)"),
        "idle_lock_minutes": translate("AdminLabels", "Lock an idle session after (minutes)"),
        "audit_retention_days": translate("AdminLabels", "Keep audit records (days)"),
    }
