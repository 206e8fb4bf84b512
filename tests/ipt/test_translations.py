"""The French catalogue is complete: no string of the code or templates left untranslated or fuzzy."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale/fr/LC_MESSAGES/django.po"
# The project's apps (every folder with an apps.py), the templates and the catalogue.
SOURCES = ["manage.py", "templates", "locale", *sorted(p.parent.name for p in ROOT.glob("*/apps.py"))]


def _problems(po: polib.POFile) -> list[str]:
    problems = [f"untranslated: {e.msgid!r}" for e in po.untranslated_entries()]
    problems += [f"fuzzy: {e.msgid!r}" for e in po.fuzzy_entries()]
    problems += [
        f"plural form missing: {e.msgid!r}"
        for e in po
        if e.msgid_plural and not all(e.msgstr_plural.values())
    ]
    return problems


def test_committed_catalogue_has_no_untranslated_or_fuzzy_entry():
    po = polib.pofile(str(CATALOGUE))
    assert len(po) > 50
    assert _problems(po) == []
    assert po.obsolete_entries() == []


def test_every_string_of_the_code_is_in_the_catalogue(tmp_path):
    """Extract the strings afresh (xgettext, as makemessages does) into a copy and check them all."""
    copy = tmp_path / "src"
    copy.mkdir()
    for name in SOURCES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy(src, copy / name)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ipt.settings_test", "PYTHONPATH": str(copy)}
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-obsolete"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    fresh = polib.pofile(str(copy / "locale/fr/LC_MESSAGES/django.po"))
    assert _problems(fresh) == []
