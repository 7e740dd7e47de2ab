"""What the commands read from their arguments: a ruleset and facts, the files of a folder, keys."""

from __future__ import annotations

import os
from pathlib import Path

from rich.text import Text

from scoring.cli import consoles
from scoring.cli.exits import fail
from scoring.cli.language import os_reason
from scoring.cli.lazy import _claims, _facts, _models, _registry, _rulesets, signing
from scoring.errors import ExitCode, FactsError, SigningError
from scoring.i18n import _


def ruleset_and_facts(
    first: str,
    second: Path | None,
    rulesets: list[Path] | None,
    command: str,
    allow_shadow: bool = False,
) -> tuple[_models.Ruleset, _facts.FactsInput, Path]:
    """The ruleset and the facts input of ``COMMAND [RULESET] FACTS``, and the facts' path.

    With one argument, the facts name their ruleset (``ruleset:``, a workbook's 规则集 row).
    The facts may be YAML, JSON or a filled facts workbook (:func:`read_facts_input`); they are
    read once.
    """
    path = Path(first)
    if second is None:
        source = _facts.read_facts_input(path)
        if not source.is_workbook and _claims.is_ruleset_data(source.data):
            usage = _("Usage: {usage}").format(usage=f"{command} [OPTIONS] RULESET FACTS")
            message = _("error: missing FACTS: give the facts file after the ruleset")
            fail(f"{usage}\n{message}", ExitCode.NOT_CHECKED)
        return (
            _rulesets.load_named_ruleset(source, rulesets or (), allow_shadow=allow_shadow),
            source,
            path,
        )
    if path.is_file() and _is_facts(path):
        if _facts.is_workbook_file(path):
            message = _(
                "{file} is a facts workbook, not a ruleset: give the ruleset first "
                "({command} RULESET FACTS)"
            )
        else:
            message = _(
                "{file} is a facts file, not a ruleset: give the ruleset first "
                "({command} RULESET FACTS)"
            )
        fail(f"{path}:1:1: " + message.format(file=path, command=command), ExitCode.FOUND_WANTING)
    loaded = _rulesets.load_ruleset(first, rulesets or (), allow_shadow=allow_shadow)
    return loaded, _facts.read_facts_input(second), second


def _is_facts(path: Path) -> bool:
    """Whether a file is a facts input of any form (YAML, JSON, a workbook), not a ruleset."""
    if _facts.is_workbook_file(path):
        return True
    try:
        source = _facts.read_facts_input(path)
    except FactsError:
        return False
    return _claims.holds_facts(source)


def yaml_files(path: Path) -> list[Path]:
    """A file as given; in a directory, its YAML files. A path that is not there: exit 2."""
    if path.is_dir():
        return _registry.yaml_files(path)
    if not path.exists():
        message = _("error: {file}: no such file or directory").format(file=path)
        fail(message, ExitCode.NOT_CHECKED)
    return [path]


def signing_key(path: Path) -> signing.SigningKey:
    """The private key --sign names; a file that is not one is a usage error (exit 2)."""
    data = _key_file(path)
    try:
        key = signing.parse_private_key(data, str(path))
    except SigningError as exc:
        fail(_("error: {error}").format(error=exc), ExitCode.NOT_CHECKED)
    if os.name == "posix" and path.stat().st_mode & 0o077:
        message = _(
            "warning: {file} can be read by other users: a private key should be readable by its "
            "owner only (chmod 600 {file})"
        )
        consoles.stderr.print(Text(message.format(file=path)))
    return key


def trusted_key(path: Path) -> signing.TrustedKey:
    """The public key --trust names; a file that is not one is a usage error (exit 2)."""
    data = _key_file(path)
    try:
        return signing.parse_public_key(data.decode("utf-8-sig"), str(path))
    except UnicodeDecodeError:
        message = _("error: {file} is not a public key written by scoring keys new")
        fail(message.format(file=path), ExitCode.NOT_CHECKED)
    except SigningError as exc:
        fail(_("error: {error}").format(error=exc), ExitCode.NOT_CHECKED)


MAX_KEY_FILE_BYTES = 16 * 1024


def _key_file(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_KEY_FILE_BYTES:
            message = _("error: {file} is too large to be a key file written by scoring keys new")
            fail(message.format(file=path), ExitCode.NOT_CHECKED)
        return path.read_bytes()
    except OSError as exc:
        reason = os_reason(exc)
        fail(
            _("error: cannot read {file}: {reason}").format(file=path, reason=reason),
            ExitCode.NOT_CHECKED,
        )
