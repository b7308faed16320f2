//! Running the tricorder binary as a measured child: its wall time, exit
//! status, output and its own peak RSS. Shared by the `poll`, `index` and
//! `analyse` benchmarks (and `wait4` by `daemon`). Included with
//! `#[path = "support/child.rs"] mod child;`.
#![allow(dead_code)]

use std::io::Read;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

pub struct Run {
    pub wall: Duration,
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
    /// Peak RSS of the tricorder process alone, in bytes.
    pub peak_rss: Option<u64>,
    /// RSS of the helper that spawned it (a lower bound on `peak_rss`).
    pub floor_rss: Option<u64>,
    /// CPU time (user + system) of the tricorder process: on a machine
    /// that other work also loads, a steadier measure than wall time.
    pub cpu: Option<Duration>,
}

/// Waits for `child`; returns its raw wait status and its own peak RSS in bytes.
///
/// `wait4` reports exactly this child. Caveat: Linux carries the *spawning*
/// process's RSS high-water mark into the child at `exec`, so the child is
/// spawned from a small helper process (this executable re-run, see
/// [`helper_main`]) rather than from the benchmark, which holds a lot.
#[cfg(unix)]
pub fn wait_with_rusage(child: std::process::Child) -> (libc::c_int, u64, Duration) {
    let (status, usage) = wait4(child);
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec.max(0) as u64) + Duration::from_micros(t.tv_usec.max(0) as u64)
    };
    let cpu = time(usage.ru_utime) + time(usage.ru_stime);
    let kib_or_bytes = usage.ru_maxrss.max(0) as u64;
    // Linux reports KiB, macOS bytes.
    let peak = if cfg!(target_os = "macos") {
        kib_or_bytes
    } else {
        kib_or_bytes * 1024
    };
    (status, peak, cpu)
}

/// Reaps `child` with `wait4`: its raw wait status and its own rusage.
/// `wait4` reports exactly this child, unlike `getrusage(RUSAGE_CHILDREN)`,
/// which is a maximum over every child waited for so far.
#[cfg(unix)]
pub fn wait4(child: std::process::Child) -> (libc::c_int, libc::rusage) {
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain old data; all-zero is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: valid pointers to locals; pid is our own, not yet reaped child.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            break;
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            panic!("wait4({pid}) failed: {err}");
        }
    }
    // Reaped already; dropping the handle only releases it.
    drop(child);
    (status, usage)
}

/// Waits for `child` while draining its stdout and stderr.
pub fn collect(mut child: std::process::Child) -> (ExitStatus, String, String) {
    let mut out = child.stdout.take().expect("stdout pipe");
    let mut err = child.stderr.take().expect("stderr pipe");
    let out_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let status = child.wait().expect("wait for child");
    let stdout = String::from_utf8_lossy(&out_reader.join().unwrap_or_default()).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).into_owned();
    (status, stdout, stderr)
}

/// Env var that switches this executable into "spawn helper" mode.
pub const HELPER_ENV: &str = "TRICORDER_BENCH_HELPER_RESULT";

/// Helper mode: spawns the command in its arguments with inherited stdio and
/// writes `wall_ns peak_rss_bytes raw_status own_rss_bytes cpu_ns` to the file
/// named by the env var.
#[cfg(unix)]
pub fn helper_main(result_path: std::ffi::OsString) -> ! {
    let mut args = std::env::args_os().skip(1);
    let program = args.next().expect("helper: program to run");
    let own_hwm = proc_status_bytes("VmHWM:").unwrap_or(0);
    let started = Instant::now();
    let (status, peak, cpu) = match Command::new(&program).args(args).spawn() {
        Ok(child) => wait_with_rusage(child),
        Err(e) => {
            eprintln!("cannot start {}: {e}", program.to_string_lossy());
            (127 << 8, 0, Duration::ZERO) // the wait status of "exited with 127"
        }
    };
    let wall = started.elapsed();
    std::fs::write(
        &result_path,
        format!(
            "{} {peak} {status} {own_hwm} {}",
            wall.as_nanos(),
            cpu.as_nanos()
        ),
    )
    .expect("helper: write result");
    std::process::exit(0);
}

/// A `/proc/self/status` field given in kB (VmHWM, VmRSS), in bytes.
pub fn proc_status_bytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Runs `tricorder --config <config> <args>`.
#[cfg(unix)]
pub fn run_tricorder(bin: &str, config: &Path, args: &[&str], dir: &Path) -> Run {
    use std::os::unix::process::ExitStatusExt;
    let result_path = dir.join(".bench-run.result");
    let _ = std::fs::remove_file(&result_path);
    let helper = std::env::current_exe().expect("current_exe");
    let child = Command::new(helper)
        .env(HELPER_ENV, &result_path)
        .arg(bin)
        .arg("--config")
        .arg(config)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn benchmark helper");
    let (helper_status, stdout, stderr) = collect(child);
    let result = std::fs::read_to_string(&result_path).unwrap_or_default();
    let _ = std::fs::remove_file(&result_path);
    let fields: Vec<u64> = result
        .split_whitespace()
        .filter_map(|f| f.parse::<i64>().ok())
        .map(|v| v as u64)
        .collect();
    let [wall_ns, peak, raw_status, floor, cpu_ns] = fields[..] else {
        eprintln!("benchmark helper failed ({helper_status}):\n{stderr}");
        std::process::exit(1);
    };
    Run {
        wall: Duration::from_nanos(wall_ns),
        status: ExitStatus::from_raw(raw_status as i32),
        stdout,
        stderr,
        peak_rss: Some(peak),
        floor_rss: (floor > 0).then_some(floor),
        cpu: Some(Duration::from_nanos(cpu_ns)),
    }
}

#[cfg(not(unix))]
pub fn run_tricorder(bin: &str, config: &Path, args: &[&str], _dir: &Path) -> Run {
    let started = Instant::now();
    let child = Command::new(bin)
        .arg("--config")
        .arg(config)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn tricorder");
    let (status, stdout, stderr) = collect(child);
    Run {
        wall: started.elapsed(),
        status,
        stdout,
        stderr,
        peak_rss: None,
        floor_rss: None,
        cpu: None,
    }
}
