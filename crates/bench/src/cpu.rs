//! CPU time spent by each party of a throughput phase, from /proc: the load
//! generator (this process), its exited children (pgbench), the API server, and
//! the database (the postmaster, its live backends and the ones it has reaped).
//! On a machine where all of them share the same cores, this says where the time went.

use std::collections::HashMap;

use serde::Serialize;

/// CPU seconds per party at one moment.
#[derive(Clone, Copy, Debug, Default)]
pub struct Snapshot {
    this_process: f64,
    exited_children: f64,
    server: f64,
    database: Option<f64>,
}

/// CPU microseconds per request, per party.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct PerRequest {
    /// The load generator: this process for HTTP, pgbench for pgbench.
    pub client_us: f64,
    /// `tenantbase serve` (zero for pgbench).
    pub server_us: f64,
    /// PostgreSQL, when it runs on this machine as the private cluster.
    pub database_us: Option<f64>,
}

impl PerRequest {
    pub fn total_us(&self) -> f64 {
        self.client_us + self.server_us + self.database_us.unwrap_or(0.0)
    }
}

/// Reads the parties' CPU times: `server` the API server's pid, `postmaster` the database's.
#[derive(Clone, Copy, Debug)]
pub struct Meter {
    pub server: Option<u32>,
    pub postmaster: Option<i32>,
}

struct Stat {
    ppid: i32,
    own: f64,
    reaped_children: f64,
}

fn stat(pid: &str) -> Option<Stat> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces: fields start after its closing parenthesis.
    let fields: Vec<&str> = text.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = nix::unistd::sysconf(nix::unistd::SysconfVar::CLK_TCK).ok().flatten().unwrap_or(100) as f64;
    let field = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0) / ticks;
    Some(Stat {
        ppid: fields.get(1)?.parse().ok()?,
        own: field(11) + field(12),
        reaped_children: field(13) + field(14),
    })
}

impl Meter {
    pub fn snapshot(&self) -> Snapshot {
        let me = stat("self");
        Snapshot {
            this_process: me.as_ref().map(|s| s.own).unwrap_or(0.0),
            exited_children: me.as_ref().map(|s| s.reaped_children).unwrap_or(0.0),
            server: self.server.and_then(|pid| stat(&pid.to_string())).map(|s| s.own).unwrap_or(0.0),
            database: self.postmaster.map(database_seconds),
        }
    }
}

fn database_seconds(postmaster: i32) -> f64 {
    let mut total = stat(&postmaster.to_string()).map(|s| s.own + s.reaped_children).unwrap_or(0.0);
    let processes: HashMap<String, Stat> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| name.bytes().all(|b| b.is_ascii_digit()))
        .filter_map(|pid| stat(&pid).map(|s| (pid, s)))
        .collect();
    total += processes.values().filter(|s| s.ppid == postmaster).map(|s| s.own).sum::<f64>();
    total
}

/// What one phase cost: `pgbench` says whether the client was a child process.
pub fn per_request(before: Snapshot, after: Snapshot, requests: u64, pgbench: bool) -> PerRequest {
    let per = |seconds: f64| seconds * 1e6 / requests.max(1) as f64;
    PerRequest {
        client_us: per(if pgbench {
            after.exited_children - before.exited_children
        } else {
            after.this_process - before.this_process
        }),
        server_us: if pgbench { 0.0 } else { per(after.server - before.server) },
        database_us: match (before.database, after.database) {
            (Some(b), Some(a)) => Some(per(a - b)),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_has_a_parent_and_spends_cpu() {
        let before = stat("self").expect("/proc/self/stat parses");
        assert!(before.ppid > 0);
        let mut x = 0u64;
        let started = std::time::Instant::now();
        while started.elapsed() < std::time::Duration::from_millis(50) {
            x = x.wrapping_add(std::hint::black_box(1));
        }
        assert!(x > 0);
        let after = stat("self").unwrap();
        assert!(after.own >= before.own);
        let spent = per_request(
            Meter { server: None, postmaster: None }.snapshot(),
            Meter { server: None, postmaster: None }.snapshot(),
            1,
            false,
        );
        assert!(spent.client_us >= 0.0 && spent.server_us == 0.0 && spent.database_us.is_none());
    }
}
