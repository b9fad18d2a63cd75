"""Nominations' rules: who may nominate whom, consent first, hearts counted in SQL, and the
coordinator's award year and categories.

Consent first: a nomination is public only when its nominator is known (an account, or an
e-mail confirmed by a mailed link) and the nominee has said yes (`Nomination.is_public`). Until
then it is in no list, count or page. Only the hashes of the mailed tokens are stored; a consent
link answers once.

`heart_count` moves only in SQL (`heart_count = heart_count + 1`), in the same transaction as the
NominationHeart row and only when that row was really inserted or deleted: twelve people at once,
or one person clicking twice, never lose or double a heart."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from portal.awards import errors
from portal.awards.queries import dates_of, phase_of
from portal.core.awards import Dates, Phase, dates_in_order
from portal.core.people import age_on
from portal.core.text import hash_token, new_token
from portal.core.timeutil import to_local
from portal.extensions import db
from portal.models import (AwardCategory, AwardYear, Company, CompanyStatus, Nomination, NominationConsent,
                           NominationHeart, NomineeKind, Organisation, OrganisationStatus, User)
from portal.models.users import email_key
from portal.outbox import queue_email
from portal.ratelimits import TooMany, hit, wait_text

CONFIRM_DAYS = 7
DOUBLE_SEND = timedelta(minutes=2)
CONSENT_DAYS = 30
REASON_MAX = 3000

LIMITS = {
    "NOMINATION_RATE_LIMIT": "10 per hour;30 per day",
    "NOMINATION_RECIPIENT_RATE_LIMIT": "3 per day",
    "HEART_RATE_LIMIT": "60 per hour;200 per day",
}

DEFAULT_CATEGORIES = (
    dict(name_da="Årets frivillige", name_en="Volunteer of the year", nominee_kind=NomineeKind.person,
         max_age=None, sort_order=10,
         description_da="En frivillig, der har gjort en særlig forskel for andre i Dragør i år.",
         description_en="A volunteer who has made a special difference to others in Dragør this year."),
    dict(name_da="Årets ildsjæl under 25", name_en="Young enthusiast of the year (under 25)",
         nominee_kind=NomineeKind.person, max_age=24, sort_order=20,
         description_da="En ung frivillig på 24 år eller yngre, der brænder for at hjælpe og får andre med.",
         description_en="A young volunteer aged 24 or younger who loves to help and brings others along."),
    dict(name_da="Årets forening", name_en="Association of the year", nominee_kind=NomineeKind.association,
         max_age=None, sort_order=30,
         description_da="En forening, der har skabt fællesskab og gode rammer for sine frivillige.",
         description_en="An association that has built community and good conditions for its volunteers."),
    dict(name_da="Årets virksomhed", name_en="Company of the year", nominee_kind=NomineeKind.company,
         max_age=None, sort_order=40,
         description_da="En virksomhed, der har givet sine ansatte tid til frivilligt arbejde eller støttet "
                        "foreningslivet.",
         description_en="A company that gave its staff time to volunteer or supported local associations."),
)


def _limit(name: str) -> str:
    return current_app.config.get(name, LIMITS[name])


def _check_limit(scope: str, config_key: str, key, *, field=None) -> None:
    if blocked := hit(scope, _limit(config_key), key):
        raise TooMany(_l("You have done that many times in a short while. Try again %(wait)s.",
                         wait=wait_text(blocked)), field=field)


def first_name(name: str | None) -> str:
    parts = (name or "").split()
    return parts[0] if parts else str(_l("Someone"))


def nominator_first_name(nomination: Nomination) -> str:
    """What the nominee is told about who nominated them: a first name, never an address."""
    if nomination.nominator is not None:
        return first_name(nomination.nominator.name)
    return first_name(nomination.nominator_name)


# --- nominating -------------------------------------------------------------------------------

@dataclass
class Nominee:
    """Who is nominated, as the form gave it: a person or group by name and e-mail, or an
    organisation or company by id."""
    kind: NomineeKind
    name: str | None = None
    email: str | None = None
    organisation_id: int | None = None
    company_id: int | None = None


def _category(award_year: AwardYear, category_id: int | None) -> AwardCategory:
    category = db.session.get(AwardCategory, category_id) if category_id else None
    if category is None or category.award_year_id != award_year.id:
        raise errors.unknown_category()
    return category


def _resolve(nomination: Nomination, category: AwardCategory, nominee: Nominee, *, now: datetime) -> None:
    """Fills in the nominee's columns, refusing what does not fit the category."""
    if nominee.kind is not category.nominee_kind:
        raise errors.wrong_kind()
    nomination.nominee_kind = nominee.kind
    if nominee.kind in (NomineeKind.person, NomineeKind.group):
        if not nominee.name:
            raise errors.needs_name()
        if not nominee.email:
            raise errors.needs_email()
        nomination.nominee_name, nomination.nominee_email = nominee.name, email_key(nominee.email)
        if nominee.kind is NomineeKind.person:
            account = db.session.scalar(select(User).where(User.email == email_key(nominee.email)))
            if account is not None:
                # The age rule is checked when the nominee answers (`_check_age`), not here: a
                # refusal here would tell anyone who types an address that it has an account
                # and roughly how old its owner is.
                nomination.nominee_user_id = account.id
    elif nominee.kind is NomineeKind.association:
        org = db.session.get(Organisation, nominee.organisation_id) if nominee.organisation_id else None
        if org is None or org.status is not OrganisationStatus.approved:
            raise errors.unknown_organisation()
        nomination.nominee_name, nomination.nominee_email = org.name, email_key(org.contact_email)
        nomination.nominee_organisation_id = org.id
    else:
        company = db.session.get(Company, nominee.company_id) if nominee.company_id else None
        if company is None or company.status is not CompanyStatus.approved:
            raise errors.unknown_company()
        nomination.nominee_name, nomination.nominee_email = company.name, email_key(company.contact_email)
        nomination.nominee_company_id = company.id


def _self_field(kind: NomineeKind) -> str:
    return {NomineeKind.association: "organisation", NomineeKind.company: "company"}.get(kind, "nominee_email")


def _check_not_self(nomination: Nomination, nominator: User | None, nominator_email: str | None) -> None:
    mine = {email_key(e) for e in (nominator.email if nominator else None, nominator_email) if e}
    if (nominator is not None and nomination.nominee_user_id == nominator.id) or nomination.nominee_email in mine:
        error = errors.self_nomination()
        error.field = _self_field(nomination.nominee_kind)
        raise error


def _check_open(award_year: AwardYear, now: datetime) -> None:
    if phase_of(award_year, now) is not Phase.nominating:
        raise errors.not_nominating()


def _sent_already(nomination: Nomination) -> Nomination | None:
    """The same nominator's nomination of the same nominee in the same category, or None: a double
    click on "Send" (there is no script to stop the second) must not ask the nominee twice. The
    year's row is locked first (PostgreSQL; SQLite's writers queue anyway), so two copies arriving
    at once are looked at one after the other and the second finds the first."""
    db.session.execute(select(AwardYear.id).where(AwardYear.id == nomination.award_year_id).with_for_update())
    same = select(Nomination).where(Nomination.award_year_id == nomination.award_year_id,
                                    Nomination.category_id == nomination.category_id,
                                    Nomination.nominee_email == nomination.nominee_email,
                                    Nomination.hidden_at.is_(None))
    if nomination.nominator_id is not None:
        same = same.where(Nomination.nominator_id == nomination.nominator_id)
    else:
        same = same.where(Nomination.nominator_id.is_(None), Nomination.nominator_email == nomination.nominator_email)
    return db.session.scalar(same.order_by(Nomination.id).limit(1))


def nominate(award_year: AwardYear, nominator: User, *, category_id: int | None, nominee: Nominee, reason: str,
             locale: str, now: datetime) -> Nomination:
    """A nomination from someone logged in: confirmed at once, and the nominee is asked. Sending
    the same nomination again returns the first and asks nobody twice."""
    _check_open(award_year, now)
    category = _category(award_year, category_id)
    nomination = Nomination(award_year_id=award_year.id, category_id=category.id, nominator_id=nominator.id,
                            reason=reason, confirmed_at=now, created_at=now, updated_at=now)
    _resolve(nomination, category, nominee, now=now)
    _check_not_self(nomination, nominator, None)
    if (same := _sent_already(nomination)) is not None:
        return same
    _check_limit("nomination", "NOMINATION_RATE_LIMIT", f"user-{nominator.id}", field="reason")
    db.session.add(nomination)
    db.session.flush()
    _ask_consent(nomination, locale=locale, now=now)
    return nomination


def send_nomination(award_year: AwardYear, *, nominator_name: str, nominator_email: str,
                    category_id: int | None, nominee: Nominee, reason: str, network: str, locale: str,
                    now: datetime) -> Nomination:
    """A nomination without an account: kept until the link mailed to the nominator is opened
    (within CONFIRM_DAYS; after that the tick deletes it); only then is the nominee asked."""
    _check_open(award_year, now)
    category = _category(award_year, category_id)
    token = new_token()
    nomination = Nomination(award_year_id=award_year.id, category_id=category.id, nominator_name=nominator_name,
                            nominator_email=email_key(nominator_email), confirm_token_hash=hash_token(token),
                            reason=reason, created_at=now, updated_at=now)
    _resolve(nomination, category, nominee, now=now)
    _check_not_self(nomination, None, nominator_email)
    same = _sent_already(nomination)
    if same is not None and (same.confirmed_at is not None or same.created_at > now - DOUBLE_SEND):
        return same
    _check_limit("nomination", "NOMINATION_RATE_LIMIT", f"net-{network}")
    _check_limit("nomination-recipient", "NOMINATION_RECIPIENT_RATE_LIMIT", email_key(nominator_email),
                 field="nominator_email")
    if same is not None:
        # Sent again later, unconfirmed: the first mail was lost. A new link replaces the old one.
        same.confirm_token_hash, same.reason, same.updated_at = hash_token(token), reason, now
        nomination = same
    else:
        db.session.add(nomination)
    db.session.flush()
    queue_email(nomination.nominator_email, "nomination_confirm", locale=locale, nomination=nomination,
                category=category, token=token, days=CONFIRM_DAYS)
    return nomination


def confirm_nomination(token: str, *, locale: str, now: datetime) -> Nomination:
    """The nominator opened the mailed link: the nomination counts, and the nominee is asked.
    Opening it again changes nothing and asks nobody twice."""
    if not token or len(token) > 200:
        raise errors.bad_confirm_link()
    nomination = db.session.scalar(select(Nomination).where(Nomination.confirm_token_hash == hash_token(token)))
    if nomination is None:
        raise errors.bad_confirm_link()
    if nomination.confirmed_at is None:
        if nomination.created_at < now - timedelta(days=CONFIRM_DAYS):
            raise errors.bad_confirm_link()
        claimed = db.session.execute(
            update(Nomination).where(Nomination.id == nomination.id, Nomination.confirmed_at.is_(None))
            .values(confirmed_at=now, updated_at=now).execution_options(synchronize_session=False)).rowcount
        db.session.refresh(nomination)
        if claimed:
            _ask_consent(nomination, locale=locale, now=now)
    return nomination


def ask_waiting_nominees(*, now: datetime) -> int:
    """Tick step: asks the nominees whose question waited for the daily limit on their address.
    Each is claimed with one conditional UPDATE, so two nodes never ask twice."""
    waiting = db.session.scalars(
        select(Nomination).where(Nomination.confirmed_at.is_not(None), Nomination.consent_asked_at.is_(None),
                                 Nomination.consent == NominationConsent.pending, Nomination.hidden_at.is_(None),
                                 or_(Nomination.nominee_user_id.is_not(None), Nomination.nominee_email.is_not(None)))
        .order_by(Nomination.id).limit(500)).all()
    asked = 0
    for nomination in waiting:
        if not _answerable(nomination, now):
            continue
        claimed = db.session.execute(
            update(Nomination).where(Nomination.id == nomination.id, Nomination.consent_asked_at.is_(None))
            .values(consent_asked_at=now).execution_options(synchronize_session=False)).rowcount
        if not claimed:
            continue
        db.session.refresh(nomination)
        _ask_consent(nomination, locale="da", now=now)
        asked += nomination.consent_asked_at is not None
    db.session.flush()
    return asked


def delete_unconfirmed(*, now: datetime) -> int:
    """Nominations sent without an account whose e-mail link was never opened go after 7 days
    (with the addresses they carry). Tick step; running it twice deletes nothing twice."""
    result = db.session.execute(
        delete(Nomination).where(Nomination.nominator_id.is_(None), Nomination.confirmed_at.is_(None),
                                 Nomination.created_at < now - timedelta(days=CONFIRM_DAYS))
        .execution_options(synchronize_session=False))
    db.session.flush()
    return result.rowcount or 0


# --- consent first ----------------------------------------------------------------------------

def _ask_consent(nomination: Nomination, *, locale: str, now: datetime) -> None:
    """Mails the nominee the question, at most NOMINATION_RECIPIENT_RATE_LIMIT a day per address: a
    well-loved volunteer nominated by many is asked about the rest later by the tick
    (`ask_waiting_nominees`), so no nominator is refused, and none learns that others nominated her."""
    account = nomination.nominee_user
    if account is None and not nomination.nominee_email:
        return  # nowhere to ask (a row made by hand): it stays pending, and so private
    address = account.email if account else nomination.nominee_email
    if hit("nomination-recipient", _limit("NOMINATION_RECIPIENT_RATE_LIMIT"), email_key(address)):
        nomination.consent_asked_at = None
        db.session.flush()
        return
    token = new_token()
    nomination.consent_token_hash, nomination.consent_asked_at = hash_token(token), now
    db.session.flush()
    queue_email(account.email if account else nomination.nominee_email, "nomination_consent",
                locale=account.locale if account else locale, nomination=nomination,
                category=nomination.category, nominator=nominator_first_name(nomination), token=token,
                has_account=account is not None, days=CONSENT_DAYS)


def _answerable(nomination: Nomination, now: datetime) -> bool:
    return (nomination.consent is NominationConsent.pending and nomination.confirmed_at is not None
            and nomination.hidden_at is None and now < nomination.award_year.jury_starts_at)


def consent_request(token: str, *, now: datetime) -> Nomination:
    """The nomination a consent link belongs to, while it can still be answered."""
    if not token or len(token) > 200:
        raise errors.bad_consent_link()
    nomination = db.session.scalar(select(Nomination).where(Nomination.consent_token_hash == hash_token(token)))
    if (nomination is None or not _answerable(nomination, now) or nomination.consent_asked_at is None
            or nomination.consent_asked_at < now - timedelta(days=CONSENT_DAYS)):
        raise errors.bad_consent_link()
    return nomination


def _check_age(nomination: Nomination, now: datetime) -> None:
    """A nominee whose profile says they are older than the category allows cannot say yes (only
    they are told; the nominator learns, as with a no, only that it cannot go ahead)."""
    account, category = nomination.nominee_user, nomination.category
    if (account is not None and category.max_age is not None and account.birth_date is not None
            and age_on(account.birth_date, to_local(now).date()) > category.max_age):
        raise errors.too_old_to_accept(category.max_age)


def _answer(nomination: Nomination, *, yes: bool, show_hours: bool, now: datetime) -> Nomination:
    if yes:
        _check_age(nomination, now)
    # Claimed with a conditional UPDATE: two answers sent at once (two tabs) are one answer.
    consent = NominationConsent.given if yes else NominationConsent.declined
    claimed = db.session.execute(
        update(Nomination).where(Nomination.id == nomination.id, Nomination.consent == NominationConsent.pending)
        .values(consent=consent, consent_at=now, consent_token_hash=None, updated_at=now,
                show_hours=bool(yes and show_hours and nomination.nominee_user_id is not None))
        .execution_options(synchronize_session=False)).rowcount
    if not claimed:
        raise errors.already_answered()
    db.session.refresh(nomination)
    if not yes:
        _tell_nominator(nomination, "nomination_declined")
    return nomination


def answer_by_token(token: str, *, yes: bool, show_hours: bool, now: datetime) -> Nomination:
    return _answer(consent_request(token, now=now), yes=yes, show_hours=show_hours, now=now)


def answer_as_nominee(nomination: Nomination, user: User, *, yes: bool, show_hours: bool,
                      now: datetime) -> Nomination:
    """The nominee, logged in, answers on "My nominations"."""
    if nomination.nominee_user_id is None or nomination.nominee_user_id != user.id:
        raise errors.not_nominee()
    if not _answerable(nomination, now):
        raise errors.already_answered() if nomination.consent is not NominationConsent.pending \
            else errors.bad_consent_link()
    return _answer(nomination, yes=yes, show_hours=show_hours, now=now)


def withdraw_consent(nomination: Nomination, user: User, *, now: datetime) -> Nomination:
    """The nominee takes back their yes: the nomination leaves every page, count and list at once
    (the hall of fame too). Consent is as easy to withdraw as to give; nobody is mailed."""
    if nomination.nominee_user_id is None or nomination.nominee_user_id != user.id:
        raise errors.not_nominee()
    claimed = db.session.execute(
        update(Nomination).where(Nomination.id == nomination.id, Nomination.consent == NominationConsent.given)
        .values(consent=NominationConsent.declined, consent_at=now, show_hours=False, updated_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if not claimed:
        raise errors.already_answered()
    db.session.refresh(nomination)
    return nomination


def _tell_nominator(nomination: Nomination, template: str, **context) -> None:
    if nomination.nominator is not None:
        to, locale = nomination.nominator.email, nomination.nominator.locale
    elif nomination.nominator_email and nomination.confirmed_at is not None:
        to, locale = nomination.nominator_email, "da"
    else:
        return
    queue_email(to, template, locale=locale, nomination=nomination, category=nomination.category, **context)


# --- hearts -----------------------------------------------------------------------------------

def _bump(nomination_id: int, by: int) -> None:
    condition = Nomination.id == nomination_id
    if by < 0:
        condition = and_(condition, Nomination.heart_count > 0)
    db.session.execute(update(Nomination).where(condition).values(heart_count=Nomination.heart_count + by)
                       .execution_options(synchronize_session=False))


def give_heart(nomination: Nomination, user: User, *, now: datetime) -> bool:
    """True if this heart counted; False when the person had given one already (a double click)."""
    if not nomination.is_public:
        raise errors.not_public()
    _check_limit("heart", "HEART_RATE_LIMIT", user.id)
    try:
        with db.session.begin_nested():
            db.session.add(NominationHeart(nomination_id=nomination.id, user_id=user.id, created_at=now))
            db.session.flush()
            _bump(nomination.id, +1)
    except IntegrityError:
        counted = False
    else:
        counted = True
    db.session.flush()
    db.session.expire(nomination, ["heart_count"])
    return counted


def withdraw_heart(nomination: Nomination, user: User) -> bool:
    _check_limit("heart", "HEART_RATE_LIMIT", user.id)
    deleted = db.session.execute(
        delete(NominationHeart).where(NominationHeart.nomination_id == nomination.id,
                                      NominationHeart.user_id == user.id)
        .execution_options(synchronize_session=False)).rowcount
    if deleted:
        _bump(nomination.id, -1)
    db.session.flush()
    db.session.expire(nomination, ["heart_count"])
    return bool(deleted)


# --- the coordinator --------------------------------------------------------------------------

def check_dates(dates: Dates) -> None:
    """Names the first date out of order, so the message sits at the right field."""
    if dates_in_order(dates):
        return
    if not dates.nominations_open_at < dates.nominations_close_at:
        raise errors.dates_out_of_order("close_day")
    if not dates.nominations_close_at <= dates.jury_starts_at:
        raise errors.dates_out_of_order("jury_day")
    raise errors.dates_out_of_order("announce_day")


def create_year(*, year: int, dates: Dates, intro: str, now: datetime) -> AwardYear:
    check_dates(dates)
    if db.session.scalar(select(AwardYear.id).where(AwardYear.year == year)) is not None:
        raise errors.year_taken()
    award_year = AwardYear(year=year, intro=intro or "", nominations_open_at=dates.nominations_open_at,
                           nominations_close_at=dates.nominations_close_at, jury_starts_at=dates.jury_starts_at,
                           announce_at=dates.announce_at, created_at=now, updated_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(award_year)
            db.session.flush()
    except IntegrityError:
        raise errors.year_taken() from None
    for fields in DEFAULT_CATEGORIES:
        db.session.add(AwardCategory(award_year_id=award_year.id, **fields))
    db.session.flush()
    return award_year


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def update_year(award_year: AwardYear, *, dates: Dates, intro: str, now: datetime) -> AwardYear:
    """From the announcement on, only the text changes: moving a date back would reopen the jury's
    scores and the winners after the certificates went out and hide the winners again."""
    check_dates(dates)
    if phase_of(award_year, now) is Phase.announced and (
            tuple(map(_minute, dates_of(award_year).__dict__.values())) != tuple(map(_minute, dates.__dict__.values()))):
        raise errors.dates_after_announcement()
    award_year.nominations_open_at, award_year.nominations_close_at = (dates.nominations_open_at,
                                                                       dates.nominations_close_at)
    award_year.jury_starts_at, award_year.announce_at = dates.jury_starts_at, dates.announce_at
    award_year.intro, award_year.updated_at = intro or "", now
    db.session.flush()
    return award_year


def _nomination_count(category: AwardCategory) -> int:
    return db.session.scalar(select(func.count(Nomination.id)).where(Nomination.category_id == category.id)) or 0


def _check_name(award_year: AwardYear, name_da: str, category: AwardCategory | None = None) -> None:
    query = select(AwardCategory.id).where(AwardCategory.award_year_id == award_year.id,
                                           AwardCategory.name_da == name_da)
    if category is not None:
        query = query.where(AwardCategory.id != category.id)
    if db.session.scalar(query) is not None:
        raise errors.category_name_taken()


CATEGORY_FIELDS = ("name_da", "name_en", "description_da", "description_en", "nominee_kind", "max_age", "sort_order")


def add_category(award_year: AwardYear, **fields) -> AwardCategory:
    _check_name(award_year, fields["name_da"])
    category = AwardCategory(award_year_id=award_year.id, **{k: fields[k] for k in CATEGORY_FIELDS})
    db.session.add(category)
    db.session.flush()
    return category


def edit_category(category: AwardCategory, **fields) -> AwardCategory:
    _check_name(category.award_year, fields["name_da"], category)
    if fields["nominee_kind"] is not category.nominee_kind and _nomination_count(category):
        raise errors.AwardError(_l("The category has nominations, so who can be nominated cannot change."),
                                field="nominee_kind")
    for key in CATEGORY_FIELDS:
        setattr(category, key, fields[key])
    db.session.flush()
    return category


def delete_category(category: AwardCategory) -> None:
    if _nomination_count(category):
        raise errors.has_nominations()
    db.session.delete(category)
    db.session.flush()


def hide_nomination(nomination: Nomination, *, reason: str, now: datetime) -> Nomination:
    """The coordinator takes a nomination off the pages with a reason the nominator is mailed."""
    if nomination.hidden_at is not None:
        return nomination
    nomination.hidden_at, nomination.hidden_reason, nomination.updated_at = now, reason, now
    nomination.consent_token_hash = None
    db.session.flush()
    _tell_nominator(nomination, "nomination_hidden", reason=reason)
    return nomination
