"""Translated texts of import problems and outcomes."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from station_console.services.importer import Issue, Outcome, Problem


def _t(text: str) -> str:
    return QCoreApplication.translate("SyncLabels", text)


def problem_template(problem: Problem) -> str:
    """The translated message of a problem, with ``{param}`` placeholders."""
    return {
        Problem.UNREADABLE: _t("cannot read the file ({detail}); check that it is a complete {format} file"),
        Problem.DECODE: _t("the text is not valid {encoding} here; save the file as UTF-8 or set "
                           "encoding in the profile's [options]"),
        Problem.BAD_CSV: _t("the file is not well-formed CSV ({detail}); is it truncated or is a "
                            "quote unbalanced?"),
        Problem.BAD_JSON: _t("the JSON is broken ({detail}); is the file truncated?"),
        Problem.NOT_OBJECT: _t("each record must be a JSON object, found {value}"),
        Problem.EMPTY_FILE: _t("the file holds no data rows"),
        Problem.MISSING_COLUMN: _t("column {column} (mapped to {target}) is not in the file; it has: "
                                   "{available}. Fix [columns] in the profile"),
        Problem.COLUMN_COUNT: _t("the row has {found} columns, the header has {expected}; is the row "
                                 "cut short or a delimiter unquoted?"),
        Problem.REQUIRED: _t("a value is required"),
        Problem.BAD_DATE: _t("{detail}; write dates like 2024-03-05 08:07 or set datetime_formats"),
        Problem.BAD_NUMBER: _t("{detail}"),
        Problem.OUT_OF_RANGE: _t("{value} is out of range ({detail})"),
        Problem.UNKNOWN_CATEGORY: _t("unknown category {value}; map it in the profile's [categories] to "
                                     "a station category code or name"),
        Problem.UNKNOWN_STATUS: _t("unknown status {value}; map it in [statuses] to new, dispatched, "
                                   "arrived, resolved or closed"),
        Problem.UNKNOWN_SOURCE: _t("unknown source {value}; map it in [sources] to 110, phone, walk_in, "
                                   "patrol, warning or 12345"),
        Problem.UNKNOWN_PRIORITY: _t("unknown priority {value}; use 1, 2, 3 or 一级, 二级, 三级"),
        Problem.TOO_LONG: _t("the text is {found} characters; at most {limit} fit"),
        Problem.DUPLICATE: _t("incident number {value} appears more than once in this file"),
    }[problem]


def issue_text(issue: Issue) -> str:
    """A located problem in the user's language: file, line, field and what to do."""
    message = problem_template(issue.problem).format(**issue.params)
    if issue.line == 0:
        where = issue.file
    elif issue.unit == "row":
        where = _t("{file}, row {line}").format(file=issue.file, line=issue.line)
    else:
        where = _t("{file}, line {line}").format(file=issue.file, line=issue.line)
    return f"{where}{', ' + issue.field if issue.field else ''}: {message}"


def outcome_text(outcome: Outcome) -> str:
    """How an import ended, translated."""
    return {
        Outcome.COMMITTED: _t("imported"),
        Outcome.REJECTED: _t("rejected, nothing changed"),
        Outcome.DRY_RUN: _t("checked, nothing changed"),
    }[outcome]
