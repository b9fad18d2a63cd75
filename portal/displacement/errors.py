"""The displacement check's user-facing errors, in one catalogue (pretix's `error_messages`)."""

from flask_babel import lazy_gettext as _l

error_messages = {
    "not_municipal": _l("Only a municipal institution's tasks go through the check. This task can be published "
                        "right away."),
    "already_published": _l("The task is already published."),
    "already_waiting": _l("The task is already waiting for the coordinator's review."),
    "task_closed": _l("A closed task cannot be published."),
    "explain": _l("Tell the coordinator why you answered yes, in a few sentences."),
    "already_decided": _l("Another coordinator has just decided on this task. Here is the decision."),
    "reason_needed": _l("Write why the task is declined. The institution sees it."),
    "changes_needed": _l("Write what you changed and why. The institution sees it."),
    "changed_meanwhile": _l("The institution changed the task while you were reading it. Read the new text "
                            "below before you decide."),
    "nothing_changed": _l("Change the title or the description, or choose “Approve” instead."),
}
