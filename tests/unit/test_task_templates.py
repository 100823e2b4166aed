"""The task-template code table: editing, adding, validating, deactivating and deleting templates."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from station_console.domain.tasks import (
    FieldType,
    Refusal,
    TaskError,
    field_to_dict,
    parse_form_schema,
    schema_problems,
    template_problems,
)
from station_console.services.tasks import (
    FeedbackInvalid,
    IssueRequest,
    TaskService,
    TemplateDraft,
    TemplateInvalid,
    load_shipped_templates,
)
from station_console.store.database import Database
from tests.conftest import DEMO_END, DEMO_ON_BOTH_ENGINES


@pytest.fixture
def svc(demo_db: Database) -> TaskService:
    return TaskService(demo_db, now=lambda: DEMO_END, actor="值班员")


def _officer(svc: TaskService) -> int:
    return svc.officers()[0].id


def test_every_shipped_form_survives_the_editor_round_trip() -> None:
    for tpl in load_shipped_templates():
        fields = parse_form_schema(tpl["form"])
        assert parse_form_schema([field_to_dict(f) for f in fields]) == fields


def test_schema_problems_mark_every_bad_field_at_once() -> None:
    form = [
        {"key": "a", "label": "到场时间", "type": "datetime"},
        {"key": "b", "label": "方式", "type": "pick_one", "options": ["上门"]},
        {"key": "c", "label": "", "type": "yes_no"},
        {"key": "d", "label": "人数", "type": "number", "min": 5, "max": 1},
        {"key": "e", "label": "去向", "type": "pick_many", "options": ["甲", " "]},
    ]
    problems = schema_problems(form, where="template BZ99")
    assert [(p.index, p.code) for p in problems] == [
        (2, "few_options"), (3, "no_label"), (4, "min_above_max"), (5, "blank_option")]
    assert "template BZ99, field 2 ('b')" in str(problems[0])


def test_template_problems_name_the_part() -> None:
    form = [{"key": "a", "label": "A", "type": "short_text"}]
    assert template_problems("BZ01", "回访", 30, 6, form) == []
    problems = template_problems("BZ01", " ", 0, 0, [])
    assert [(p.part, p.code) for p in problems] == [
        ("name", "no_name"), ("signoff_limit_min", "not_positive"), ("feedback_limit_h", "not_positive"),
        ("form", "empty_form")]


@DEMO_ON_BOTH_ENGINES
def test_editing_a_template_changes_the_form_of_a_new_task(svc: TaskService) -> None:
    draft = svc.template_draft("BZ01")
    extra = {"key": "f1", "label": "邻居意见", "type": "pick_many", "options": ["支持", "反对", "无意见"],
             "required": True}
    form = (extra, *draft.form[1:])
    edited = svc.save_template("BZ01", replace(draft, form=form, feedback_limit_h=9))
    assert edited.fields[0].label == "邻居意见" and edited.feedback_limit_h == 9

    task = svc.issue(IssueRequest("BZ01", _officer(svc), "回访：和平路1号"))
    detail = svc.detail(task.id)
    assert [f.key for f in detail.template.fields] == [f["key"] for f in form]
    assert detail.template.fields[0].type == FieldType.PICK_MANY
    svc.sign(task.id)
    assert svc.detail(task.id).row.feedback_due == DEMO_END.replace(microsecond=0) + timedelta(hours=9)
    # The removed first field is no longer asked; the new one is required.
    with pytest.raises(FeedbackInvalid) as refused:
        svc.file_feedback(task.id, {})
    assert "f1" in {p.key for p in refused.value.problems}
    assert draft.form[0]["key"] not in {p.key for p in refused.value.problems}


@DEMO_ON_BOTH_ENGINES
def test_an_invalid_schema_is_refused_naming_the_field_and_nothing_is_written(svc: TaskService) -> None:
    before = svc.template("BZ02")
    draft = svc.template_draft("BZ02")
    bad = {"key": "way2", "label": "回访方式", "type": "pick_one", "options": ["上门"], "required": True}
    with pytest.raises(TemplateInvalid) as refused:
        svc.save_template("BZ02", replace(draft, name="改名", form=(draft.form[0], bad)))
    problem = refused.value.problems[0]
    assert (problem.part, problem.index, problem.code) == ("form", 2, "few_options")
    assert "field 2 ('way2')" in str(refused.value) and refused.value.code == Refusal.INVALID_TEMPLATE
    assert svc.template("BZ02") == before


@DEMO_ON_BOTH_ENGINES
def test_a_new_template_gets_the_next_code_and_can_be_issued(svc: TaskService) -> None:
    count = len(svc.templates())
    draft = TemplateDraft(name="电动车充电隐患检查", lead_department="社区警务队", feedback_limit_h=5,
                          form=({"key": "f1", "label": "是否整改", "type": "yes_no", "required": True},))
    added = svc.save_template(None, draft)
    assert added.code == "BZ34" and added.feedback_limit_h == 5
    assert [t.code for t in svc.templates()][-1] == "BZ34" and len(svc.templates()) == count + 1
    task = svc.issue(IssueRequest("BZ34", _officer(svc), "检查：幸福小区车棚"))
    assert task.template_name == "电动车充电隐患检查"


@DEMO_ON_BOTH_ENGINES
def test_a_template_in_use_can_only_be_deactivated(svc: TaskService) -> None:
    used = svc.list_tasks()[0].template_code
    assert svc.template_usage(used) > 0
    with pytest.raises(TaskError) as refused:
        svc.delete_template(used)
    assert refused.value.code == Refusal.TEMPLATE_IN_USE
    assert svc.template(used).active

    svc.update_template(used, active=False)
    assert used not in {t.code for t in svc.templates()}
    assert used in {t.code for t in svc.templates(active_only=False)}
    # Tasks already issued from it keep working.
    assert svc.detail(svc.list_tasks()[0].id).template.code


@DEMO_ON_BOTH_ENGINES
def test_an_unused_template_can_be_deleted(svc: TaskService) -> None:
    added = svc.save_template(None, TemplateDraft(
        name="临时任务", form=({"key": "f1", "label": "结果", "type": "short_text", "required": True},)))
    assert svc.template_usage(added.code) == 0
    svc.delete_template(added.code)
    assert added.code not in {t.code for t in svc.templates(active_only=False)}
    with pytest.raises(TaskError) as refused:
        svc.delete_template(added.code)
    assert refused.value.code == Refusal.UNKNOWN_TEMPLATE
