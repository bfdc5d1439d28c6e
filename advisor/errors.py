"""Errors the advisor raises. Messages say what to change."""


class AdvisorError(Exception):
    """Base for every error the advisor raises on purpose."""


class UnknownRuleError(AdvisorError):
    """A rule id was asked for that the rule book does not contain."""
