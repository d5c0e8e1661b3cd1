//! The batch metrics endpoints (`videos().metrics()`/`deltas()`, `accounts().metrics()`,
//! `account_videos().metrics()`) against a mock server: exact bodies, decoding, chunking of
//! large id sets and validation before any request. That the read-only batch POSTs are
//! retried is in `retries`.

use crate::support::{BEARER, JSON, PROBLEM_JSON, client, problem, server};
use creatoraudit::testing::fixtures::video_metrics;
use creatoraudit::{
    AccountMetricsRequest, AccountVideoMetricsRequest, Date, DateRange, Error, ErrorCode, Period,
    VideoDeltasRequest, VideoMetricsRequest,
};
use mockito::{Matcher, Mock, ServerGuard};
use serde_json::{Value, json};

/// A video UUID numbered `i`.
fn uuid(i: usize) -> String {
    format!("3c90c3cc-0d44-4b50-8888-{i:012}")
}

fn uuids(range: std::ops::Range<usize>) -> Vec<String> {
    range.map(uuid).collect()
}

/// A mock of `POST path` that insists on the exact JSON body, the JSON content type, the
/// key and no query string.
fn batch_mock(s: &mut ServerGuard, path: &str, body: Value) -> Mock {
    s.mock("POST", path)
        .match_query(Matcher::Missing)
        .match_header("content-type", JSON)
        .match_header("authorization", BEARER)
        .match_body(Matcher::Json(body))
        .with_header("content-type", JSON)
}

fn invalid_field(e: Error) -> String {
    match e {
        Error::InvalidInput(why) => why,
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

#[test]
fn video_metrics_sends_each_id_once_with_the_period_and_decodes_every_field() {
    let mut s = server();
    let (a, b, c) = (uuid(1), uuid(2), uuid(3));
    let m = batch_mock(
        &mut s,
        "/v2/videos/metrics",
        json!({"video_ids": [a, b, c], "period": "7d"}),
    )
    .with_body(
        json!({
            "data": {a.clone(): video_metrics(1_200_000), b.clone(): video_metrics(40_000)},
            "meta": {"period": "7d", "start_date": "2026-11-22", "end_date": "2026-11-28",
                     "days": 7, "not_found": [c]}
        })
        .to_string(),
    )
    .expect(1)
    .create();

    let request = VideoMetricsRequest::new([&a, &b, &c, &a]).period(Period::Last7Days);
    let batch = client(&s).videos().metrics(&request).unwrap();
    m.assert();

    assert_eq!(batch.data.len(), 2);
    let first = batch.get(&a).expect("a was found");
    assert_eq!(first.views, Some(1_200_000));
    assert_eq!(first.plays, Some(1_200_000));
    assert_eq!(first.likes, Some(60_000));
    assert_eq!(first.comments, Some(2_400));
    assert_eq!(first.shares, Some(4_800));
    assert_eq!(first.engagement, Some(67_200));
    assert!((first.engagement_rate().unwrap() - 5.6).abs() < 1e-9);
    assert!(first.extra.is_empty());
    assert_eq!(batch.get(&b).unwrap().views, Some(40_000));
    assert!(batch.get(&c).is_none());
    assert_eq!(batch.meta.period.as_deref(), Some("7d"));
    assert_eq!(
        batch.meta.start_date,
        Some(Date::new(2026, 11, 22).unwrap())
    );
    assert_eq!(batch.meta.end_date, Some(Date::new(2026, 11, 28).unwrap()));
    assert_eq!(batch.meta.days, Some(7));
    assert_eq!(batch.meta.not_found, vec![c]);
}

#[test]
fn the_default_period_is_not_sent_and_a_date_range_is_sent_as_custom() {
    let mut s = server();
    let id = uuid(1);
    let default = batch_mock(&mut s, "/v2/videos/metrics", json!({"video_ids": [id]}))
        .with_body(json!({"data": {}, "meta": {"period": "30d", "not_found": []}}).to_string())
        .expect(1)
        .create();
    let custom = batch_mock(
        &mut s,
        "/v2/videos/metrics",
        json!({"video_ids": [id], "period": "custom",
               "start_date": "2026-06-01", "end_date": "2026-06-30"}),
    )
    .with_body(json!({"data": {}, "meta": {"period": "custom", "days": 30}}).to_string())
    .expect(1)
    .create();

    let c = client(&s);
    let batch = c
        .videos()
        .metrics(&VideoMetricsRequest::new([&id]))
        .unwrap();
    assert_eq!(batch.meta.period.as_deref(), Some("30d"));
    let june = VideoMetricsRequest::new([&id])
        .period(Period::Last90Days) // replaced by the range
        .date_range(
            DateRange::new(
                Date::new(2026, 6, 1).unwrap(),
                Date::new(2026, 6, 30).unwrap(),
            )
            .unwrap(),
        );
    let batch = c.videos().metrics(&june).unwrap();
    assert_eq!(batch.meta.days, Some(30));
    default.assert();
    custom.assert();
}

#[test]
fn a_minimal_answer_with_nulls_and_unknown_members_decodes() {
    let mut s = server();
    let (a, b) = (uuid(1), uuid(2));
    let m = batch_mock(&mut s, "/v2/videos/metrics", json!({"video_ids": [a, b]}))
        .with_body(
            json!({
                "data": {a.clone(): {"views": 10, "plays": null, "saves": 3}, b.clone(): null},
                "meta": {"not_found": null, "cache": {"hit": true}},
                "links": {"self": "/v2/videos/metrics"}
            })
            .to_string(),
        )
        .expect(1)
        .create();

    let batch = client(&s)
        .videos()
        .metrics(&VideoMetricsRequest::new([&a, &b]))
        .unwrap();
    m.assert();
    let first = batch.get(&a).unwrap();
    assert_eq!(first.views, Some(10));
    assert_eq!(first.plays, None);
    assert_eq!(first.likes, None);
    assert_eq!(first.engagement_rate(), None);
    assert_eq!(first.extra["saves"], 3);
    // Found, with no values.
    assert_eq!(batch.get(&b).unwrap().views, None);
    assert!(batch.meta.not_found.is_empty());
    assert_eq!(batch.meta.period, None);
    assert_eq!(batch.meta.extra["cache"], json!({"hit": true}));
}

#[test]
fn an_answer_without_data_fails_the_call_instead_of_reading_as_nothing_found() {
    let mut s = server();
    let m = s
        .mock("POST", Matcher::Any)
        .with_header("content-type", JSON)
        .with_body(json!({"meta": {"period": "30d"}}).to_string())
        .expect(4)
        .create();
    let c = client(&s);
    let a = uuid(1);
    let decode = |r: creatoraudit::Result<()>, what: &str| match r {
        Err(Error::Decode(e)) => {
            let cause = std::error::Error::source(&*e).map(ToString::to_string);
            assert!(
                cause
                    .as_deref()
                    .is_some_and(|c| c.contains("missing field `data`")),
                "{what}: {e}: {cause:?}"
            );
        }
        other => panic!("{what}: expected Error::Decode, got {other:?}"),
    };
    decode(
        c.videos()
            .metrics(&VideoMetricsRequest::new([&a]))
            .map(drop),
        "videos().metrics",
    );
    decode(
        c.videos().deltas(&VideoDeltasRequest::new([&a])).map(drop),
        "videos().deltas",
    );
    decode(
        c.accounts()
            .metrics(&AccountMetricsRequest::new(["acc-1"]))
            .map(drop),
        "accounts().metrics",
    );
    decode(
        c.account_videos()
            .metrics(&AccountVideoMetricsRequest::new().tiktok_video_ids([7]))
            .map(drop),
        "account_videos().metrics",
    );
    m.assert();
}

#[test]
fn more_than_200_ids_are_sent_in_two_requests_and_merged() {
    let mut s = server();
    let ids = uuids(0..201);
    let found_first: serde_json::Map<String, Value> = ids[..199]
        .iter()
        .map(|id| (id.clone(), video_metrics(100)))
        .collect();
    let first = batch_mock(
        &mut s,
        "/v2/videos/metrics",
        json!({"video_ids": ids[..200], "period": "30d"}),
    )
    .with_body(
        json!({"data": found_first,
               "meta": {"period": "30d", "start_date": "2026-10-30", "end_date": "2026-11-28",
                        "days": 30, "not_found": [ids[199]]}})
        .to_string(),
    )
    .expect(1)
    .create();
    let second = batch_mock(
        &mut s,
        "/v2/videos/metrics",
        json!({"video_ids": [ids[200]], "period": "30d"}),
    )
    .with_body(
        json!({"data": {}, "meta": {"period": "30d", "days": 30, "not_found": [ids[200]]}})
            .to_string(),
    )
    .expect(1)
    .create();

    // Duplicates do not make a third request.
    let mut with_duplicates = ids.clone();
    with_duplicates.extend(ids[..50].iter().cloned());
    let batch = client(&s)
        .videos()
        .metrics(&VideoMetricsRequest::new(with_duplicates).period(Period::Last30Days))
        .unwrap();
    first.assert();
    second.assert();
    assert_eq!(batch.data.len(), 199);
    assert_eq!(batch.get(&ids[0]).unwrap().views, Some(100));
    assert_eq!(
        batch.meta.not_found,
        vec![ids[199].clone(), ids[200].clone()]
    );
    assert_eq!(
        batch.meta.start_date,
        Some(Date::new(2026, 10, 30).unwrap())
    );
    assert_eq!(batch.meta.days, Some(30));
}

#[test]
fn deltas_for_450_ids_take_three_requests_with_the_same_windows() {
    let mut s = server();
    let ids = uuids(0..450);
    let mut mocks = Vec::new();
    for (n, chunk) in ids.chunks(200).enumerate() {
        let data: serde_json::Map<String, Value> = chunk
            .iter()
            .skip(1)
            .map(|id| (id.clone(), json!({"1d": 5, "7d": -2, "30d": 100})))
            .collect();
        let windows = if n == 0 {
            json!([1, 7, 30])
        } else {
            json!([7])
        };
        mocks.push(
            batch_mock(
                &mut s,
                "/v2/videos/deltas",
                json!({"video_ids": chunk, "windows": [1, 7, 30]}),
            )
            .with_body(
                json!({"data": data,
                       "meta": {"windows": windows, "video_count": chunk.len() - 1,
                                "not_found": [chunk[0]]}})
                .to_string(),
            )
            .expect(1)
            .create(),
        );
    }

    let request = VideoDeltasRequest::new(ids.clone()).windows([1, 7, 7, 30, 1]);
    let batch = client(&s).videos().deltas(&request).unwrap();
    for m in &mocks {
        m.assert();
    }
    assert_eq!(batch.data.len(), 447);
    assert_eq!(batch.meta.video_count, Some(447));
    assert_eq!(batch.meta.windows, vec![1, 7, 30]);
    assert_eq!(
        batch.meta.not_found,
        vec![ids[0].clone(), ids[200].clone(), ids[400].clone()]
    );
    let d = batch.get(&ids[449]).unwrap();
    assert_eq!(d.days(7), Some(-2));
    assert_eq!(d.by_days(), vec![(1, 5), (7, -2), (30, 100)]);
}

#[test]
fn deltas_decode_negative_values_and_skip_nulls() {
    let mut s = server();
    let (a, b) = (uuid(1), uuid(2));
    let m = batch_mock(&mut s, "/v2/videos/deltas", json!({"video_ids": [a, b]}))
        .with_body(
            json!({
                "data": {a.clone(): {"1d": 1234, "7d": -40, "14d": null, "30d": 9012, "all": 1}},
                "meta": {"windows": [1, 7, 14, 30], "video_count": 1, "not_found": [b],
                         "generated_at": "2026-11-28T09:30:00Z"}
            })
            .to_string(),
        )
        .expect(1)
        .create();

    let batch = client(&s)
        .videos()
        .deltas(&VideoDeltasRequest::new([&a, &b]))
        .unwrap();
    m.assert();
    let d = batch.get(&a).unwrap();
    assert_eq!(d.days(1), Some(1234));
    assert_eq!(d.days(7), Some(-40));
    assert_eq!(d.days(14), None);
    assert_eq!(d.windows.get("all"), Some(&1));
    assert_eq!(d.by_days(), vec![(1, 1234), (7, -40), (30, 9012)]);
    assert_eq!(batch.meta.windows, vec![1, 7, 14, 30]);
    assert_eq!(batch.meta.video_count, Some(1));
    assert_eq!(batch.meta.not_found, vec![b]);
    assert_eq!(batch.meta.extra["generated_at"], "2026-11-28T09:30:00Z");
}

#[test]
fn account_metrics_send_account_ids_and_keep_raw_values() {
    let mut s = server();
    let m = batch_mock(
        &mut s,
        "/v2/accounts/metrics",
        json!({"account_ids": ["acc-1", "acc-2", "acc-3"], "period": "90d"}),
    )
    .with_body(
        json!({
            "data": {
                "acc-1": {"views": 5_000, "likes": 250, "followers_gained": 12},
                "acc-2": 17
            },
            "meta": {"period": "90d", "days": 90, "not_found": ["acc-3"]}
        })
        .to_string(),
    )
    .expect(1)
    .create();

    let batch = client(&s)
        .accounts()
        .metrics(
            &AccountMetricsRequest::new(["acc-1", "acc-2", "acc-3"]).period(Period::Last90Days),
        )
        .unwrap();
    m.assert();
    assert_eq!(batch.get("acc-1").unwrap()["followers_gained"], 12);
    let typed = batch.metrics("acc-1").unwrap();
    assert_eq!(typed.views, Some(5_000));
    assert_eq!(typed.likes, Some(250));
    assert_eq!(typed.extra["followers_gained"], 12);
    assert_eq!(batch.get("acc-2"), Some(&json!(17)));
    assert_eq!(batch.metrics("acc-2"), None);
    assert_eq!(batch.metrics("acc-3"), None);
    assert_eq!(batch.meta.days, Some(90));
    assert_eq!(batch.meta.not_found, vec!["acc-3"]);
}

#[test]
fn account_video_metrics_send_integer_ids_per_platform() {
    let mut s = server();
    let m = batch_mock(
        &mut s,
        "/v2/account-videos/metrics",
        json!({"instagram_post_ids": [1_204_551, 1_204_552], "tiktok_video_ids": [88_310_042],
               "period": "custom", "start_date": "2026-11-01", "end_date": "2026-11-30"}),
    )
    .with_body(
        json!({
            "data": {"1204551": video_metrics(9_000), "88310042": video_metrics(250_000)},
            "meta": {"period": "custom", "start_date": "2026-11-01", "end_date": "2026-11-30",
                     "days": 30, "not_found": [1_204_552]}
        })
        .to_string(),
    )
    .expect(1)
    .create();

    let request = AccountVideoMetricsRequest::new()
        .instagram_post_ids([1_204_551, 1_204_552, 1_204_551])
        .tiktok_video_ids([88_310_042])
        .date_range(
            DateRange::new(
                Date::new(2026, 11, 1).unwrap(),
                Date::new(2026, 11, 30).unwrap(),
            )
            .unwrap(),
        );
    let batch = client(&s).account_videos().metrics(&request).unwrap();
    m.assert();
    assert_eq!(batch.get("1204551").unwrap().views, Some(9_000));
    assert_eq!(batch.get("88310042").unwrap().plays, Some(250_000));
    // An integer in `not_found` is kept, as a string.
    assert_eq!(batch.meta.not_found, vec!["1204552"]);
}

#[test]
fn account_video_metrics_count_both_platforms_towards_a_chunk() {
    let mut s = server();
    let instagram: Vec<u64> = (1..=150).collect();
    let tiktok: Vec<u64> = (10_001..=10_100).collect();
    let first = batch_mock(
        &mut s,
        "/v2/account-videos/metrics",
        json!({"instagram_post_ids": instagram, "tiktok_video_ids": tiktok[..50]}),
    )
    .with_body(json!({"data": {"1": video_metrics(1)}, "meta": {"not_found": [2]}}).to_string())
    .expect(1)
    .create();
    // The second chunk holds only TikTok ids: the empty Instagram list is not sent.
    let second = batch_mock(
        &mut s,
        "/v2/account-videos/metrics",
        json!({"tiktok_video_ids": tiktok[50..]}),
    )
    .with_body(
        json!({"data": {"10100": video_metrics(2)}, "meta": {"not_found": [10_051]}}).to_string(),
    )
    .expect(1)
    .create();

    let batch = client(&s)
        .account_videos()
        .metrics(
            &AccountVideoMetricsRequest::new()
                .instagram_post_ids(instagram)
                .tiktok_video_ids(tiktok),
        )
        .unwrap();
    first.assert();
    second.assert();
    assert_eq!(batch.data.len(), 2);
    assert_eq!(batch.meta.not_found, vec!["2", "10051"]);
}

#[test]
fn invalid_requests_fail_before_any_request() {
    let mut s = server();
    let none = s.mock("POST", Matcher::Any).expect(0).create();
    let c = client(&s);
    let id = uuid(1);
    let (june_30, june_1) = (
        Date::new(2026, 6, 30).unwrap(),
        Date::new(2026, 6, 1).unwrap(),
    );
    let no_ids: [&str; 0] = [];

    let cases: Vec<(&str, Error)> = vec![
        (
            "video_ids",
            c.videos()
                .metrics(&VideoMetricsRequest::new(no_ids))
                .unwrap_err(),
        ),
        (
            "video_ids",
            c.videos()
                .metrics(&VideoMetricsRequest::new([""]))
                .unwrap_err(),
        ),
        (
            "video_ids",
            c.videos()
                .deltas(&VideoDeltasRequest::new(no_ids))
                .unwrap_err(),
        ),
        (
            "account_ids",
            c.accounts()
                .metrics(&AccountMetricsRequest::new(no_ids))
                .unwrap_err(),
        ),
        (
            "instagram_post_ids",
            c.account_videos()
                .metrics(&AccountVideoMetricsRequest::new().period(Period::Last7Days))
                .unwrap_err(),
        ),
        (
            "windows",
            c.videos()
                .deltas(&VideoDeltasRequest::new([&id]).windows([7, 0]))
                .unwrap_err(),
        ),
        (
            "windows",
            c.videos()
                .deltas(&VideoDeltasRequest::new([&id]).windows([366]))
                .unwrap_err(),
        ),
        (
            "windows",
            c.videos()
                .deltas(&VideoDeltasRequest::new([&id]).windows(1..=11))
                .unwrap_err(),
        ),
        (
            "windows",
            c.videos()
                .deltas(&VideoDeltasRequest::new([&id]).windows([]))
                .unwrap_err(),
        ),
        // A reversed range cannot reach a call: it is refused when it is built.
        ("start_date", DateRange::new(june_30, june_1).unwrap_err()),
        ("end_date", DateRange::new(june_30, june_1).unwrap_err()),
    ];
    for (field, err) in cases {
        let why = invalid_field(err);
        assert!(
            why.starts_with(field) || why.contains(field),
            "{field}: {why}"
        );
    }
    // Ten distinct windows (after removing duplicates) and a one-day range are fine.
    let ok = batch_mock(
        &mut s,
        "/v2/videos/deltas",
        json!({"video_ids": [id], "windows": [1, 2, 3, 4, 5, 6, 7, 8, 9, 365]}),
    )
    .with_body(json!({"data": {}, "meta": {}}).to_string())
    .expect(1)
    .create();
    c.videos()
        .deltas(&VideoDeltasRequest::new([&id]).windows([1, 2, 3, 4, 5, 6, 7, 8, 9, 365, 1]))
        .unwrap();
    ok.assert();
    none.assert();
}

#[test]
fn an_error_in_a_later_chunk_fails_the_call_and_is_not_retried() {
    let mut s = server();
    let ids = uuids(0..201);
    let first = batch_mock(
        &mut s,
        "/v2/videos/metrics",
        json!({"video_ids": ids[..200]}),
    )
    .with_body(json!({"data": {}, "meta": {}}).to_string())
    .expect(1)
    .create();
    let second = batch_mock(
        &mut s,
        "/v2/videos/metrics",
        json!({"video_ids": [ids[200]]}),
    )
    .with_status(422)
    .with_header("content-type", PROBLEM_JSON)
    .with_body(problem(
        422,
        "VALIDATION_ERROR",
        "video_ids: at most 200 items",
        "req_422",
    ))
    .expect(1)
    .create();
    let err = client(&s)
        .videos()
        .metrics(&VideoMetricsRequest::new(ids))
        .unwrap_err();
    first.assert();
    second.assert();
    assert_eq!(err.code(), Some(&ErrorCode::ValidationError));
    assert_eq!(err.request_id(), Some("req_422"));
}
