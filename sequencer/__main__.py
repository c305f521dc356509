"""The `sequencer` console script (and `python -m sequencer`): a Flask CLI group that builds the app from the
environment; the commands are in `sequencer.cli`, registered on the app by `create_app`."""
from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import FlaskGroup

from sequencer.app import create_app
from sequencer.config import ConfigError
from sequencer.runtime import logs


def _app_from_env() -> Flask:
    try:
        return create_app()
    except ConfigError as exc:
        click.echo(f"sequencer: {exc}", err=True)
        sys.exit(2)


def main() -> None:
    logs.configure()
    cli = FlaskGroup(create_app=_app_from_env, add_default_commands=False, add_version_option=False,
                     load_dotenv=False, help="Sequencer: self-hosted sales engagement.")
    cli.main(prog_name="sequencer")


if __name__ == "__main__":
    main()
