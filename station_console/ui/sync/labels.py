"""Translated texts of import problems and outcomes."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from station_console.services.importer import Issue, Outcome, Problem


def problem_template(problem: Problem) -> str:
    """The translated message of a problem, with ``{param}`` placeholders."""
    return {
        Problem.UNREADABLE: QCoreApplication.translate(
            "SyncLabels", "cannot read the file ({detail}); check that it is a complete {format} file"),
        Problem.DECODE: QCoreApplication.translate(
            "SyncLabels", "the text is not valid {encoding} here; save the file as UTF-8 or set "
            "encoding in the profile's [options]"),
        Problem.BAD_CSV: QCoreApplication.translate(
            "SyncLabels", "the file is not well-formed CSV ({detail}); is it truncated or is a "
            "quote unbalanced?"),
        Problem.BAD_JSON: QCoreApplication.translate(
            "SyncLabels", "the JSON is broken ({detail}); is the file truncated?"),
        Problem.NOT_OBJECT: QCoreApplication.translate(
            "SyncLabels", "each record must be a JSON object, found {value}"),
        Problem.EMPTY_FILE: QCoreApplication.translate(
            "SyncLabels", "the file holds no data rows"),
        Problem.MISSING_COLUMN: QCoreApplication.translate(
            "SyncLabels", "column {column} (mapped to {target}) is not in the file; it has: "
            "{available}. Fix [columns] in the profile"),
        Problem.COLUMN_COUNT: QCoreApplication.translate(
            "SyncLabels", "the row has {found} columns, the header has {expected}; is the row "
            "cut short or a delimiter unquoted?"),
        Problem.REQUIRED: QCoreApplication.translate(
            "SyncLabels", "a value is required"),
        Problem.BAD_DATE: QCoreApplication.translate(
            "SyncLabels", "{detail}; write dates like 2024-03-05 08:07 or set datetime_formats"),
        Problem.BAD_NUMBER: QCoreApplication.translate(
            "SyncLabels", "not a number: {detail}"),
        Problem.OUT_OF_RANGE: QCoreApplication.translate(
            "SyncLabels", "{value} is out of range ({detail})"),
        Problem.UNKNOWN_CATEGORY: QCoreApplication.translate(
            "SyncLabels", "unknown category {value}; map it in the profile's [categories] to "
            "a station category code or name"),
        Problem.UNKNOWN_STATUS: QCoreApplication.translate(
            "SyncLabels", "unknown status {value}; map it in [statuses] to new, dispatched, "
            "arrived, resolved or closed"),
        Problem.UNKNOWN_SOURCE: QCoreApplication.translate(
            "SyncLabels", "unknown source {value}; map it in [sources] to 110, phone, walk_in, "
            "patrol, warning or 12345"),
        Problem.UNKNOWN_PRIORITY: QCoreApplication.translate(
            "SyncLabels", "unknown priority {value}; use 1, 2 or 3, or the grade words of the README"),
        Problem.TOO_LONG: QCoreApplication.translate(
            "SyncLabels", "the text is {found} characters; at most {limit} fit"),
        Problem.DUPLICATE: QCoreApplication.translate(
            "SyncLabels", "incident number {value} appears more than once in this file"),
    }[problem]


def issue_text(issue: Issue) -> str:
    """A located problem in the user's language: file, line, field and what to do."""
    message = problem_template(issue.problem).format(**issue.params)
    if issue.line == 0:
        where = issue.file
    elif issue.unit == "row":
        where = QCoreApplication.translate(
            "SyncLabels", "{file}, row {line}").format(file=issue.file, line=issue.line)
    else:
        where = QCoreApplication.translate(
            "SyncLabels", "{file}, line {line}").format(file=issue.file, line=issue.line)
    return f"{where}{', ' + issue.field if issue.field else ''}: {message}"


def outcome_text(outcome: Outcome) -> str:
    """How an import ended, translated."""
    return {
        Outcome.COMMITTED: QCoreApplication.translate(
            "SyncLabels", "imported"),
        Outcome.REJECTED: QCoreApplication.translate(
            "SyncLabels", "rejected, nothing changed"),
        Outcome.DRY_RUN: QCoreApplication.translate(
            "SyncLabels", "checked, nothing changed"),
    }[outcome]
