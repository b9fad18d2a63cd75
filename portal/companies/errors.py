"""The company feature's user-facing errors, in one catalogue beside the services."""

from flask_babel import lazy_gettext as _l

error_messages = {
    "cvr_format": _l("Enter the CVR number with 8 digits, for example 61 12 62 28."),
    "cvr_checksum": _l("This is not a valid CVR number. Check the digits against your registration."),
    "cvr_taken": _l("A company with this CVR number is already registered or waiting for approval. "
                    "Ask the volunteer coordinator if you think it is a mistake."),
    "logo_not_image": _l("The file is not a picture we can read. Choose a PNG, JPEG or WebP file."),
    "logo_too_big": _l("The picture is too large. Choose a file under 2 MB."),
    "logo_too_many_pixels": _l("The picture has too many pixels. Choose a smaller picture."),
    "not_approved": _l("You can do that once the volunteer coordinator has approved the company."),
    "already_admin": _l("That person is already an administrator of the company."),
    "last_admin": _l("The company must have at least one administrator. Invite someone else first."),
    "invitation_invalid": _l("This invitation is no longer valid. Ask your colleague to send a new one."),
    "invitation_other_email": _l("This invitation was sent to another e-mail address. "
                                 "Log in with the address the invitation was sent to."),
    "company_not_active": _l("The company is not active on the portal at the moment."),
    "already_linked": _l("You are already linked to this company."),
    "amount": _l("Enter a number with at most one decimal, for example 7.4."),
    "amount_range": _l("Enter an amount between 0.1 and 1000."),
    "hours_per_day": _l("Enter the hours in a working day, between 0.1 and 24, for example 7.4."),
    "scope_note_needed": _l("Name the causes your employees may volunteer for."),
}
