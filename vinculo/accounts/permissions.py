"""What each role may do. One table, read by every view, API handler and test.

A permission is a capability; *where* it applies (the unit subtree) is the actor's scope,
checked separately by the queries that list or fetch data.
"""

from enum import StrEnum

from vinculo.accounts.choices import Role


class Perm(StrEnum):
    VIEW_CUSTOMERS = "customers.view"
    EDIT_CUSTOMERS = "customers.edit"
    MERGE_CUSTOMERS = "customers.merge"
    EXPORT_CUSTOMERS = "customers.export"
    ERASE_CUSTOMERS = "customers.erase"
    ADD_INTERACTIONS = "interactions.add"
    IMPORT_DATA = "imports.run"
    VIEW_ORG = "org.view"
    MANAGE_ORG = "org.manage"
    MANAGE_API_KEYS = "apikeys.manage"
    MANAGE_SURVEYS = "surveys.manage"  # build, publish, distribute
    VIEW_RESPONSES = "responses.view"
    ENTER_RESPONSES = "responses.enter"  # phone and in-person interviews, kiosks
    EXPORT_RESPONSES = "responses.export"
    MANAGE_RESPONSES = "responses.manage"  # correct or delete stored responses
    VIEW_METRICS = "metrics.view"  # dashboards and figures, for the actor's units
    VIEW_FEEDBACK = "feedback.view"  # unsolicited feedback and what text analytics found
    ADD_FEEDBACK = "feedback.add"  # file reviews, complaints, call notes; import them
    EXPORT_FEEDBACK = "feedback.export"  # the inbox as CSV/XLSX, for the actor's units
    MANAGE_TOPICS = "topics.manage"  # the topic taxonomy and its rules
    SCORE_TEXTS = "texts.score"  # score uploaded CSV files of texts (only one's own jobs)
    VIEW_CASES = "cases.view"  # agents: their department's cases in their units
    WORK_CASES = "cases.work"  # take, assign, note, contact, resolve the cases one sees
    MANAGE_CASES = "cases.manage"  # SLA targets, working hours, root causes, routing,
    # sales signals, improvement actions, the follow-up survey
    MANAGE_WEBHOOKS = "webhooks.manage"  # outgoing webhooks: endpoints, deliveries, replays


ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.ADMIN: frozenset(Perm),
    Role.ANALYST: frozenset(
        {
            Perm.VIEW_CUSTOMERS,
            Perm.EDIT_CUSTOMERS,
            Perm.MERGE_CUSTOMERS,
            Perm.EXPORT_CUSTOMERS,
            Perm.ADD_INTERACTIONS,
            Perm.IMPORT_DATA,
            Perm.VIEW_ORG,
            Perm.MANAGE_SURVEYS,
            Perm.VIEW_RESPONSES,
            Perm.ENTER_RESPONSES,
            Perm.EXPORT_RESPONSES,
            Perm.MANAGE_RESPONSES,
            Perm.VIEW_METRICS,
            Perm.VIEW_FEEDBACK,
            Perm.ADD_FEEDBACK,
            Perm.EXPORT_FEEDBACK,
            Perm.MANAGE_TOPICS,
            Perm.SCORE_TEXTS,
            Perm.VIEW_CASES,
            Perm.WORK_CASES,
            Perm.MANAGE_CASES,
            Perm.MANAGE_WEBHOOKS,
        }
    ),
    Role.UNIT_MANAGER: frozenset(
        {
            Perm.VIEW_CUSTOMERS,
            Perm.EDIT_CUSTOMERS,
            Perm.ADD_INTERACTIONS,
            Perm.VIEW_ORG,
            Perm.VIEW_RESPONSES,
            Perm.ENTER_RESPONSES,
            Perm.EXPORT_RESPONSES,
            Perm.VIEW_METRICS,
            Perm.VIEW_FEEDBACK,
            Perm.ADD_FEEDBACK,
            Perm.EXPORT_FEEDBACK,
            Perm.VIEW_CASES,
            Perm.WORK_CASES,
        }
    ),
    Role.AGENT: frozenset(
        {
            Perm.VIEW_CUSTOMERS,
            Perm.EDIT_CUSTOMERS,
            Perm.ADD_INTERACTIONS,
            Perm.VIEW_RESPONSES,
            Perm.ENTER_RESPONSES,
            Perm.VIEW_METRICS,
            Perm.VIEW_FEEDBACK,
            Perm.ADD_FEEDBACK,
            Perm.VIEW_CASES,
            Perm.WORK_CASES,
        }
    ),
    Role.VIEWER: frozenset(
        {
            Perm.VIEW_CUSTOMERS,
            Perm.VIEW_RESPONSES,
            Perm.VIEW_METRICS,
            Perm.VIEW_FEEDBACK,
            Perm.VIEW_CASES,
        }
    ),
}

# Scopes an API key may carry: every permission except managing keys themselves,
# so a leaked key can never mint more keys.
API_KEY_SCOPES: tuple[Perm, ...] = tuple(p for p in Perm if p is not Perm.MANAGE_API_KEYS)
