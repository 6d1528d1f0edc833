"""Every marked string is translated into every language, and the catalogues compile.

English is the source text; German, French, Spanish and Italian each have a catalogue in
locale/. These tests fail when a string was marked (or changed) in the code and not
translated, when a translation is only a fuzzy guess, when a catalogue still holds strings
the code no longer has, when a translation loses or adds a placeholder, and when a long
English sentence was copied instead of translated.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from tests.i18n.catalogues import DOMAINS, LANGUAGES, catalogue_path, entries, extract_into_copy

BASE = Path(settings.BASE_DIR)

# Strings that are the same words in a language as in English, with the reason.
SAME_AS_ENGLISH: dict[str, str] = {
    "Total <strong>$%(total)s</strong>": "“Total” is the French and Spanish word too",
    "type <code>%(type)s</code>": "“type” is the French word too",
    'SKU <span class="nowrap">%(sku)s</span>': "Spanish and Italian sellers say SKU",
    "in %(location)s: %(explanation)s": "“in” is the German and Italian word too",
}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return extract_into_copy(tmp_path_factory.mktemp("messages"))


def _where(entry: polib.POEntry) -> str:
    return ", ".join(sorted({path for path, _line in entry.occurrences})) or "?"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_string_is_translated(extracted: Path, language: str) -> None:
    missing = [
        f"  {_where(entry)}: {entry.msgid!r}" + (" (fuzzy)" if entry.fuzzy else "")
        for domain in DOMAINS
        for entry in entries(catalogue_path(extracted, language, domain))
        if entry.fuzzy or not entry.translated()
    ]
    assert not missing, (
        f"{len(missing)} strings have no {language} translation; run `make messages` and "
        f"translate them in locale/{language}/LC_MESSAGES:\n" + "\n".join(missing)
    )


def test_a_newly_marked_string_arrives_untranslated(tmp_path: Path) -> None:
    """The check above can fail: a string marked only in the copy is extracted into every
    catalogue with no translation."""
    new = "A sentence that no catalogue has translated yet"
    module = f"from django.utils.translation import gettext as _\n\nTEXT = _({new!r})\n"
    scratch = extract_into_copy(tmp_path, {"messagecenter/untranslated_probe.py": module})
    for language in LANGUAGES:
        found = [e for e in entries(catalogue_path(scratch, language, "django")) if e.msgid == new]
        assert len(found) == 1 and not found[0].translated()


@pytest.mark.parametrize("language", LANGUAGES)
def test_committed_catalogue_holds_exactly_the_marked_strings(
    extracted: Path, language: str
) -> None:
    for domain in DOMAINS:
        fresh = {(e.msgctxt, e.msgid) for e in entries(catalogue_path(extracted, language, domain))}
        kept = {(e.msgctxt, e.msgid) for e in entries(catalogue_path(BASE, language, domain))}
        assert fresh == kept, (
            f"locale/{language}/LC_MESSAGES/{domain}.po is out of date; run `make messages`. "
            f"Not in it: {sorted(fresh - kept)[:20]}; no longer marked: {sorted(kept - fresh)[:20]}"
        )


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_compiles_with_its_placeholders_intact(language: str) -> None:
    for domain in DOMAINS:
        path = catalogue_path(BASE, language, domain)
        if not path.exists():
            continue
        # --check: the header, and every python-format / python-brace-format entry keeps
        # its placeholders, so a translation can never raise or drop a value.
        result = subprocess.run(
            ["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr


_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w*)\}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_named_placeholders(language: str) -> None:
    """Named placeholders in unflagged entries too (msgfmt checks only flagged ones)."""
    wrong = []
    for domain in DOMAINS:
        for entry in entries(catalogue_path(BASE, language, domain)):
            if not entry.translated():
                continue
            sources = [entry.msgid] if not entry.msgid_plural else [entry.msgid_plural]
            translations = (
                [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
            )
            expected = {m.group(0) for s in sources for m in _PLACEHOLDER.finditer(s)}
            for text in translations:
                got = {m.group(0) for m in _PLACEHOLDER.finditer(text)}
                if got - expected or (not entry.msgid_plural and expected - got):
                    wrong.append(f"  {entry.msgid!r} -> {text!r}")
    assert not wrong, f"{language}: placeholders changed:\n" + "\n".join(wrong)


@pytest.mark.parametrize("language", LANGUAGES)
def test_sentences_are_translated_not_copied(language: str) -> None:
    copied = [
        f"  {_where(entry)}: {entry.msgid!r}"
        for domain in DOMAINS
        for entry in entries(catalogue_path(BASE, language, domain))
        if entry.translated()
        and entry.msgstr == entry.msgid
        and len(re.findall(r"[^\W\d_]{2,}", entry.msgid)) >= 3
        and entry.msgid not in SAME_AS_ENGLISH
    ]
    assert not copied, f"{language}: English copied as the translation:\n" + "\n".join(copied)


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_is_the_one_served(language: str) -> None:
    """`make install` compiled the catalogue: a translated string comes back translated."""
    translated = next(
        (
            e
            for e in entries(catalogue_path(BASE, language, "django"))
            if e.translated() and not e.msgid_plural and not e.msgctxt and e.msgstr != e.msgid
        ),
        None,
    )
    if translated is None:
        pytest.skip(f"no {language} translation yet")
    with translation.override(language):
        assert translation.gettext(translated.msgid) == translated.msgstr
