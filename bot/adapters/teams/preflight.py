"""Activities answered before the Teams SDK sees them, or reshaped so that it accepts them. Both
run only for a request whose token passed (server.py).

Sign-in invokes. The bot signs nobody in (it sends no OAuth card and has no OAuth connection), but
the SDK registers its own handlers for `signin/tokenExchange`, `signin/verifyState` and
`signin/failure`, which call the Bot Framework's user token service and, when that fails, answer
500 with a traceback in the log. They are answered here instead, as Microsoft's SDKs answer when
there is nothing to sign in to, and the token service is never called:
- `signin/tokenExchange`: 412 with a TokenExchangeInvokeResponse (the invoke's `id` and
  `connectionName`, and a `failureDetail`), "sent with HTTP 412 (PreconditionFailed) to tell Teams
  to fall back to the sign-in card"
  (https://learn.microsoft.com/en-us/dotnet/api/microsoft.teams.apps.oauth.tokenexchangeinvokeresponse);
  there is no card to fall back to, so nothing more happens;
- `signin/verifyState`: 404, the Teams SDK's own answer when no connection holds a token for the
  person ("nothing to verify"; microsoft_teams/apps/app_oauth.py, `sign_in_verify_state`);
- `signin/failure`: 200; Teams only reports a failed single sign-on, which this bot never starts
  (https://learn.microsoft.com/en-us/microsoftteams/platform/teams-sdk/teams/user-authentication/troubleshooting-sso).

App upgrades. When an app is upgraded, Teams sends `installationUpdate` with action `add-upgrade`
or `remove-upgrade` (when the upgrade adds a bot to the app's manifest or removes one: "Installation
events", https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/bot-events),
but the SDK's activity model takes only `add` and `remove`, so they were refused with 400. An
upgrade is not an uninstall: `add-upgrade` goes on as `add` (the conversation reference is stored
again, refreshing it), and `remove-upgrade` is answered 200 here, keeping the stored reference
(sgbot's package always holds its bot; should a post to that conversation be refused, the delivery
worker reports it like any refused post).
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger("sgbot.teams")

NO_SIGN_IN = "This bot does not sign anyone in."


def answer(activity: dict[str, Any]) -> tuple[int, dict[str, Any] | None] | None:
    """(HTTP status, body) for an activity answered here, or None when the SDK should have it."""
    kind, name = activity.get("type"), activity.get("name")
    if kind == "invoke" and name in ("signin/tokenExchange", "signin/verifyState", "signin/failure"):
        log.info("answered a Teams %s invoke: this bot signs nobody in", name)
        if name == "signin/tokenExchange":
            value = activity.get("value")
            value = value if isinstance(value, dict) else {}
            echoed = {key: value[key] for key in ("id", "connectionName") if isinstance(value.get(key), str)}
            return 412, {**echoed, "failureDetail": NO_SIGN_IN}
        return (404 if name == "signin/verifyState" else 200), None
    if kind == "installationUpdate" and activity.get("action") == "remove-upgrade":
        return 200, None  # the app was upgraded, not removed: its conversation reference stays
    return None


def for_sdk(activity: dict[str, Any]) -> dict[str, Any]:
    """The activity as the SDK's model accepts it: `add-upgrade` read as `add`."""
    if activity.get("type") == "installationUpdate" and activity.get("action") == "add-upgrade":
        return {**activity, "action": "add"}
    return activity
