"""Pacing posts and looking up Slack user groups, on an injected clock (nothing sleeps)."""

from __future__ import annotations

import asyncio

import pytest

from bot.adapters.slack.web import Pacer, UserGroups
from tests.fake_slack import FakeSlack, ManualClock


async def test_one_channel_gets_one_post_a_second_in_order() -> None:
    clock = ManualClock()
    pacer = Pacer(1.0, clock=clock, sleep=clock.sleep)
    order: list[int] = []

    async def post(n: int) -> None:
        await pacer.wait("C1")
        order.append(n)

    await asyncio.gather(*(post(n) for n in range(4)))
    assert order == [0, 1, 2, 3]
    assert clock.slept == [1.0, 1.0, 1.0]


async def test_channels_do_not_wait_for_each_other_and_quiet_channels_do_not_wait() -> None:
    clock = ManualClock()
    pacer = Pacer(1.0, clock=clock, sleep=clock.sleep)
    await pacer.wait("C1")
    await pacer.wait("C2")
    clock.now += 5
    await pacer.wait("C1")
    assert clock.slept == []


async def test_a_burst_goes_at_once_then_waits_for_the_rolling_window() -> None:
    clock = ManualClock()
    pacer = Pacer(0.25, burst=4, clock=clock, sleep=clock.sleep)  # 4 in any second
    for _ in range(4):
        await pacer.wait("workspace")
    assert clock.slept == []
    clock.now += 0.5
    await pacer.wait("workspace")  # the fifth waits until the first is a second old
    assert clock.slept == [0.5]
    clock.now += 2
    for _ in range(4):
        await pacer.wait("workspace")
    assert clock.slept == [0.5]


async def test_a_post_counts_from_when_it_finished() -> None:
    clock = ManualClock()
    pacer = Pacer(1.0, clock=clock, sleep=clock.sleep)
    async with pacer.turn("C1"):
        clock.now += 0.5  # the request takes half a second
    await pacer.wait("C1")
    assert clock.slept == [1.0]  # a full second after the first post arrived, not half


async def test_a_zero_interval_never_waits() -> None:
    clock = ManualClock()
    pacer = Pacer(0.0, clock=clock, sleep=clock.sleep)
    for _ in range(5):
        await pacer.wait("workspace")
    assert clock.slept == []


@pytest.fixture
def fake(fake_server: FakeSlack) -> FakeSlack:
    fake_server.reset(groups={"safeguarding-trainers": ["U1", "U2"], "comms-team": ["U3"], "social": ["U1"]})
    return fake_server


async def test_groups_are_looked_up_on_first_use_only_for_handles_in_settings(fake: FakeSlack) -> None:
    clock = ManualClock()
    groups = UserGroups(fake.client(), ["@safeguarding-trainers", "comms-team"], ttl=300, clock=clock)
    assert fake.methods() == []  # nothing at start
    assert await groups.of("U1") == {"safeguarding-trainers"}  # "social" is never read
    assert await groups.of("U3") == {"comms-team"}
    assert await groups.of("U9") == set()
    assert fake.methods() == ["usergroups.list", "usergroups.users.list", "usergroups.users.list"]
    assert sorted(c["usergroup"] for c in fake.calls_to("usergroups.users.list")) == ["S0000", "S0001"]


async def test_groups_are_read_again_after_the_cache_expires(fake: FakeSlack) -> None:
    clock = ManualClock()
    groups = UserGroups(fake.client(), ["safeguarding-trainers"], ttl=300, clock=clock)
    assert await groups.of("U2") == {"safeguarding-trainers"}
    fake.groups["safeguarding-trainers"] = ["U1"]  # U2 left the group
    clock.now += 299
    assert await groups.of("U2") == {"safeguarding-trainers"}
    clock.now += 2
    assert await groups.of("U2") == set()
    assert fake.methods().count("usergroups.list") == 2


async def test_a_refused_lookup_grants_nothing_and_is_tried_again_within_a_minute(fake: FakeSlack) -> None:
    clock = ManualClock()
    groups = UserGroups(fake.client(), ["safeguarding-trainers"], ttl=300, clock=clock)
    fake.fail("usergroups.list", error="missing_scope")
    assert await groups.of("U1") == set()
    clock.now += 61
    assert await groups.of("U1") == {"safeguarding-trainers"}


async def test_no_group_settings_means_no_calls(fake: FakeSlack) -> None:
    groups = UserGroups(fake.client(), [])
    assert await groups.of("U1") == set()
    assert fake.methods() == []
