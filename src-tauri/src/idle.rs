//! How long the desktop has had no input, where it says: GNOME's Mutter
//! (`org.gnome.Mutter.IdleMonitor.GetIdletime`, in milliseconds), else the freedesktop screen
//! saver that KDE Plasma and others offer (`org.freedesktop.ScreenSaver.GetSessionIdleTime`,
//! in seconds). Read while a study timer runs, so idle stretches inside it are asked about
//! when it stops. Elsewhere (no such service, X11 without either): nothing is read.

/// Seconds without input, and the source that said so; `None` where no source answers.
#[cfg(target_os = "linux")]
pub fn seconds() -> Option<(i64, &'static str)> {
    let c = zbus::blocking::Connection::session().ok()?;
    let mutter = c
        .call_method(
            Some("org.gnome.Mutter.IdleMonitor"),
            "/org/gnome/Mutter/IdleMonitor/Core",
            Some("org.gnome.Mutter.IdleMonitor"),
            "GetIdletime",
            &(),
        )
        .ok()
        .and_then(|m| m.body().deserialize::<u64>().ok());
    if let Some(ms) = mutter {
        return Some((i64::try_from(ms / 1000).ok()?, "GNOME (Mutter)"));
    }
    let saver = c
        .call_method(
            Some("org.freedesktop.ScreenSaver"),
            "/org/freedesktop/ScreenSaver",
            Some("org.freedesktop.ScreenSaver"),
            "GetSessionIdleTime",
            &(),
        )
        .ok()
        .and_then(|m| m.body().deserialize::<u32>().ok())?;
    Some((i64::from(saver), "org.freedesktop.ScreenSaver"))
}

#[cfg(not(target_os = "linux"))]
pub fn seconds() -> Option<(i64, &'static str)> {
    None
}
