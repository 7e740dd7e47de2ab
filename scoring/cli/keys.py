"""`scoring keys new`: the key pairs that sign results (Ed25519)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from scoring.cli import consoles
from scoring.cli.application import App, Group, app
from scoring.cli.exits import fail, handled
from scoring.cli.language import os_reason
from scoring.cli.lazy import signing
from scoring.cli.writing import make_directory
from scoring.errors import ExitCode, SigningError
from scoring.i18n import N_, _

keys_app = App(
    help=N_("Make the keys that sign results (Ed25519)."),
    no_args_is_help=True,
    add_completion=False,
    cls=Group,
)
app.add_typer(keys_app, name="keys")


@keys_app.command("new")
@handled
def new_key(
    name: Annotated[
        str,
        typer.Argument(
            help=N_(
                "Whose key: a person or an office (长沙市财政局). The files are NAME.key and "
                "NAME.pub."
            )
        ),
    ],
    directory: Annotated[
        Path,
        typer.Option(
            "--directory", "-d", help=N_("Where to write the two files."), file_okay=False
        ),
    ] = Path("."),
) -> None:
    """Make a key pair: NAME.key, private, and NAME.pub, public.

    Sign results with the private key (scoring score --json --sign NAME.key) and never share it;
    give the public key to whoever verifies them (scoring verify --trust NAME.pub).
    """
    try:
        stem = signing.check_name(name)
        private, public = signing.new_key_pair(stem)
    except SigningError as exc:
        fail(_("error: {error}").format(error=exc), ExitCode.NOT_CHECKED)
    private_path = directory / f"{stem}{signing.PRIVATE_SUFFIX}"
    public_path = directory / f"{stem}{signing.PUBLIC_SUFFIX}"
    for path in (private_path, public_path):
        if path.exists() or path.is_symlink():
            message = _(
                "error: {file} already exists: a new key would replace it, and what the old one "
                "signed could no longer be checked; choose another name or directory"
            )
            fail(message.format(file=path), ExitCode.NOT_CHECKED)
    make_directory(directory)
    _write_new(private_path, private, 0o600)
    _write_new(public_path, public.encode("utf-8"), 0o644)
    fingerprint = signing.parse_public_key(public, str(public_path)).fingerprint
    message = _("wrote {file}: the private key; keep it to yourself (sign with --sign {file})")
    consoles.stderr.print(Text(message.format(file=private_path)))
    message = _(
        "wrote {file}: the public key {fingerprint}; give it to whoever verifies what you sign "
        "(scoring verify --trust {file})"
    )
    consoles.stderr.print(Text(message.format(file=public_path, fingerprint=fingerprint)))


def _write_new(path: Path, data: bytes, mode: int) -> None:
    """Create ``path`` with ``mode`` from the start (a private key is never readable by others)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags, mode)
        with os.fdopen(descriptor, "wb") as handle:
            if hasattr(os, "fchmod"):
                os.fchmod(handle.fileno(), mode)  # whatever the umask allowed
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        reason = os_reason(exc)
        fail(
            _("error: cannot write {file}: {reason}").format(file=path, reason=reason),
            ExitCode.NOT_CHECKED,
        )
