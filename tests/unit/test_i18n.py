"""Both languages are complete: every UI string is translated to Chinese, and English is the source."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from station_console.i18n_build import TRANSLATED_LANGUAGES, ts_path, update

#: Chinese characters, or CJK punctuation (a list separator translates to "、" alone).
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
PLACEHOLDER = re.compile(r"\{\w*\}")


def _messages(path: Path) -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(path).getroot()
    return [
        (ctx.findtext("name") or "", msg.findtext("source") or "", msg.find("translation"))
        for ctx in root.iter("context")
        for msg in ctx.iter("message")
    ]


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_every_string_in_the_sources_is_in_the_translation(language: str, tmp_path: Path) -> None:
    """Re-extract the strings from the code: nothing may be new (untranslated) or missing."""
    fresh = tmp_path / ts_path(language).name
    shutil.copyfile(ts_path(language), fresh)
    update([fresh])
    kept = {(c, s) for c, s, _ in _messages(ts_path(language))}
    found = {(c, s) for c, s, _ in _messages(fresh)}
    assert found - kept == set(), "strings missing from the .ts: run i18n_build update and translate"
    assert kept - found == set(), "obsolete strings in the .ts: run i18n_build update"


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_every_entry_is_translated_with_its_placeholders(language: str) -> None:
    messages = _messages(ts_path(language))
    assert messages
    for context, source, translation in messages:
        assert translation is not None
        assert translation.get("type") is None, f"{context}: {source!r} is not finished"
        text = translation.text or ""
        assert CJK.search(text), f"{context}: {source!r} has no Chinese translation"
        assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(source)), (
            f"{context}: {source!r} placeholders differ in {text!r}"
        )


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_english_source_strings_are_english(language: str) -> None:
    for context, source, _ in _messages(ts_path(language)):
        assert not CJK.search(source), f"{context}: source string {source!r} is not English"
