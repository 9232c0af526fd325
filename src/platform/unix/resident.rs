//! Keeps the daemon's resident set to what its loop uses.
//!
//! The daemon shares its executable with the window, and starting up runs
//! code from all over it (argument parsing, settings, SQLite, D-Bus, the
//! tray). The kernel maps that code in, plus its neighbours ("fault-around"),
//! and the pages stay counted in the daemon's resident set for the whole day
//! although the loop never runs most of them again. Once started, the daemon
//! drops its executable's code pages from its page tables; the few the loop
//! needs come back from the page cache on first use.

use std::path::Path;

/// Address ranges of the executable code mapped from `exe`, read from the
/// text of `/proc/self/maps`. Only read-execute private mappings qualify:
/// they are never written, so dropping them loses nothing.
pub fn code_ranges(maps: &str, exe: &Path) -> Vec<(usize, usize)> {
    maps.lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let range = fields.next()?;
            let perms = fields.next()?;
            // offset, device, inode, then the path (which may hold spaces).
            let path = fields.nth(3)?;
            let rest: Vec<&str> = fields.collect();
            let path = if rest.is_empty() {
                path.to_owned()
            } else {
                format!("{path} {}", rest.join(" "))
            };
            if perms != "r-xp" || Path::new(&path) != exe {
                return None;
            }
            let (start, end) = range.split_once('-')?;
            let start = usize::from_str_radix(start, 16).ok()?;
            let end = usize::from_str_radix(end, 16).ok()?;
            (end > start).then_some((start, end))
        })
        .collect()
}

/// Drops this process's executable code pages from its resident set.
/// Best effort: on any failure the pages simply stay.
pub fn release_startup_code() {
    let (Ok(exe), Ok(maps)) = (
        std::fs::read_link("/proc/self/exe"),
        std::fs::read_to_string("/proc/self/maps"),
    ) else {
        return;
    };
    for (start, end) in code_ranges(&maps, &exe) {
        // SAFETY: the range is a read-execute private file mapping of our
        // own executable, never written; MADV_DONTNEED only unmaps its pages,
        // which fault back in unchanged from the file on next use (a running
        // executable cannot be written to: ETXTBSY).
        let rc =
            unsafe { libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_DONTNEED) };
        if rc != 0 {
            tracing::debug!(
                "releasing start-up code failed: {}",
                std::io::Error::last_os_error()
            );
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAPS: &str = "\
55d0c0000000-55d0c0400000 r--p 00000000 fd:01 1234 /opt/rebalance/bin/rebalance
55d0c0400000-55d0c1000000 r-xp 00400000 fd:01 1234 /opt/rebalance/bin/rebalance
55d0c1000000-55d0c1200000 r--p 01000000 fd:01 1234 /opt/rebalance/bin/rebalance
55d0c1200000-55d0c1210000 rw-p 01200000 fd:01 1234 /opt/rebalance/bin/rebalance
7f0000000000-7f0000100000 r-xp 00000000 fd:01 99 /usr/lib/x86_64-linux-gnu/libc.so.6
7f0000200000-7f0000300000 rw-p 00000000 00:00 0
7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0 [stack]
";

    #[test]
    fn only_the_executables_code_is_picked() {
        assert_eq!(
            code_ranges(MAPS, Path::new("/opt/rebalance/bin/rebalance")),
            vec![(0x55d0c0400000, 0x55d0c1000000)]
        );
    }

    #[test]
    fn paths_with_spaces_are_matched_whole() {
        let maps = "1000-2000 r-xp 00000000 fd:01 7 /home/a b/rebalance\n";
        assert_eq!(
            code_ranges(maps, Path::new("/home/a b/rebalance")),
            vec![(0x1000, 0x2000)]
        );
        assert!(code_ranges(maps, Path::new("/home/a")).is_empty());
    }
}
