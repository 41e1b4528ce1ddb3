"""Running an async test in an event loop of its own (the suite has no asyncio plugin)."""

import functools

from asgiref.sync import async_to_sync

from events import fanout


def run(scenario):
    """The scenario, then every live feed group of the loop is left for good before the loop closes (groups whose
    sockets never disconnected too: see fanout.Hub.close). Database calls made with database_sync_to_async come back
    to the test's thread and its database connection."""

    async def scenario_then_leave(*args, **kwargs):
        await scenario(*args, **kwargs)
        await fanout.hub().close()

    @functools.wraps(scenario)
    def test(*args, **kwargs):
        return async_to_sync(scenario_then_leave)(*args, **kwargs)

    return test
