"""Dragør Frivillig: the application factory."""

from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


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
    from portal.extensions import csrf, db, limiter, login_manager, migrate

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
    security.init_app(app, login_manager)
    i18n.init_app(app)

    from portal.account import bp as account_bp
    from portal.auth import bp as auth_bp
    from portal.calendar import bp as calendar_bp
    from portal.coordinator import bp as coordinator_bp
    from portal.dev import bp as dev_bp
    from portal.main import bp as main_bp
    from portal.matching import bp as matching_bp
    from portal.organisations import bp as organisations_bp
    from portal.signups import bp as signups_bp
    from portal.tasks import bp as tasks_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(account_bp)
    app.register_blueprint(organisations_bp)
    app.register_blueprint(coordinator_bp)
    app.register_blueprint(tasks_bp)
    app.register_blueprint(signups_bp)
    app.register_blueprint(calendar_bp)
    app.register_blueprint(matching_bp)
    if app.config["DEV_MAIL_PAGE"]:
        app.register_blueprint(dev_bp)

    from portal import cli, web

    web.init_app(app)
    cli.init_app(app)
    return app
