//! A real SMTP server (aiosmtpd, run by `tests/support/smtp_server.py`) on
//! 127.0.0.1 for the digest and daemon tests. `tests/run` installs Debian's
//! python3-aiosmtpd when it is missing.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub struct SmtpServer {
    pub port: u16,
    pub dir: PathBuf,
    creds: Option<String>,
    child: Option<Child>,
}

/// One received message: the envelope and the raw RFC 5322 text.
#[derive(Debug, Clone)]
pub struct Received {
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
    pub auth: Option<String>,
    pub raw: String,
}

fn python() -> String {
    std::env::var("TRICORDER_TEST_PYTHON").unwrap_or_else(|_| {
        if Path::new("/usr/bin/python3").exists() {
            "/usr/bin/python3".into()
        } else {
            "python3".into()
        }
    })
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl SmtpServer {
    /// Starts a server storing mail under `dir`; `creds` ("user:pass") requires AUTH.
    pub fn start(dir: &Path, creds: Option<&str>) -> SmtpServer {
        let mut s = SmtpServer {
            port: free_port(),
            dir: dir.to_owned(),
            creds: creds.map(str::to_owned),
            child: None,
        };
        s.restart();
        s
    }

    /// (Re)starts the server on the same port.
    pub fn restart(&mut self) {
        assert!(self.child.is_none(), "already running");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtp_server.py");
        let mut cmd = Command::new(python());
        cmd.arg(&script).arg(&self.dir).arg(self.port.to_string());
        if let Some(c) = &self.creds {
            cmd.arg(c);
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("cannot start the SMTP test server (is python3-aiosmtpd installed? tests/run installs it)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "READY", "SMTP test server did not start");
        self.child = Some(child);
    }

    /// Stops the server: connections are refused until `restart`.
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// "accept", "tempfail" (451) or "permfail" (554) for the next messages.
    pub fn set_mode(&self, mode: &str) {
        std::fs::write(self.dir.join("mode"), mode).unwrap();
    }

    pub fn messages(&self) -> Vec<Received> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
            .unwrap_or_default();
        names.retain(|p| p.extension().is_some_and(|e| e == "eml"));
        names.sort();
        names
            .into_iter()
            .map(|p| {
                let meta: serde_json::Value = serde_json::from_str(
                    &std::fs::read_to_string(p.with_extension("json")).unwrap(),
                )
                .unwrap();
                Received {
                    mail_from: meta["mail_from"].as_str().unwrap_or_default().to_owned(),
                    rcpt_tos: meta["rcpt_tos"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|v| v.as_str().unwrap().to_owned())
                        .collect(),
                    auth: meta["auth"].as_str().map(str::to_owned),
                    raw: std::fs::read_to_string(&p).unwrap(),
                }
            })
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
    }
}
