"""The German catalogue is complete and compiled.

makemessages runs on a copy of the source tree (so the real catalogue is never touched), then the
merged catalogue must have no untranslated and no fuzzy entry, and the committed django.mo must
hold exactly the translations of the committed django.po.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "de" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
# The same ignores as `make messages` (README / COMMON.md).
IGNORE = [".venv", "node_modules", "static", "staticfiles", "tests", "bench"]
NOT_COPIED = {
    ".git",
    ".venv",
    "node_modules",
    "data",
    "staticfiles",
    "tests",
    "bench",
    ".ruff_cache",
}


def _translations(entries) -> dict:
    result = {}
    for entry in entries:
        if not entry.msgid or entry.obsolete or "fuzzy" in entry.flags:
            continue
        value = (
            tuple(v for _, v in sorted(entry.msgstr_plural.items()))
            if entry.msgid_plural
            else entry.msgstr
        )
        if any(value) if isinstance(value, tuple) else value:
            result[(entry.msgctxt, entry.msgid)] = value
    return result


def _describe(entries, limit=40) -> str:
    lines = [f"  {e.msgid!r}" + (f" (context {e.msgctxt!r})" if e.msgctxt else "") for e in entries]
    more = f"\n  … and {len(lines) - limit} more" if len(lines) > limit else ""
    return "\n".join(lines[:limit]) + more


@pytest.fixture(scope="module")
def fresh_catalogue(tmp_path_factory) -> polib.POFile:
    """Run makemessages on a copy of the tree and return the German catalogue it produced."""
    copy = tmp_path_factory.mktemp("i18n") / "src"
    shutil.copytree(ROOT, copy, ignore=lambda d, names: [n for n in names if n in NOT_COPIED])
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(DEBUG="1", DATA_DIR=str(copy / "data"), DJANGO_SETTINGS_MODULE="triangle.settings")
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    command = [sys.executable, "manage.py", "makemessages", "-l", "de", "--no-obsolete"]
    command += [f"--ignore={name}" for name in IGNORE]
    result = subprocess.run(  # noqa: S603
        command, cwd=copy, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return polib.pofile(str(copy / "locale" / "de" / "LC_MESSAGES" / "django.po"))


@pytest.mark.gettext
def test_every_message_has_a_german_translation(fresh_catalogue):
    missing = fresh_catalogue.untranslated_entries()
    assert not missing, (
        f"{len(missing)} message(s) without German translation "
        f"(run `make messages` and translate them):\n{_describe(missing)}"
    )


@pytest.mark.gettext
def test_no_german_translation_is_fuzzy(fresh_catalogue):
    fuzzy = fresh_catalogue.fuzzy_entries()
    assert not fuzzy, (
        f"{len(fuzzy)} fuzzy German translation(s) (check them and drop the fuzzy flag):\n"
        f"{_describe(fuzzy)}"
    )


def test_compiled_catalogue_matches_the_source_catalogue():
    assert MO.exists(), "locale/de/LC_MESSAGES/django.mo is missing: run `make messages`"
    from_po = _translations(polib.pofile(str(PO)))
    from_mo = _translations(polib.mofile(str(MO)))
    stale = sorted(
        {key for key in from_po.keys() | from_mo.keys() if from_po.get(key) != from_mo.get(key)},
        key=lambda k: (k[0] or "", k[1]),
    )
    listed = "\n".join(f"  {msgid!r}" for _, msgid in stale[:40])
    assert not stale, (
        f"django.mo is out of date with django.po for {len(stale)} message(s) "
        f"(run compilemessages):\n{listed}"
    )
