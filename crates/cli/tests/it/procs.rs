//! Child processes for the tests that need real ones: the `ambito` binary serving (to kill it
//! with SIGKILL, or to give it its own environment) and the OpenID provider under node.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A child killed (SIGKILL) and reaped when dropped. Its stderr goes to `log`.
pub struct Proc {
    child: Child,
    pub log: PathBuf,
}

impl Proc {
    /// Starts `cmd` and waits (up to `timeout`) for a stdout line starting with `prefix`; returns
    /// the rest of that line. Later stdout is drained so the child never blocks on a full pipe.
    pub fn start(mut cmd: Command, log: PathBuf, prefix: &'static str, timeout: Duration) -> (Proc, String) {
        let err = std::fs::File::create(&log).expect("log file");
        cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(err);
        let mut child = cmd.spawn().unwrap_or_else(|e| panic!("starting {cmd:?}: {e}"));
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix(prefix)
                    && let Some(tx) = tx.take()
                {
                    let _ = tx.send(rest.trim().to_string());
                }
            }
        });
        let mut proc = Proc { child, log };
        match rx.recv_timeout(timeout) {
            Ok(rest) => (proc, rest),
            Err(_) => {
                proc.kill();
                panic!("{cmd:?} did not print «{prefix}» in {timeout:?}; its stderr:\n{}", proc.stderr());
            }
        }
    }

    /// SIGKILL, then reap.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.kill();
    }
}

/// `ambito serve` against `db_url` on `listen`; returns the process and its base URL.
pub fn serve(db_url: &str, listen: &str, env: &[(&str, &str)], log: PathBuf) -> (Proc, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ambito"));
    cmd.args(["serve", "--listen", listen]).env("AMBITO_DATABASE_URL", db_url).env("RUST_LOG", "warn,ambito_web=info");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let (proc, url) = Proc::start(cmd, log, "ambito in ascolto su ", Duration::from_secs(60));
    (proc, url.trim_end_matches('/').to_string())
}

/// A port free at the time of asking, for a server whose own URL must be configured up front.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

/// The OpenID provider of `e2e/oidc/provider.mjs` on a free port; returns it and its issuer URL.
/// Its npm dependencies are installed by `scripts/test` (`npm ci` in e2e/oidc).
pub fn oidc_provider(log: PathBuf) -> (Proc, String) {
    let dir = workspace_root().join("e2e/oidc");
    assert!(
        dir.join("node_modules/oidc-provider").is_dir(),
        "the test OpenID provider is not installed: run `npm ci` in {} (scripts/test does)",
        dir.display()
    );
    let mut cmd = Command::new("node");
    cmd.arg(dir.join("provider.mjs")).args(["--port", "0"]).current_dir(&dir);
    Proc::start(cmd, log, "issuer ", Duration::from_secs(90))
}
