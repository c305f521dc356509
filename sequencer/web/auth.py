"""Login and logout; a wrong login never reveals whether the email exists."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext, ngettext
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from limits.storage import MemoryStorage
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired

from sequencer.accounts.throttle import LoginThrottle, redis_storage
from sequencer.accounts.tokens import authenticate, end_sessions
from sequencer.extensions import db, login_manager, redis_store
from sequencer.models import User
from sequencer.platform import clock
from sequencer.web import web_bp

login_manager.login_view = "web.login"
login_manager.login_message = lazy_gettext("Please sign in to continue.")
login_manager.login_message_category = "info"
login_manager.localize_callback = str  # the lazy text said in the reader's language when flashed


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The user of a session or remember cookie, if it carries their current generation (logout advances it)."""
    user_id, _, generation = session_id.partition(":")
    if not user_id.isdigit() or not generation.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or (user.session_generation or 0) != int(generation):
        return None
    return user


class LoginForm(FlaskForm):
    email = EmailField(lazy_gettext("Email"), validators=[DataRequired()])
    password = PasswordField(lazy_gettext("Password"), validators=[DataRequired()])
    remember = BooleanField(lazy_gettext("Keep me signed in"))


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths, so the login can't be used as an open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target \
            and not urlsplit(target).netloc:
        return target
    return url_for("web.home")


def _throttle() -> LoginThrottle | None:
    """The app's login throttle (built on first use: Redis connects lazily), or None where it is switched off."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # LocalProxy, typed as Flask
    if not app.config.get("LOGIN_THROTTLE_ENABLED", True):
        return None
    if "sequencer.login_throttle" not in app.extensions:
        app.extensions["sequencer.login_throttle"] = LoginThrottle(
            redis_storage(redis_store.connection(app)), MemoryStorage(),
            app.config["LOGIN_RATE_LIMIT"], app.config["LOGIN_ADDRESS_RATE_LIMIT"])
    return app.extensions["sequencer.login_throttle"]


def _too_many(form: LoginForm, wait: int):
    flash(ngettext("Too many failed sign-ins. Try again in %(num)d second.",
                   "Too many failed sign-ins. Try again in %(num)d seconds.", wait), "error")
    return render_template("web/accounts/login.html", form=form), 429, {"Retry-After": str(wait)}


@web_bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("web.home"))
    form = LoginForm()
    if form.validate_on_submit():
        email, address, throttle = form.email.data or "", request.remote_addr or "", _throttle()
        wait = throttle.retry_after(email, address) if throttle else None
        if wait:
            return _too_many(form, wait)
        user = authenticate(db.session, email, form.password.data or "")
        if user is not None:
            if throttle:
                throttle.succeeded(email)
            user.last_login_at = clock.now()
            db.session.commit()
            login_user(user, remember=bool(form.remember.data))
            return redirect(_safe_next(request.args.get("next")))
        if throttle:
            throttle.failed(email, address)
        flash(_("Invalid email or password."), "error")
        return render_template("web/accounts/login.html", form=form), 401
    return render_template("web/accounts/login.html", form=form)


@web_bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        end_sessions(current_user)  # copies of this session or of the remember cookie die with it
        db.session.commit()
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("web.login"))
