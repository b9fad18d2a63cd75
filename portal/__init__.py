"""Dragør Frivillig: the application factory."""

from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent

# One line per feature, in the order their blueprints are registered. Each package exposes `bp`, and
# may expose `enabled(app) -> bool` (registered only when true) and `init_app(app)`. A feature
# registers its menu items (portal.web.nav) and tick steps (portal.jobs) from its own package.
FEATURES = (
    "portal.main",
    "portal.auth",
    "portal.account",
    "portal.organisations",
    "portal.coordinator",
    "portal.tasks",
    "portal.signups",
    "portal.followup",
    "portal.calendar",
    "portal.matching",
    "portal.volunteers",
    "portal.companies",
    "portal.exchange",
    "portal.ideas",
    "portal.calls",
    "portal.help",
    "portal.awards",
    "portal.events",
    "portal.recognition",
    "portal.stories",
    "portal.fund",
    "portal.dashboards",
    "portal.displacement",
    "portal.agreements",
    "portal.charter",
    "portal.messages",
    "portal.newsletter",
    "portal.assisted",
    "portal.auditlog",
    "portal.smalljobs",
    "portal.api",
    "portal.dev",
)


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    from portal.config import load_config

    load_config(app, test_config)

    from portal import database, i18n, security
    from portal.extensions import cache, csrf, db, limiter, login_manager, migrate

    from portal import hardening

    # Before any blueprint: its routes must be built with the bounded id converter.
    hardening.init_app(app)
    database.configure_engine_options(app)
    db.init_app(app)
    # First of all before_request hooks: nothing may read before a write request is marked.
    app.before_request(database.mark_write_requests)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True,
                     compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    cache.init_app(app)
    from portal import dataversion

    dataversion.init_app(app)
    from portal import compression, pagecache

    # Order matters: Flask runs after_request hooks last-registered first, so the page cache stores
    # the page before security headers and compression are added, and a hit gets both afresh.
    compression.init_app(app)
    security.init_app(app, login_manager)
    i18n.init_app(app)
    pagecache.init_app(app)

    from portal.web import nav

    for name in FEATURES:
        register_feature(app, name)
    nav.init_app(app)

    from portal import cli, web

    web.init_app(app)
    cli.init_app(app)
    return app


def register_feature(app: Flask, name: str) -> None:
    from importlib import import_module

    feature = import_module(name)
    enabled = getattr(feature, "enabled", None)
    if enabled is not None and not enabled(app):
        return
    app.register_blueprint(feature.bp)
    if hasattr(feature, "init_app"):
        feature.init_app(app)
