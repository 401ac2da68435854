"""Roles from Entra security groups (TEAMS_ROLE_GROUPS), read from Microsoft Graph: a member of a
listed group holds its role, membership is kept a short while, and when Graph cannot answer
nobody gets a group's role (fail closed)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.teams.groups import GroupLookup, group_lookup
from bot.adapters.teams.server import cloud_for
from core.clock import FrozenClock
from storage.db import Database
from tests import slack_feature
from tests.teams_fake import GRAPH, FakeTeams
from tests.teams_wire import TeamsWire, open_teams, teams_settings

TRAINERS_GROUP = "6f1a0c52-1d3e-4b7a-9c11-0000000000a1"
COMMS_GROUP = "6f1a0c52-1d3e-4b7a-9c11-0000000000c2"
ALEX = "8d2c1f0a-5b6e-4c3d-8e9f-00000000a1e7"  # Alex's Entra object id
SAM = "8d2c1f0a-5b6e-4c3d-8e9f-0000000005a3"


@pytest.fixture
async def grouped(
    teams_fake: FakeTeams, tmp_path: Path, database_url: str, db: Database, clock: FrozenClock
) -> AsyncIterator[TeamsWire]:
    groups = f"{TRAINERS_GROUP}=trainer,{COMMS_GROUP}=comms"
    opened = await open_teams(
        teams_fake, teams_settings(tmp_path, database_url, teams_fake, teams_role_groups=groups), clock
    )
    yield opened
    await opened.close()


def published_by(wire: TeamsWire) -> list[str]:
    return [c[1] for c in slack_feature.log(wire.rt.ctx)["calls"] if c[0] == "publish"]


async def publish_as(wire: TeamsWire, aad_id: str, user: str = "29:1practitionerA") -> None:
    status, _ = await wire.send("message_personal", text="publish", **{"from.aadObjectId": aad_id, "from.id": user})
    assert status == 200


async def test_a_member_of_a_listed_group_holds_its_role_and_others_do_not(
    grouped: TeamsWire, teams_fake: FakeTeams
) -> None:
    teams_fake.memberships[ALEX] = {TRAINERS_GROUP, "some-other-group"}
    await publish_as(grouped, ALEX, "29:alex")
    await publish_as(grouped, SAM, "29:sam")
    assert published_by(grouped) == ["29:alex"]
    assert "Only trainers" in teams_fake.posts()[-1].card_text()
    assert sorted(asked for _user, asked in teams_fake.graph_calls)[0] == sorted([TRAINERS_GROUP, COMMS_GROUP])


async def test_whoami_shows_the_roles_from_groups(grouped: TeamsWire, teams_fake: FakeTeams) -> None:
    teams_fake.memberships[ALEX] = {COMMS_GROUP}
    status, _ = await grouped.send("message_personal", text="whoami", **{"from.aadObjectId": ALEX})
    assert status == 200
    shown = teams_fake.posts()[-1].card_text()
    assert "comms: manage feeds" in shown and "trainer:" not in shown


async def test_membership_is_kept_a_while_not_asked_for_every_message(
    grouped: TeamsWire, teams_fake: FakeTeams
) -> None:
    teams_fake.memberships[ALEX] = {TRAINERS_GROUP}
    for _ in range(3):
        await publish_as(grouped, ALEX)
    assert len(published_by(grouped)) == 3
    assert [user for user, _asked in teams_fake.graph_calls] == [ALEX]


async def test_when_graph_cannot_answer_nobody_gets_a_groups_role(
    grouped: TeamsWire, teams_fake: FakeTeams, caplog: pytest.LogCaptureFixture
) -> None:
    teams_fake.memberships[ALEX] = {TRAINERS_GROUP}
    teams_fake.graph_down = True
    with caplog.at_level(logging.WARNING, logger="sgbot.teams"):
        await publish_as(grouped, ALEX)
    assert published_by(grouped) == []
    assert "Only trainers" in teams_fake.posts()[-1].card_text()
    assert "could not read Entra group membership" in caplog.text
    assert ALEX not in caplog.text  # who was being looked up stays out of the log


async def test_roles_from_settings_still_count_when_graph_cannot_answer(
    teams_fake: FakeTeams, tmp_path: Path, database_url: str, db: Database, clock: FrozenClock
) -> None:
    settings = teams_settings(
        tmp_path, database_url, teams_fake, teams_role_groups=f"{TRAINERS_GROUP}=trainer", trainers=f"teams:{ALEX}"
    )
    teams_fake.graph_down = True
    opened = await open_teams(teams_fake, settings, clock)
    try:
        await publish_as(opened, ALEX, "29:alex")
    finally:
        await opened.close()
    assert published_by(opened) == ["29:alex"]


async def test_without_role_groups_graph_is_never_asked(teams_wire: TeamsWire, teams_fake: FakeTeams) -> None:
    teams_fake.memberships[ALEX] = {TRAINERS_GROUP}
    await publish_as(teams_wire, ALEX)
    assert published_by(teams_wire) == []
    assert teams_fake.graph_calls == []


async def test_an_object_id_that_is_not_one_is_not_put_in_graphs_address(
    grouped: TeamsWire, teams_fake: FakeTeams
) -> None:
    await publish_as(grouped, "../../groups?x=1")
    assert published_by(grouped) == []
    assert teams_fake.graph_calls == []


# --- the lookup on its own: how long an answer is kept, and many groups ---------------------------


class Ticking:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def lookup(teams_fake: FakeTeams, groups: list[str], clock: Ticking) -> GroupLookup:
    settings = teams_settings(Path("/nonexistent"), "sqlite://", teams_fake, teams_role_groups="x=trainer")
    made = group_lookup(settings, cloud_for(settings))
    assert made.token.scope == f"{GRAPH}/.default"  # a token for Graph, not the Bot Connector's
    return GroupLookup(groups, made.graph_url, made.token, clock=clock)


async def test_a_change_in_membership_is_seen_after_five_minutes(teams_fake: FakeTeams) -> None:
    clock = Ticking()
    groups = lookup(teams_fake, [TRAINERS_GROUP], clock)
    try:
        teams_fake.memberships[ALEX] = {TRAINERS_GROUP}
        assert await groups.groups_of(ALEX) == {TRAINERS_GROUP}
        teams_fake.memberships[ALEX] = set()  # taken out of the group
        clock.now += 299
        assert await groups.groups_of(ALEX) == {TRAINERS_GROUP}
        clock.now += 2
        assert await groups.groups_of(ALEX) == frozenset()
    finally:
        await groups.close()


async def test_after_a_failure_graph_is_asked_again_half_a_minute_later(teams_fake: FakeTeams) -> None:
    clock = Ticking()
    groups = lookup(teams_fake, [TRAINERS_GROUP], clock)
    try:
        teams_fake.memberships[ALEX] = {TRAINERS_GROUP}
        teams_fake.graph_down = True
        assert await groups.groups_of(ALEX) == frozenset()
        teams_fake.graph_down = False
        clock.now += 10
        assert await groups.groups_of(ALEX) == frozenset()  # not asked again yet
        clock.now += 21
        assert await groups.groups_of(ALEX) == {TRAINERS_GROUP}
        assert len(teams_fake.graph_calls) == 2
    finally:
        await groups.close()


async def test_more_than_twenty_groups_are_asked_twenty_at_a_time(teams_fake: FakeTeams) -> None:
    many = [f"6f1a0c52-1d3e-4b7a-9c11-{i:012d}" for i in range(45)]
    groups = lookup(teams_fake, many, Ticking())
    try:
        teams_fake.memberships[ALEX] = {many[3], many[44]}
        assert await groups.groups_of(ALEX) == {many[3], many[44]}
        assert [len(asked) for _user, asked in teams_fake.graph_calls] == [20, 20, 5]
    finally:
        await groups.close()


async def test_object_ids_written_in_capitals_grant_the_same_roles(
    teams_fake: FakeTeams, tmp_path: Path, database_url: str, db: Database, clock: FrozenClock
) -> None:
    """An outside audit: ADMINS=teams:<ID IN CAPITALS>, as the Azure portal may show it, and
    TEAMS_ROLE_GROUPS in capitals granted nothing. Entra ids are GUIDs: either case is the same id."""
    settings = teams_settings(
        tmp_path,
        database_url,
        teams_fake,
        teams_role_groups=f"{TRAINERS_GROUP.upper()}=trainer",
        admins=f"teams:{SAM.upper()}",
    )
    wire = await open_teams(teams_fake, settings, clock)
    try:
        teams_fake.memberships[ALEX] = {TRAINERS_GROUP}
        await publish_as(wire, ALEX, "29:alex")
        assert published_by(wire) == ["29:alex"]
        status, _ = await wire.send("message_personal", text="whoami", **{"from.aadObjectId": SAM, "from.id": SAM})
        assert status == 200
        assert "admin" in teams_fake.posts()[-1].card_text().lower()
    finally:
        await wire.close()
