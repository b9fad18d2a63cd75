"""Thin command-line commands over the services: flask --app wsgi <command>."""

import shutil
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from portal.extensions import db
from portal.models import email_key, utcnow


def init_app(app):
    app.cli.add_command(demo_data)
    app.cli.add_command(create_user)
    app.cli.add_command(tick)
    app.cli.add_command(backup)
    app.cli.add_command(generate_data)


@click.command("demo-data")
@with_appcontext
def demo_data():
    """Load Dragør demo data (does nothing when it is already there)."""
    from portal.database import write_transaction
    from tools.demo import DEMO_PASSWORD, load_demo_data, load_demo_profiles, load_demo_tasks

    with write_transaction():
        created = load_demo_data(now=utcnow())
        load_demo_tasks(now=utcnow())
        load_demo_profiles()
        # Companies come after the tasks and people they partner with; each part keeps to its file.
        from tools.demo_badges import load_demo_badges
        from tools.demo_companies import load_demo_companies
        from tools.demo_exchange import load_demo_exchange
        from tools.demo_teams import load_demo_teams

        load_demo_companies(now=utcnow())
        load_demo_teams(now=utcnow())
        load_demo_exchange(now=utcnow())
        load_demo_badges(now=utcnow())
        # The citizens' voice: ideas (one became a task), calls for input, help offered and asked for.
        from tools.demo_calls import load_demo_calls
        from tools.demo_help import load_demo_help
        from tools.demo_ideas import load_demo_ideas

        load_demo_ideas(now=utcnow())
        load_demo_calls(now=utcnow())
        load_demo_help(now=utcnow())

        from tools.demo_awards import load_demo_awards
        from tools.demo_events import load_demo_events
        from tools.demo_fund import load_demo_fund
        from tools.demo_recognition import load_demo_recognition
        from tools.demo_stories import load_demo_stories

        load_demo_awards(now=utcnow())
        load_demo_events(now=utcnow())
        load_demo_stories(now=utcnow())
        load_demo_fund(now=utcnow())
        load_demo_recognition(now=utcnow())
        db.session.commit()
        # The coordinator's workbench (issue 13). The charter comes before the assisted profiles (staff
        # record a citizen's yes to it), and the dashboards' history last, so every chart has data.
        from tools import (demo_agreements, demo_assisted, demo_auditlog, demo_charter, demo_dashboards,
                           demo_displacement, demo_messages, demo_newsletter)

        for part in (demo_displacement, demo_charter, demo_agreements, demo_messages, demo_newsletter,
                     demo_assisted, demo_auditlog, demo_dashboards):
            part.load(now=utcnow())
        db.session.commit()
    click.echo("Demo data loaded." if created else "Demo data already present.")
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    from tools.demo import DEMO_LOGINS
    for email, who in DEMO_LOGINS:
        click.echo(f"  {email:<34} {who}")


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.option("--name", default=None, help="Full name (asked for if left out).")
@click.option("--role", type=click.Choice(["volunteer", "coordinator"]), default="volunteer")
@click.option("--password", default=None, help="Asked for (hidden) if left out.")
def create_user(email, name, role, password):
    """Create a confirmed user, for example the volunteer coordinator."""
    from portal.auth import services

    if services.user_by_email(email) is not None:
        raise click.ClickException(f"A user with the e-mail {email} already exists.")
    name = name or click.prompt("Name")
    password = password or click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < current_app.config["PASSWORD_MIN_LENGTH"]:
        raise click.ClickException("The password must be at least 10 characters long.")
    services.create_confirmed_user(email=email, name=name, password=password, coordinator=role == "coordinator",
                                   now=utcnow())
    db.session.commit()
    click.echo(f"Created {role} {email_key(email)}.")


@click.command("tick")
@with_appcontext
@click.option("--every", type=int, default=0, metavar="SECONDS",
              help="Keep running and tick every SECONDS (development).")
def tick(every):
    """Do all time-based work: roll recurring tasks forward, pass on unanswered waitlist
    offers, queue reminders, then send due e-mail. Idempotent and safe to run twice at once."""
    from portal.mail import sender_from_url
    from portal.outbox import deliver_due

    sender = current_app.extensions.get("mail_sender") or sender_from_url(current_app.config["MAIL_URL"])
    while True:
        now = utcnow()
        work = run_time_based_work(now=now)
        result = deliver_due(sender, now=now)
        if not every or any(work.values()) or result["sent"] or result["failed"]:
            click.echo(f"Times made: {work.get('slots', 0)}, offers passed on: {work.get('expired', 0)}, "
                       f"reminders: {work.get('reminders', 0)}, digests: {work.get('digests', 0)}.")
            click.echo(f"E-mail: {result['sent']} sent, {result['failed']} failed (will be retried).")
        if not every:
            return
        db.session.remove()
        time.sleep(every)


def run_time_based_work(*, now) -> dict:
    """Runs the steps features registered in portal.jobs, each in its own transaction."""
    from portal import jobs

    return jobs.run_all(now=now)


@click.command("backup")
@with_appcontext
@click.option("--to", "target", default=None, help="Folder for the backup (default instance/backups).")
def backup(target):
    """Write a consistent copy of the database to a timestamped file."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    folder = Path(target or Path(current_app.instance_path) / "backups")
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    if url.get_backend_name() == "sqlite":
        import sqlite3

        out = folder / f"portal-{stamp}.db"
        source = sqlite3.connect(url.database)
        dest = sqlite3.connect(out)
        with dest:
            source.backup(dest)  # the online backup API: safe while the portal runs
        source.close()
        dest.close()
    else:
        if shutil.which("pg_dump") is None:
            raise click.ClickException("pg_dump is not installed.")
        out = folder / f"portal-{stamp}.dump"
        pg_url = url.set(drivername="postgresql").render_as_string(hide_password=False)
        result = subprocess.run(["pg_dump", "--format=custom", f"--file={out}", pg_url],
                                capture_output=True, text=True)
        if result.returncode != 0:
            click.echo(result.stderr, err=True)
            sys.exit(result.returncode)
    click.echo(f"Backup written to {out}")


@click.command("generate-data")
@with_appcontext
@click.option("--scale", type=click.Choice(["dragor", "denmark"]), default="dragor", show_default=True,
              help="dragor: 3,000 volunteers, 10,000 slots; denmark: 100,000 volunteers, 1,000,000 signups.")
@click.option("--seed", type=int, default=2791, show_default=True, help="The same seed makes the same data.")
@click.option("--volunteers", type=int, default=None, help="Override the scale's number.")
@click.option("--organisations", type=int, default=None, help="Override the scale's number.")
@click.option("--tasks", type=int, default=None, help="Override the scale's number.")
@click.option("--slots", type=int, default=None, help="Override the scale's number.")
@click.option("--signups", type=int, default=None, help="Override the scale's number.")
def generate_data(scale, seed, **counts):
    """Fill an empty database with realistic synthetic volunteers, organisations, tasks, times
    and signups (for benchmarks and trying out matching). Refuses a database with data in it."""
    from dataclasses import replace

    from tools.datagen import PASSWORD, SCALES, DatabaseNotEmpty, generate

    chosen = replace(SCALES[scale], **{k: v for k, v in counts.items() if v is not None})
    click.echo(f"Generating {scale} scale: {chosen.volunteers:,} volunteers, {chosen.organisations:,} organisations, "
               f"{chosen.tasks:,} tasks, {chosen.slots:,} slots, {chosen.signups:,} signups (seed {seed}).")
    try:
        result = generate(chosen, now=utcnow(), seed=seed, echo=click.echo)
    except DatabaseNotEmpty as error:
        raise click.ClickException(str(error)) from None
    except ValueError as error:
        raise click.ClickException(f"Cannot generate that: {error}") from None
    click.echo(f"Done in {result.seconds} s: {result.volunteers:,} volunteers, {result.organisations:,} organisations, "
               f"{result.tasks:,} tasks, {result.slots:,} slots, {result.signups:,} signups "
               f"({result.confirmed:,} confirmed). Every generated person's password: {PASSWORD}")
