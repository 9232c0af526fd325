//! What the idle daemon costs, checked where a test can see it: the
//! bookkeeping it writes every minute without waiting for the disk is kept
//! like any other state. (scripts/footprint.sh measures the running daemon;
//! tests/platform_idle.rs checks that sampling idle time starts no thread.)

use rebalance::store::Store;

#[test]
fn bookkeeping_saved_without_waiting_for_the_disk_is_kept() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("rebalance.db");
    {
        let mut store = Store::open(&path).expect("open");
        store
            .save_state_unsynced("schedule", r#"{"last_seen":"2026-03-04T10:00:00Z"}"#)
            .expect("unsynced save");
        // Ordinary writes still work on the same connection afterwards.
        store
            .save_state("prompts", r#"{"posture":3}"#)
            .expect("synced save");
        store
            .save_state_unsynced("schedule", r#"{"last_seen":"2026-03-04T10:01:00Z"}"#)
            .expect("second unsynced save");
    }
    let store = Store::open(&path).expect("reopen");
    assert_eq!(
        store.load_state("schedule").expect("load").as_deref(),
        Some(r#"{"last_seen":"2026-03-04T10:01:00Z"}"#)
    );
    assert_eq!(
        store.load_state("prompts").expect("load").as_deref(),
        Some(r#"{"posture":3}"#)
    );
    let err = Store::open(&path)
        .expect("open")
        .save_state_unsynced("schedule", "not json")
        .expect_err("invalid JSON is refused");
    assert!(err.to_string().contains("not valid JSON"), "{err}");
}
