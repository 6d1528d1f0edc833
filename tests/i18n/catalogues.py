"""The translation catalogues as `make messages` would write them now.

The sources are copied, with the committed catalogues, into a scratch directory and the
extraction is run there (the checkout is never written to). What comes out is the committed
catalogue with every string the code marks today: a new or changed string arrives there
untranslated (or, when it resembles an old one, as a fuzzy guess), and a string no longer in
the code is gone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
from django.conf import settings

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
DOMAINS = ["django", "djangojs"]
# What the extraction reads: the code, the templates, the scripts, and what runs them.
SOURCES = ["manage.py", "messagecenter", "orders", "compliance", "templates", "static", "locale"]


def catalogue_path(root: Path, language: str, domain: str) -> Path:
    return root / "locale" / language / "LC_MESSAGES" / f"{domain}.po"


def extract_into_copy(scratch: Path, extra: dict[str, str] | None = None) -> Path:
    """Copies the sources to ``scratch`` and runs `make messages`' extraction there.
    ``extra`` adds files (relative path: text) to the copy, to show the check failing."""
    base = Path(settings.BASE_DIR)
    for name in SOURCES:
        source = base / name
        if source.is_dir():
            shutil.copytree(
                source, scratch / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo")
            )
        elif source.exists():
            shutil.copy2(source, scratch / name)
    for relative, text in (extra or {}).items():
        (scratch / relative).write_text(text, encoding="utf-8")
    environment = dict(os.environ, MESSAGECENTER_VAR_DIR=str(scratch / "var"))
    languages = [flag for language in LANGUAGES for flag in ("-l", language)]
    options = ["--add-location=file", "--no-obsolete", "-v", "0"]
    for domain in DOMAINS:
        subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-d", domain, *languages, *options],
            cwd=scratch,
            env=environment,
            check=True,
            capture_output=True,
        )
    return scratch


def entries(path: Path) -> list[polib.POEntry]:
    return list(polib.pofile(str(path))) if path.exists() else []
