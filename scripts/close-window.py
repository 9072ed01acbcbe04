"""Asks the window titled argv[1] on $DISPLAY to close, as a window manager does when its
close button is clicked: a WM_DELETE_WINDOW client message. Exits 1 when no such window is
found. (The tray test uses it; WebDriver's own "close window" ends the session instead.)"""

import sys

from Xlib import X, display
from Xlib.protocol import event


def find(d, window, title):
    try:
        name = window.get_wm_name()
    except Exception:  # noqa: BLE001 - a window gone meanwhile
        name = None
    if name == title:
        return window
    try:
        children = window.query_tree().children
    except Exception:  # noqa: BLE001
        return None
    for child in children:
        found = find(d, child, title)
        if found is not None:
            return found
    return None


def main():
    title = sys.argv[1]
    d = display.Display()
    window = find(d, d.screen().root, title)
    if window is None:
        print(f"no window titled {title!r}", file=sys.stderr)
        sys.exit(1)
    protocols = d.intern_atom("WM_PROTOCOLS")
    delete = d.intern_atom("WM_DELETE_WINDOW")
    message = event.ClientMessage(window=window, client_type=protocols, data=(32, [delete, X.CurrentTime, 0, 0, 0]))
    window.send_event(message, event_mask=X.NoEventMask)
    d.flush()


if __name__ == "__main__":
    main()
