//! How a user tests their own tool with `creatoraudit::testing` (feature `testing`).
//!
//! The "tool" here is two functions a user might write: a follower report and a bulk import
//! that skips rejected usernames. The tests below are written the way their author would.
#![cfg(feature = "testing")]

use creatoraudit::testing::{MockApi, fixtures};
use creatoraudit::{Client, ErrorCode, ListAccounts, NewAccount, Platform};
use serde_json::json;

// ---- the user's code -------------------------------------------------------------------

/// The `n` accounts with the most followers, largest first.
fn top_by_followers(client: &Client, n: usize) -> creatoraudit::Result<Vec<(String, u64)>> {
    let mut all = Vec::new();
    for account in client.accounts().list(ListAccounts::new().is_active(true)) {
        let account = account?;
        all.push((account.username, account.follower_count.unwrap_or(0)));
    }
    all.sort_by_key(|(_, followers)| std::cmp::Reverse(*followers));
    all.truncate(n);
    Ok(all)
}

/// Tracks each username; returns the ids created and the usernames the API rejected.
fn import(client: &Client, usernames: &[&str]) -> creatoraudit::Result<(Vec<String>, Vec<String>)> {
    let (mut created, mut rejected) = (Vec::new(), Vec::new());
    for name in usernames {
        match client
            .accounts()
            .create(&NewAccount::new(Platform::TikTok, *name))
        {
            Ok(account) => created.push(account.id),
            Err(e) if e.code() == Some(&ErrorCode::ValidationError) => {
                rejected.push((*name).to_owned())
            }
            Err(e) => return Err(e),
        }
    }
    Ok((created, rejected))
}

// ---- the user's tests ------------------------------------------------------------------

#[test]
fn report_walks_every_page() {
    let mut api = MockApi::start();
    let accounts = (0..450)
        .map(|i| {
            let mut a = fixtures::account(&format!("id-{i}"), &format!("user{i}"));
            a["follower_count"] = json!(i * 10);
            a
        })
        .collect();
    let pages = api.mock_list("/accounts", accounts, 200);

    let top = top_by_followers(&api.client(), 3).unwrap();

    assert_eq!(
        top,
        [
            ("user449".to_owned(), 4490),
            ("user448".to_owned(), 4480),
            ("user447".to_owned(), 4470)
        ]
    );
    assert_eq!(pages.len(), 3);
    for page in &pages {
        page.assert(); // each page fetched exactly once
    }
}

#[test]
fn report_survives_a_rate_limit() {
    let mut api = MockApi::start();
    let (limited, ok) = api.mock_rate_limited_then("GET", "/whoami", 2, fixtures::whoami("org_1"));
    let client = api.client();

    let me = client.whoami_with_meta().unwrap();

    assert_eq!(me.value.organization_id, "org_1");
    assert_eq!(me.meta.attempts, 2);
    assert_eq!(
        me.meta.retry_delays,
        [std::time::Duration::from_secs(2)],
        "the wait the server asked for was honoured (without sleeping in the test)"
    );
    limited.assert();
    ok.assert();
}

#[test]
fn report_passes_api_errors_through() {
    let mut api = MockApi::start();
    api.mock_error(
        "GET",
        "/accounts",
        403,
        ErrorCode::Forbidden,
        "API key is disabled.",
    );

    let err = top_by_followers(&api.client(), 3).unwrap_err();

    assert_eq!(err.code(), Some(&ErrorCode::Forbidden));
    assert_eq!(err.request_id(), Some("req_test_error"));
}

#[test]
fn import_skips_rejected_usernames() {
    let mut api = MockApi::start();
    api.server()
        .mock("POST", "/v2/accounts")
        .match_body(mockito::Matcher::PartialJson(
            json!({"username": "ok_user"}),
        ))
        .with_status(201)
        .with_body(json!({"data": fixtures::account("new-1", "ok_user")}).to_string())
        .create();
    api.server()
        .mock("POST", "/v2/accounts")
        .match_body(mockito::Matcher::PartialJson(
            json!({"username": "bad name"}),
        ))
        .with_status(422)
        .with_body(fixtures::validation_problem(&[("username", "is invalid")]).to_string())
        .create();

    let (created, rejected) = import(&api.client(), &["ok_user", "bad name"]).unwrap();

    assert_eq!(created, ["new-1"]);
    assert_eq!(rejected, ["bad name"]);
}

#[test]
fn fixtures_decode_into_the_models() {
    let mut api = MockApi::start();
    api.mock_data("GET", "/accounts/a1", fixtures::account("a1", "khaby"));
    api.mock_data("GET", "/overview", fixtures::overview());
    api.mock_data("GET", "/meta", fixtures::api_meta());
    let c = api.client();
    assert_eq!(c.accounts().get("a1").unwrap().username, "khaby");
    assert_eq!(
        c.overview(creatoraudit::Period::Last7Days)
            .unwrap()
            .changes
            .total_views_pct,
        Some(25.0)
    );
    assert!(c.meta().unwrap().is_current());
    let video: creatoraudit::Video = serde_json::from_value(fixtures::video("v1")).unwrap();
    assert_eq!(video.saved_count, Some(7_800));
}

#[test]
fn an_empty_listing_is_one_empty_page() {
    let mut api = MockApi::start();
    let pages = api.mock_list("/videos", vec![], 200);
    assert_eq!(
        api.client()
            .videos()
            .list(creatoraudit::ListVideos::new())
            .count(),
        0
    );
    pages[0].assert();
}
