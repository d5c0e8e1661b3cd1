//! `GET /creators/{id}/analytics`: one creator's analytics over a date range.

use creatoraudit::{DateRange, Error};
use mockito::Matcher;
use serde_json::json;

use super::{date, invalid_input};
use crate::support::{BEARER, client, query, server};

// ---- analytics -----------------------------------------------------------------------
#[test]
fn analytics_sends_the_dates_and_keeps_the_response() {
    let mut s = server();
    let body = json!({
        "data": {"type": "creator_analytics", "views": 3_400_000, "likes": 210_000,
                 "comments": 4_100, "shares": 9_800, "followers": 165_300_000u64,
                 "daily": [{"date": "2026-05-16", "views": 110_000}]},
        "meta": {"start_date": "2026-05-16", "end_date": "2026-06-15"}
    });
    let m = s
        .mock("GET", "/v2/creators/c1/analytics")
        .match_header("authorization", BEARER)
        .match_query(query("start_date=2026-05-16&end_date=2026-06-15"))
        .with_body(body.to_string())
        .expect(1)
        .create();
    let a = client(&s)
        .creators()
        .analytics(
            "c1",
            DateRange::new(date("2026-05-16"), date("2026-06-15")).unwrap(),
        )
        .unwrap();
    m.assert();
    assert_eq!(a.creator_id, "c1");
    assert_eq!(a.start_date, date("2026-05-16"));
    assert_eq!(a.end_date, date("2026-06-15"));
    assert_eq!(a.data, body["data"]);
    assert_eq!(a.number("views"), Some(3_400_000.0));
    assert_eq!(a.get("daily").unwrap()[0]["date"], "2026-05-16");
    assert_eq!(a.number("type"), None);
    assert_eq!(a.extra["meta"]["end_date"], "2026-06-15");
}

#[test]
fn analytics_without_an_envelope_keeps_the_whole_body() {
    let mut s = server();
    let m = s
        .mock("GET", "/v2/creators/c1/analytics")
        .match_query(query("start_date=2026-06-15&end_date=2026-06-15"))
        .with_body(json!([{"date": "2026-06-15", "views": 5}]).to_string())
        .expect(1)
        .create();
    let day = date("2026-06-15");
    let a = client(&s)
        .creators()
        .analytics("c1", DateRange::new(day, day).unwrap())
        .unwrap();
    m.assert();
    assert_eq!(a.data[0]["views"], 5);
    assert!(a.extra.is_empty());
    assert_eq!(a.number("views"), None);
}

#[test]
fn a_date_range_with_its_start_after_its_end_cannot_be_built() {
    // The range is refused when it is built, so no analytics call can carry it.
    let err = DateRange::new(date("2026-06-16"), date("2026-06-15")).unwrap_err();
    let msg = invalid_input(err);
    assert!(
        msg.contains("start_date") && msg.contains("end_date"),
        "{msg}"
    );
    assert_eq!(
        msg,
        "start_date, end_date: start_date 2026-06-16 is after end_date 2026-06-15"
    );
}

#[test]
fn analytics_reports_a_body_that_is_not_json() {
    let mut s = server();
    s.mock("GET", "/v2/creators/c1/analytics")
        .match_query(Matcher::Any)
        .with_body("<html>oops</html>")
        .expect(1)
        .create();
    let day = date("2026-06-15");
    let err = client(&s)
        .creators()
        .analytics("c1", DateRange::new(day, day).unwrap())
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}
