"""Find the handler for a request, check the role, drop duplicate deliveries, call it, and
turn every failure into a sentence the user can act on."""

from __future__ import annotations

import asyncio
import logging
import re
import time
import traceback
from dataclasses import dataclass, field

from pydantic import ValidationError

from bot.respond import something_went_wrong
from core import metrics
from core.context import Context
from core.logs import new_error_id
from core.model import (
    FORGED_VALUE,
    Denied,
    FormErrors,
    Reply,
    Request,
    RequestKind,
    Text,
    UserError,
    reply,
    require_role,
)
from core.registry import Handler
from storage import deliveries, threads
from storage.db import is_unavailable

log = logging.getLogger("sgbot.dispatch")

DB_DOWN = (
    "I couldn't reach the partnership's database just now, so nothing was saved. Please try again in a few minutes."
)
# How much text may follow a command, as each platform limits it (Slack's slash commands 4,000
# characters, a Discord string option 6,000); the console and anything else get Slack's limit.
COMMAND_TEXT_LIMITS = {"slack": 4000, "discord": 6000}
DEFAULT_COMMAND_TEXT_LIMIT = 4000


# The safeguarding lookups: whatever they answer ends with the emergency route.
_LOOKUPS = frozenset(["threshold", "escalation", "glossary", "contacts"])
FIRST_SIGHTING_WAIT_SECONDS = 3.0


@dataclass
class Outcome:
    replies: list[Reply] = field(default_factory=list)
    form_errors: dict[str, str] | None = None
    duplicate: bool = False
    error_id: str | None = None


class Dispatcher:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        # Features that pass a request back through the whole path (/debug press) use this.
        ctx.redispatch = self.replies_for

    async def replies_for(self, req: Request) -> list[Reply]:
        return (await self.handle(req)).replies

    async def handle(self, req: Request) -> Outcome:
        started = time.perf_counter()
        label = self._label(req)
        if req.delivery_id and not await self._first_sighting(req.delivery_id):
            metrics.DEDUPE_HITS.inc()
            metrics.COMMANDS.labels(label, "duplicate").inc()
            return Outcome(duplicate=True)
        try:
            outcome = await self._route(req)
            result = "ok"
        except Denied as exc:
            outcome, result = Outcome([reply(exc.message)]), "denied"
            await self._audit_denial(req, label)
        except UserError as exc:
            outcome, result = Outcome([reply(exc.message)]), "user_error"
        except Exception as exc:  # noqa: BLE001 - every failure becomes a reply, the bot keeps running
            error_id = new_error_id()
            if is_unavailable(exc):
                log.warning("database unavailable handling %s (error %s): %s", label, error_id, type(exc).__name__)
                text, result = f"{DB_DOWN} (Error id {error_id}.)", "db_unavailable"
            else:
                _log_failure(exc, label, error_id)
                text, result = something_went_wrong(error_id), "error"
            outcome = Outcome([reply(text)], error_id=error_id)
            if req.delivery_id:
                await self._forget(req.delivery_id)
        metrics.COMMANDS.labels(label, result).inc()
        metrics.HANDLER_SECONDS.labels(req.kind.value).observe(time.perf_counter() - started)
        return outcome

    # --- routing ---------------------------------------------------------------------------

    async def _route(self, req: Request) -> Outcome:
        if req.forged:
            # Only what was wrong is logged, never what was sent.
            log.info("refused a request for %s: %s", self._label(req), req.forged)
            return Outcome([reply(FORGED_VALUE)])
        if req.kind is RequestKind.COMMAND:
            return await self._command(req)
        if req.kind in (RequestKind.ACTION, RequestKind.SUBMIT):
            return await self._action(req)
        return await self._thread_message(req)

    async def _command(self, req: Request) -> Outcome:
        limit = COMMAND_TEXT_LIMITS.get(req.platform, DEFAULT_COMMAND_TEXT_LIMIT)
        if len(req.text) > limit:
            too_long = (
                f"That is more text than a command takes here ({limit:,} characters at most), so I did "
                "nothing with it: please shorten it and try again."
            )
            if req.command[:40].lower() in _LOOKUPS:
                # a safeguarding lookup's answer always shows the emergency route, a refusal too
                from handlers import contacts

                return Outcome([reply(Text(text=too_long), *contacts.finish(self.ctx.pack))])
            raise UserError(too_long)
        registry = self.ctx.registry
        spec = registry.commands.get(req.command[:40].lower())
        if spec is None or (spec.console_only and not self.ctx.console_mode):
            return Outcome([reply(self.unknown_command_text(req.command))])
        require_role(req, spec.role, f"use /{spec.name}")
        found = registry.find_subcommand(spec.name, req.text)
        if found is not None:
            verb, rest = found
            if verb.role is not None:
                require_role(req, verb.role, verb.refusal or f"use /{spec.name} {verb.name}")
            return await self._call(verb.handler, req.model_copy(update={"text": rest}))
        assert spec.handler is not None
        return await self._call(spec.handler, req)

    async def _action(self, req: Request) -> Outcome:
        spec = self.ctx.registry.actions.get(req.action_id)
        if spec is None or not re.fullmatch(spec.pattern, req.value or ""):
            log.info("refused an unknown or malformed action %s", req.action_id[:60])
            return Outcome([reply(FORGED_VALUE)])
        require_role(req, spec.role, "use that button")
        return await self._call(spec.handler, req)

    async def _thread_message(self, req: Request) -> Outcome:
        if not req.thread_id:
            return Outcome()
        async with self.ctx.db.transaction() as tx:
            owner = await threads.thread_owner(
                tx, platform=req.platform, channel_id=req.channel_id, thread_id=req.thread_id
            )
        spec = self.ctx.registry.threads.get(owner.feature) if owner else None
        if owner is None or spec is None:
            return Outcome()
        return await self._call(spec.handler, req.model_copy(update={"value": owner.ref}))

    async def _call(self, handler: Handler, req: Request) -> Outcome:
        result = await handler(req, self.ctx)
        if result is None:
            return Outcome()
        if isinstance(result, FormErrors):
            return Outcome(form_errors=result.errors)
        return Outcome(result if isinstance(result, list) else [result])

    # --- helpers ---------------------------------------------------------------------------

    def unknown_command_text(self, name: str) -> str:
        return self.ctx.registry.unknown_command_text(name, console=self.ctx.console_mode)

    @staticmethod
    def _label(req: Request) -> str:
        if req.kind is RequestKind.COMMAND:
            return req.command[:30].lower() or "?"
        if req.kind is RequestKind.MESSAGE:
            return "thread-message"
        return req.action_id[:40] or "?"

    async def _first_sighting(self, delivery_id: str) -> bool:
        # A database that stops answering without closing the connection (a network partition, a
        # table locked by a migration) must not hold every request behind this record: after a
        # few seconds the request goes on unrecorded, so a lookup answers from memory and anything
        # that writes meets the database itself and says nothing was saved.
        try:
            recording = deliveries.first_sighting(self.ctx.db, delivery_id, now=self.ctx.now())
            return await asyncio.wait_for(recording, timeout=FIRST_SIGHTING_WAIT_SECONDS)
        except Exception as exc:  # noqa: BLE001 - lookups must still answer without a database
            if not is_unavailable(exc):
                raise
            log.warning("could not record delivery %s: database unavailable", delivery_id[:60])
            return True

    async def _forget(self, delivery_id: str) -> None:
        try:
            hashed = await deliveries.stored_key(self.ctx.db, delivery_id)
            async with self.ctx.db.transaction() as tx:
                await deliveries.forget(tx, hashed)
        except Exception:  # noqa: BLE001
            log.warning("could not forget delivery %s", delivery_id[:60])

    async def _audit_denial(self, req: Request, label: str) -> None:
        try:
            await self.ctx.audit(req, "denied", subject=label)
        except Exception:  # noqa: BLE001 - a failed audit must not hide the denial message
            log.warning("could not audit a denial of %s", label)


def _log_failure(exc: Exception, label: str, error_id: str) -> None:
    if not isinstance(exc, ValidationError):
        log.exception("handler for %s failed (error %s)", label, error_id)
        return
    # pydantic's message quotes the input, which came from a person: log where it failed and
    # what kind of error it was, with the traceback's frames but not the message.
    problems = [
        f"{'.'.join(str(part) for part in error['loc']) or '(the whole value)'}: {error['type']}"
        for error in exc.errors(include_url=False, include_input=False, include_context=False)
    ]
    log.error(
        "handler for %s failed validating %s (error %s)\n%s",
        label,
        "; ".join(problems),
        error_id,
        "".join(traceback.format_tb(exc.__traceback__)).rstrip(),
    )
