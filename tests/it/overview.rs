//! `GET /overview`: the period sent, and the comparison decoded.

use creatoraudit::Period;
use creatoraudit::testing::fixtures;
use serde_json::{Value, json};

use crate::support::{client, data, query, server};

#[test]
fn overview_sends_the_period_and_decodes_the_comparison() {
    let mut overview = fixtures::overview();
    overview["changes"]["tracked_videos_pct"] = Value::Null;
    let mut s = server();
    let m = s
        .mock("GET", "/v2/overview")
        .match_query(query("period=30d"))
        .with_body(data(overview))
        .expect(1)
        .create();
    let o = client(&s).overview(Period::Last30Days).unwrap();
    m.assert();
    assert_eq!(o.current.total_views, Some(1_250_000));
    assert_eq!(o.current.engagement_rate, Some(4.2));
    assert_eq!(o.previous.active_accounts, Some(16));
    assert_eq!(o.changes.total_views_pct, Some(25.0));
    assert_eq!(o.changes.tracked_videos_pct, None);
}

#[test]
fn a_minimal_overview_decodes() {
    let mut s = server();
    s.mock("GET", "/v2/overview")
        .match_query(query("period=7d"))
        .with_body(data(
            json!({"type": "overview", "current": null, "surprise": 1}),
        ))
        .create();
    let o = client(&s).overview(Period::default()).unwrap();
    assert_eq!(o.current.total_views, None);
    assert_eq!(o.changes.total_views_pct, None);
}

#[test]
fn counts_sent_as_floats_decode() {
    let mut overview = fixtures::overview();
    overview["current"]["total_views"] = json!(1_250_000.0);
    overview["current"]["active_accounts"] = json!(18.0);
    overview["previous"]["tracked_videos"] = json!(30.0);
    let mut s = server();
    let m = s
        .mock("GET", "/v2/overview")
        .match_query(query("period=90d"))
        .with_body(data(overview))
        .expect(1)
        .create();
    let o = client(&s).overview(Period::Last90Days).unwrap();
    m.assert();
    assert_eq!(o.current.total_views, Some(1_250_000));
    assert_eq!(o.current.active_accounts, Some(18));
    assert_eq!(o.previous.tracked_videos, Some(30));
    assert_eq!(o.previous.total_views, Some(1_000_000));
}
