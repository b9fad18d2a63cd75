"""The fund's user-facing errors (what the coordinator meets), in one place."""

from flask_babel import lazy_gettext as _l

from portal.errors import DomainError

AMOUNT_REASONS = {
    "empty": _l("Enter the amount in kroner, for example 1.250,50."),
    "not_a_number": _l("Enter the amount in kroner with digits only, for example 1.250,50."),
    "negative": _l("Enter the amount without a minus: a gift or a payout is always more than nothing."),
    "zero": _l("Enter an amount larger than 0 kr."),
    "too_many_decimals": _l("Enter at most two decimals (øre), for example 1.250,50."),
    "ambiguous": _l("We cannot tell where the decimals begin. Write for example 1250 or 1.250,50."),
    "too_large": _l("That is more than the fund can receive in one amount. Check the number of digits."),
}


class FundError(DomainError):
    pass


def amount(reason: str) -> FundError:
    return FundError(AMOUNT_REASONS.get(reason, AMOUNT_REASONS["not_a_number"]), field="amount")


def consent_note_required() -> FundError:
    return FundError(_l("Write when and how the donor agreed to be named, for example “Signed the form at the "
                        "library on 3 May”. Without it the name cannot be shown."), field="consent_note")


def name_required() -> FundError:
    return FundError(_l("Write the donor's name. It stays private unless they agree to be named."), field="name")


def company_not_found() -> FundError:
    return FundError(_l("Choose one of the approved companies on the portal."), field="company")


def company_only_for_companies() -> FundError:
    return FundError(_l("Only a company donor can be linked to a company page. Choose “Company” as the kind, "
                        "or leave the company empty."), field="company")


def date_in_future() -> FundError:
    return FundError(_l("Record a gift once it has been received: the date cannot be in the future."),
                     field="given_on")


def paid_in_future() -> FundError:
    return FundError(_l("Record a payout once it has been paid: the date cannot be in the future."),
                     field="paid_on")


def valid_until_needed() -> FundError:
    return FundError(_l("Give the date the permission runs to. Indsamlingsnævnet's permission always has one."),
                     field="permission_valid_until")


def permission_needed() -> FundError:
    return FundError(_l("Give the permission number from Indsamlingsnævnet as well. Without it the page must "
                        "not ask anyone for money."), field="permission_number")


def task_not_found() -> FundError:
    return FundError(_l("There is no task with that number. Give its number or its address, for example "
                        "/tasks/40."), field="task")


def task_of_another_organisation() -> FundError:
    return FundError(_l("The task belongs to another organisation than the one you chose."), field="task")


def event_not_found() -> FundError:
    return FundError(_l("Choose one of the events on the portal."), field="event")


def organisation_not_found() -> FundError:
    return FundError(_l("Choose one of the organisations on the portal."), field="organisation")

