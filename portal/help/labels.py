"""What the kinds and statuses are called, in forms, pages and mails."""

from flask_babel import lazy_gettext as _l

from portal.models import HelpKind, HelpRequestStatus

# Headings on "Få hjælp" and in lists.
KIND_LABELS = {
    HelpKind.visiting_friend: _l("Visiting friend"),
    HelpKind.it_help: _l("IT help"),
    HelpKind.homework: _l("Homework café"),
    HelpKind.repair: _l("Repair café"),
    HelpKind.shopping: _l("Help with shopping"),
    HelpKind.transport: _l("Transport"),
    HelpKind.company: _l("Companionship"),
    HelpKind.other: _l("Other help"),
}

# The same kinds said the way a citizen would ask for them.
KIND_CHOICES = {
    HelpKind.visiting_friend: _l("A visiting friend who comes by regularly"),
    HelpKind.it_help: _l("Help with a computer, tablet or mobile phone"),
    HelpKind.homework: _l("Help with homework"),
    HelpKind.repair: _l("Help to repair something"),
    HelpKind.shopping: _l("Help with shopping"),
    HelpKind.transport: _l("A lift, for example to the doctor"),
    HelpKind.company: _l("Company: a walk or a cup of coffee"),
    HelpKind.other: _l("Something else"),
}

STATUS_LABELS = {
    HelpRequestStatus.new: _l("New"),
    HelpRequestStatus.passed: _l("Passed on, waiting for an answer"),
    HelpRequestStatus.accepted: _l("Accepted by the organisation"),
    HelpRequestStatus.closed: _l("Closed"),
}
