//! One app per data folder: a second launch on the same folder brings the running window
//! forward and exits. The claim is a name on the session bus derived from the data folder
//! (two folders, two apps: the tests run several at once); without a session bus the app
//! starts without one.

use std::sync::Mutex;
use std::sync::mpsc::{Receiver, Sender, channel};

use tauri::{AppHandle, Manager, Runtime};

/// The running app's answer to a second launch.
struct Instance {
    focus: Sender<()>,
}

#[zbus::interface(name = "app.roadmap_planner.Instance")]
impl Instance {
    /// A second launch asks the window forward.
    fn focus(&self) {
        let _ = self.focus.send(());
    }
}

const PATH: &str = "/app/roadmap_planner/Instance";

/// What claiming the data folder came to.
pub enum Claim {
    /// This is the one app on the folder: focus requests arrive on the receiver while the
    /// connection lives.
    First(zbus::blocking::Connection, Receiver<()>),
    /// Another app runs on the folder and was asked to come forward.
    Second,
    /// No session bus (or it refused): start without the claim.
    Unclaimed(String),
}

/// The bus name for `folder`: FNV-1a of its path, in hex.
fn name_for(folder: &std::path::Path) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in folder.as_os_str().as_encoded_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("app.roadmap_planner.Instance.d{h:016x}")
}

/// Claims `folder` for this process.
pub fn claim(folder: &std::path::Path) -> Claim {
    let folder = folder
        .canonicalize()
        .unwrap_or_else(|_| folder.to_path_buf());
    let name = name_for(&folder);
    let connection = match zbus::blocking::Connection::session() {
        Ok(c) => c,
        Err(e) => return Claim::Unclaimed(format!("no session bus ({e})")),
    };
    let (tx, rx) = channel();
    if let Err(e) = connection.object_server().at(PATH, Instance { focus: tx }) {
        return Claim::Unclaimed(e.to_string());
    }
    use zbus::fdo::{RequestNameFlags, RequestNameReply};
    let flags = RequestNameFlags::DoNotQueue.into();
    let Ok(well_known) = zbus::names::WellKnownName::try_from(name.as_str()) else {
        return Claim::Unclaimed(format!("{name} is not a bus name"));
    };
    match connection.request_name_with_flags(well_known.clone(), flags) {
        Ok(RequestNameReply::PrimaryOwner | RequestNameReply::AlreadyOwner) => {
            Claim::First(connection, rx)
        }
        Ok(_) | Err(zbus::Error::NameTaken) => {
            let asked = connection.call_method(
                Some(well_known),
                PATH,
                Some("app.roadmap_planner.Instance"),
                "Focus",
                &(),
            );
            match asked {
                Ok(_) => Claim::Second,
                Err(e) => Claim::Unclaimed(format!("the running app did not answer ({e})")),
            }
        }
        Err(e) => Claim::Unclaimed(e.to_string()),
    }
}

/// The claim `run` made, kept for [`answer`] (absent under the tests' mock runtime).
pub struct Claimed(pub Mutex<Option<(zbus::blocking::Connection, Receiver<()>)>>);

/// Brings the window forward whenever a second launch asks, for as long as the app runs.
pub fn answer<R: Runtime>(app: &AppHandle<R>) {
    let Some(claimed) = app.try_state::<Claimed>() else {
        return;
    };
    let Some((connection, focus)) = claimed.0.lock().ok().and_then(|mut c| c.take()) else {
        return;
    };
    let handle = app.clone();
    std::thread::spawn(move || {
        // The connection answers second launches for as long as this thread lives.
        let _connection = connection;
        while focus.recv().is_ok() {
            crate::window::bring_forward(&handle);
        }
    });
}
