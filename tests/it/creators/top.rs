//! `GET /creators/top`: the leaderboard.

use creatoraudit::{Period, TopCreator, TopCreatorsParams};
use serde_json::{Value, json};

use super::{assert_none_hit, invalid_input, nothing_sent};
use crate::support::{BEARER, client, data, query, server};

// ---- top -----------------------------------------------------------------------------
#[test]
fn top_sends_period_and_limit_and_keeps_every_field() {
    let mut s = server();
    let m = s
        .mock("GET", "/v2/creators/top")
        .match_header("authorization", BEARER)
        .match_query(query("period=30d&limit=3"))
        .with_body(data(json!([
            {"id": "c1", "name": "Khaby", "rank": 1, "views": 1_250_000, "engagement_rate": 4.2,
             "accounts_summary": {"total": 2}},
            {"id": 42, "views": 900_000},
            {"name": null, "creator": {"id": "c3"}}
        ])))
        .expect(1)
        .create();
    let top = client(&s)
        .creators()
        .top(TopCreatorsParams::new().period(Period::Last30Days).limit(3))
        .unwrap();
    m.assert();
    assert_eq!(top.len(), 3);
    assert_eq!(top[0].id.as_deref(), Some("c1"));
    assert_eq!(top[0].name.as_deref(), Some("Khaby"));
    assert_eq!(top[0].number("views"), Some(1_250_000.0));
    assert_eq!(top[0].number("engagement_rate"), Some(4.2));
    assert_eq!(top[0].raw["accounts_summary"]["total"], 2);
    assert_eq!(top[1].id.as_deref(), Some("42"));
    assert_eq!(top[1].name, None);
    assert_eq!(top[2].id, None);
    assert_eq!(top[2].name, None);
    assert_eq!(top[2].get("creator").unwrap()["id"], "c3");
    // Nothing is lost: the entry serializes back to what the API sent.
    assert_eq!(
        serde_json::to_value(&top[1]).unwrap(),
        json!({"id": 42, "views": 900_000})
    );
}

#[test]
fn top_sends_no_parameter_unless_asked() {
    let mut s = server();
    let m = s
        .mock("GET", "/v2/creators/top")
        .match_query(query(""))
        .with_body(data(json!([])))
        .expect(1)
        .create();
    let empty = client(&s).creators().top(TopCreatorsParams::new()).unwrap();
    m.assert();
    assert!(empty.is_empty());
}

#[test]
fn top_accepts_the_limit_bounds_and_refuses_the_rest_before_sending() {
    let mut s = server();
    let one = s
        .mock("GET", "/v2/creators/top")
        .match_query(query("period=7d&limit=1"))
        .with_body(data(json!([{"id": "c1"}])))
        .expect(1)
        .create();
    let max = s
        .mock("GET", "/v2/creators/top")
        .match_query(query("limit=25"))
        .with_body(data(Value::Null))
        .expect(1)
        .create();
    let c = client(&s);
    let top = c
        .creators()
        .top(TopCreatorsParams::new().period(Period::Last7Days).limit(1))
        .unwrap();
    assert_eq!(top[0].id.as_deref(), Some("c1"));
    assert!(
        c.creators()
            .top(TopCreatorsParams::new().limit(25))
            .unwrap()
            .is_empty()
    );
    one.assert();
    max.assert();

    let mut s = server();
    let none = nothing_sent(&mut s);
    let c = client(&s);
    for bad in [0, 26, 200] {
        let msg = invalid_input(
            c.creators()
                .top(TopCreatorsParams::new().limit(bad))
                .unwrap_err(),
        );
        assert_eq!(msg, format!("limit: must be between 1 and 25, got {bad}"));
    }
    assert_none_hit(&none);
}

#[test]
fn a_top_creator_decodes_from_anything() {
    let t: TopCreator = serde_json::from_value(json!("just a string")).unwrap();
    assert_eq!(t.id, None);
    assert_eq!(t.raw, json!("just a string"));
    assert_eq!(t.get("id"), None);
}
