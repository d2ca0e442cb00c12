"""Usage errors of the command line in the user's language.

:mod:`argparse` words its errors in English (``the following arguments are required: --store``)
and Python ships no Czech catalogue for them; :func:`usage_message` recognises those messages
(and those of the option types in :mod:`apk_geo._cli._common` and ``evaluate --coverages``) and
gives them from the ``cli.usage.`` strings of :mod:`apk_geo._strings_ui` and
:mod:`apk_geo._strings_cli`. A message it does not know is kept as it is.

Examples
--------
>>> usage_message("the following arguments are required: --store", "cs")
'chybí povinné argumenty: --store'
>>> usage_message("argument --lang: invalid choice: 'xx' (choose from 'cs', 'en')", "cs")
"argument --lang: neplatná hodnota 'xx' (možnosti: 'cs', 'en')"
"""

from __future__ import annotations

import re
from typing import Final

from apk_geo.i18n import t

__all__ = ["usage_message"]

#: argparse's messages (Python 3.11–3.13) and the option types' messages → their string key.
_PATTERNS: Final[tuple[tuple[re.Pattern[str], str], ...]] = tuple(
    (re.compile(pattern, re.DOTALL), key)
    for pattern, key in (
        (r"the following arguments are required: (?P<args>.+)", "cli.usage.required"),
        (r"unrecognized arguments: (?P<args>.+)", "cli.usage.unrecognized"),
        (r"one of the arguments (?P<args>.+) is required", "cli.usage.one_of"),
        (r"not allowed with argument (?P<arg>.+)", "cli.usage.not_with"),
        (r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)", "cli.usage.ambiguous"),
        (r"invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)", "cli.usage.choice"),
        (r"invalid (?P<type>\S+) value: (?P<value>.+)", "cli.usage.value"),
        (r"expected one argument", "cli.usage.one_value"),
        (r"expected at least one argument", "cli.usage.some_values"),
        (r"expected at most one argument", "cli.usage.at_most_one"),
        (r"ignored explicit argument (?P<value>.+)", "cli.usage.no_value"),
        (r"(?P<value>.+) is not a text encoding; use e\.g\. .+", "cli.usage.encoding"),
        (r"expected a non-empty name, got (?P<value>.+)", "cli.usage.blank"),
        (r"expected a number of seconds >= 0, got (?P<value>.+)", "cli.usage.seconds"),
        (r"expected shares such as 0\.01,0\.05,0\.1; got (?P<value>.+)", "cli.usage.shares"),
        (r"expected shares in \(0, 1\] such as 0\.05; got (?P<value>.+)", "cli.usage.shares_range"),
    )
)
_ARGUMENT: Final = re.compile(r"argument (?P<arg>[^:]+): (?P<inner>.+)", re.DOTALL)


def usage_message(message: str, lang: str) -> str:
    """Return argparse's error ``message`` in ``lang`` (unchanged when it is not a known one).

    ``argument --x: <inner>`` keeps the option's name and translates the inner message.
    """
    found = _ARGUMENT.fullmatch(message)
    if found:
        inner = usage_message(found["inner"], lang)
        return t("cli.usage.argument", lang, arg=found["arg"], message=inner)
    for pattern, key in _PATTERNS:
        match = pattern.fullmatch(message)
        if match:
            return t(key, lang, **match.groupdict())
    return message
