from flask import current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

from portal.extensions import babel


def select_locale():
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        # CLI commands and `flask tick`: messages are rendered with force_locale where it matters.
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def remember_language_choice():
    """`?lang=da|en` on any page switches language for the session (this sets a cookie,
    which the visitor asked for by choosing)."""
    lang = request.args.get("lang")
    if lang in current_app.config["LANGUAGES"] and session.get("lang") != lang:
        session["lang"] = lang


def init_app(app):
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(app.root_path + "/translations"))
    app.before_request(remember_language_choice)
    # Flask-Babel 4 does not expose get_locale to templates by itself.
    app.jinja_env.globals["get_locale"] = get_locale
