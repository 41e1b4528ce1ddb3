"""Running an async test in an event loop of its own (the suite has no asyncio plugin)."""

import asyncio
import functools

from asgiref.sync import async_to_sync

from events import fanout


def run(scenario):
    """The scenario, then the live feeds' groups its sockets left are left for good before the loop closes (the
    hub does that in a task of its own). Database calls made with database_sync_to_async come back to the test's
    thread and its database connection."""

    async def scenario_then_leave(*args, **kwargs):
        await scenario(*args, **kwargs)
        await asyncio.gather(*fanout.hub().leaving)

    @functools.wraps(scenario)
    def test(*args, **kwargs):
        return async_to_sync(scenario_then_leave)(*args, **kwargs)

    return test
