"""A small org.freedesktop.Notifications server for the end-to-end reminder test.

It owns the name on the session bus it is given (a private one the test starts), advertises
the capabilities the test asks for, and prints every call as a JSON line on stdout:
{"call": "Notify", "id": 1, "summary": ..., "body": ..., "actions": [...]} and
{"call": "CloseNotification", "id": 1}. Lines on stdin make it act as a user would:
"invoke ID ACTION" emits ActionInvoked (and then NotificationClosed, as servers do).

With --idle it is also GNOME's idle monitor (org.gnome.Mutter.IdleMonitor): "idle MS" on stdin
says the desktop has had no input for MS milliseconds, counting on from then.
With --watcher it is also the desktop's tray host (org.kde.StatusNotifierWatcher) and prints
{"call": "RegisterStatusNotifierItem", "item": ...} when a tray icon registers.

Usage: notify-server.py [--no-actions] [--watcher] [--idle]   (DBUS_SESSION_BUS_ADDRESS names the bus)
"""

import asyncio
import json
import sys
import time

from dbus_fast import BusType
from dbus_fast.aio import MessageBus
from dbus_fast.service import PropertyAccess, ServiceInterface, dbus_property, method, signal


def say(record):
    print(json.dumps(record), flush=True)


class Notifications(ServiceInterface):
    def __init__(self, actions):
        super().__init__("org.freedesktop.Notifications")
        self.next_id = 0
        self.actions = actions

    @method()
    def GetCapabilities(self) -> "as":  # noqa: F821 - D-Bus signature
        return ["body", "actions"] if self.actions else ["body"]

    @method()
    def Notify(
        self,
        app_name: "s",  # noqa: F821
        replaces_id: "u",  # noqa: F821
        app_icon: "s",  # noqa: F821
        summary: "s",  # noqa: F821
        body: "s",  # noqa: F821
        actions: "as",  # noqa: F821
        hints: "a{sv}",  # noqa: F821
        expire_timeout: "i",  # noqa: F821
    ) -> "u":  # noqa: F821
        self.next_id += 1
        nid = replaces_id or self.next_id
        say({
            "call": "Notify",
            "id": nid,
            "app": app_name,
            "summary": summary,
            "body": body,
            "actions": list(actions[0::2]),
        })
        return nid

    @method()
    def CloseNotification(self, nid: "u"):  # noqa: F821
        say({"call": "CloseNotification", "id": nid})
        self.NotificationClosed(nid, 3)

    @method()
    def GetServerInformation(self) -> "ssss":  # noqa: F821
        return ["roadmap-test", "roadmap", "1", "1.2"]

    @signal()
    def ActionInvoked(self, nid, action) -> "us":  # noqa: F821
        return [nid, action]

    @signal()
    def NotificationClosed(self, nid, reason) -> "uu":  # noqa: F821
        return [nid, reason]


class Watcher(ServiceInterface):
    def __init__(self):
        super().__init__("org.kde.StatusNotifierWatcher")
        self.items = []

    @method()
    def RegisterStatusNotifierItem(self, service: "s"):  # noqa: F821
        self.items.append(service)
        say({"call": "RegisterStatusNotifierItem", "item": service})

    @method()
    def RegisterStatusNotifierHost(self, service: "s"):  # noqa: F821
        pass

    @dbus_property(access=PropertyAccess.READ)
    def RegisteredStatusNotifierItems(self) -> "as":  # noqa: F821
        return self.items

    @dbus_property(access=PropertyAccess.READ)
    def IsStatusNotifierHostRegistered(self) -> "b":  # noqa: F821
        return True

    @dbus_property(access=PropertyAccess.READ)
    def ProtocolVersion(self) -> "i":  # noqa: F821
        return 0


class IdleMonitor(ServiceInterface):
    def __init__(self):
        super().__init__("org.gnome.Mutter.IdleMonitor")
        self.since = time.monotonic()

    def set(self, ms):
        self.since = time.monotonic() - ms / 1000

    @method()
    def GetIdletime(self) -> "t":  # noqa: F821
        ms = int((time.monotonic() - self.since) * 1000)
        say({"call": "GetIdletime", "ms": ms})
        return ms


async def main():
    actions = "--no-actions" not in sys.argv
    bus = await MessageBus(bus_type=BusType.SESSION).connect()
    service = Notifications(actions)
    bus.export("/org/freedesktop/Notifications", service)
    await bus.request_name("org.freedesktop.Notifications")
    idle = None
    if "--idle" in sys.argv:
        idle = IdleMonitor()
        bus.export("/org/gnome/Mutter/IdleMonitor/Core", idle)
        await bus.request_name("org.gnome.Mutter.IdleMonitor")
    if "--watcher" in sys.argv:
        bus.export("/StatusNotifierWatcher", Watcher())
        await bus.request_name("org.kde.StatusNotifierWatcher")
    say({"call": "ready"})
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while True:
        line = await reader.readline()
        if not line:
            break
        parts = line.decode().split()
        if len(parts) == 2 and parts[0] == "idle" and idle is not None:
            idle.set(int(parts[1]))
            say({"call": "idle-set", "ms": int(parts[1])})
        if len(parts) == 3 and parts[0] == "invoke":
            nid = int(parts[1])
            service.ActionInvoked(nid, parts[2])
            service.NotificationClosed(nid, 2)
            say({"call": "invoked", "id": nid, "action": parts[2]})


if __name__ == "__main__":
    asyncio.run(main())
