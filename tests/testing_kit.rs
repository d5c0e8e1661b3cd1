//! The test kit, `creatoraudit::testing` (feature `testing`): how a user tests their own tool
//! with it, and what the kit promises.
//!
//! The "tool" is a few functions a user might write: a follower report and a bulk import
//! that skips rejected usernames. Their tests are written the way their author would, on
//! `MockApi` (scripted answers) and on `FakeApi` (a stateful fake).
#![cfg(feature = "testing")]

use std::collections::HashSet;
use std::time::Duration;

use creatoraudit::testing::mockito::Matcher;
use creatoraudit::testing::{FakeApi, Fault, MockApi, fixtures};
use creatoraudit::{
    AccountOrder, Client, Conditional, Error, ErrorCode, ListAccountVideos, ListAccounts,
    ListCreators, ListVideos, NewAccount, NewCreator, NewVideo, OrderDirection, Period, Platform,
    UpdateCreator, VideoDeltasRequest, VideoMetricsRequest,
};
use serde_json::{Value, json};

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

fn all<T>(walk: impl Iterator<Item = creatoraudit::Result<T>>) -> Vec<T> {
    walk.collect::<creatoraudit::Result<_>>()
        .expect("the walk succeeds")
}

fn api_error(e: &Error) -> (u16, String) {
    let p = e.problem().expect("an API error");
    (p.status, p.code.as_str().to_owned())
}

// ---- MockApi -----------------------------------------------------------------------------

#[test]
fn mock_report_walks_every_page() {
    let mut api = MockApi::start();
    let accounts = (0..450)
        .map(|i| {
            let mut a = fixtures::account(&format!("id-{i}"), &format!("user{i}"));
            a["follower_count"] = json!(i * 10);
            a
        })
        .collect();
    let pages = api
        .mock_list("/accounts", &[("is_active", "true")], accounts, 200)
        .expect(3)
        .create();

    let top = top_by_followers(&api.client(), 3).unwrap();

    assert_eq!(
        top,
        [
            ("user449".to_owned(), 4490),
            ("user448".to_owned(), 4480),
            ("user447".to_owned(), 4470)
        ]
    );
    pages.assert(); // three pages, each fetched once
    let cursors: Vec<_> = api
        .requests()
        .iter()
        .map(|r| r.query_param("cursor").map(str::to_owned))
        .collect();
    assert_eq!(
        cursors,
        [None, Some("page-2".into()), Some("page-3".into())]
    );
}

#[test]
fn mock_lists_match_their_query() {
    let mut api = MockApi::start();
    let tiktok = api
        .mock_list(
            "/accounts",
            &[("platform", "tiktok")],
            vec![fixtures::account("t1", "tik")],
            200,
        )
        .expect(1)
        .create();
    let client = api.client();

    // A request without the filter is not answered by the TikTok list...
    let err = client
        .accounts()
        .list(ListAccounts::new())
        .next()
        .unwrap()
        .unwrap_err();
    assert_eq!(api_error(&err), (501, "NO_MOCK".into()));
    assert!(
        err.to_string()
            .contains("no mock for GET /v2/accounts?limit=200"),
        "{err}"
    );
    // ... nor one with an extra filter.
    let extra = ListAccounts::new()
        .platform(Platform::TikTok)
        .is_active(true);
    let err = client.accounts().list(extra).next().unwrap().unwrap_err();
    assert_eq!(err.status(), Some(501), "{err}");
    assert!(err.to_string().contains("no mock for GET"), "{err}");
    // The right query is.
    let names: Vec<_> = all(client
        .accounts()
        .list(ListAccounts::new().platform(Platform::TikTok)))
    .into_iter()
    .map(|a| a.username)
    .collect();
    assert_eq!(names, ["tik"]);
    tiktok.assert();

    // A cursor the mock did not issue is a 422 whose body repeats the header's request id.
    let mut api = MockApi::start();
    api.mock_list("/accounts", &[], vec![fixtures::account("a1", "one")], 200)
        .create();
    let err = api
        .client()
        .accounts()
        .list(ListAccounts::new())
        .resume_from("not-issued")
        .next()
        .unwrap()
        .unwrap_err();
    assert_eq!(api_error(&err), (422, "VALIDATION_ERROR".into()));
    let problem = err.problem().unwrap();
    assert_eq!(problem.request_id.as_deref(), Some("req_test"));
    assert_eq!(
        err.meta().and_then(|m| m.request_id.as_deref()),
        Some("req_test")
    );
    assert_eq!(problem.instance.as_deref(), Some("/v2/accounts"));
}

#[test]
fn mock_helpers_can_be_refined_before_creating() {
    let mut api = MockApi::start();
    api.mock_data("POST", "/accounts", fixtures::account("new-1", "ok_user"))
        .with_status(201)
        .match_body(Matcher::PartialJson(json!({"username": "ok_user"})))
        .create();
    api.mock_validation_error("POST", "/accounts", &[("username", "is invalid")])
        .match_body(Matcher::PartialJson(json!({"username": "bad name"})))
        .create();

    let (created, rejected) = import(&api.client(), &["ok_user", "bad name"]).unwrap();

    assert_eq!(created, ["new-1"]);
    assert_eq!(rejected, ["bad name"]);
    let sent: Vec<_> = api
        .requests()
        .iter()
        .map(|r| r.body.as_ref().unwrap()["username"].clone())
        .collect();
    assert_eq!(sent, [json!("ok_user"), json!("bad name")]);
}

#[test]
fn mock_unmatched_requests_name_the_request() {
    let api = MockApi::start();
    let err = api.client().whoami().unwrap_err();
    assert_eq!(api_error(&err), (501, "NO_MOCK".into()));
    assert!(
        err.to_string().contains("no mock for GET /v2/whoami"),
        "{err}"
    );
    assert_eq!(err.problem().unwrap().detail, "no mock for GET /v2/whoami");
    assert_eq!(api.requests().len(), 1, "not retried");
}

#[test]
fn mock_failures_then_success_keeps_the_idempotency_key() {
    let mut api = MockApi::start();
    let (failures, ok) = api
        .mock_failures_then("POST", "/accounts", 503, 2, fixtures::account("a1", "x"))
        .each(|m| m.match_body(Matcher::PartialJson(json!({"username": "x"}))))
        .create();

    let created = api
        .client()
        .accounts()
        .create_with_meta(&NewAccount::new(Platform::TikTok, "x"))
        .unwrap();

    assert_eq!(created.value.id, "a1");
    assert_eq!(created.meta.attempts, 3);
    failures.assert();
    ok.assert();
    let keys: HashSet<_> = api
        .requests()
        .iter()
        .map(|r| r.header("idempotency-key").unwrap().to_owned())
        .collect();
    assert_eq!(keys.len(), 1, "one key for the three attempts");
}

#[test]
fn mock_rate_limited_then_success() {
    let mut api = MockApi::start();
    let (limited, ok) = api
        .mock_rate_limited_then("GET", "/whoami", 2, fixtures::whoami("org_1"))
        .create();

    let me = api.client().whoami_with_meta().unwrap();

    assert_eq!(me.value.organization_id, "org_1");
    assert_eq!(me.meta.attempts, 2);
    assert_eq!(
        me.meta.retry_delays,
        [Duration::from_secs(2)],
        "the wait the server asked for was honoured (without sleeping in the test)"
    );
    limited.assert();
    ok.assert();
}

#[test]
fn mock_errors_pass_through() {
    let mut api = MockApi::start();
    api.mock_error(
        "GET",
        "/accounts",
        403,
        ErrorCode::Forbidden,
        "API key is disabled.",
    )
    .create();

    let err = top_by_followers(&api.client(), 3).unwrap_err();

    assert_eq!(err.code(), Some(&ErrorCode::Forbidden));
    assert_eq!(err.request_id(), Some("req_test_error"));
    assert_eq!(
        err.problem().unwrap().instance.as_deref(),
        Some("/v2/accounts")
    );
}

#[test]
fn mock_records_requests_without_the_key() {
    let mut api = MockApi::start();
    api.mock_data("GET", "/whoami", fixtures::whoami("org_1"))
        .create();
    api.client().whoami().unwrap();
    let r = &api.requests()[0];
    assert_eq!((r.method.as_str(), r.path.as_str()), ("GET", "/v2/whoami"));
    assert!(r.query.is_empty());
    assert_eq!(r.body, None);
    assert!(r.header("authorization").is_none());
    assert!(r.header("user-agent").unwrap().starts_with("creatoraudit"));
    assert!(!format!("{:?}", api.requests()).contains(creatoraudit::testing::TEST_API_KEY));
}

#[test]
fn fixtures_decode_into_the_models() {
    let mut api = MockApi::start();
    api.mock_data("GET", "/accounts/a1", fixtures::account("a1", "khaby"))
        .create();
    api.mock_data("GET", "/overview", fixtures::overview())
        .create();
    api.mock_data("GET", "/meta", fixtures::api_meta()).create();
    let c = api.client();
    assert_eq!(c.accounts().get("a1").unwrap().username, "khaby");
    assert_eq!(
        c.overview(Period::Last7Days)
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
fn an_empty_mock_listing_is_one_empty_page() {
    let mut api = MockApi::start();
    let page = api
        .mock_list("/videos", &[], vec![], 200)
        .expect(1)
        .create();
    assert_eq!(api.client().videos().list(ListVideos::new()).count(), 0);
    page.assert();
}

#[tokio::test]
async fn mock_api_starts_inside_a_tokio_runtime() {
    let mut api = MockApi::start_async().await;
    api.mock_data("GET", "/whoami", fixtures::whoami("org_async"))
        .create_async()
        .await;
    let client = api.client();
    // The client blocks: run it on a thread meant for blocking, not on a runtime worker.
    let me = tokio::task::spawn_blocking(move || client.whoami())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(me.organization_id, "org_async");
}

// ---- FakeApi -----------------------------------------------------------------------------

#[test]
fn fake_filtered_listing_yields_all_of_them_and_only_them() {
    let fake = FakeApi::start();
    let client = fake.client();
    let tiktok = all(client
        .accounts()
        .list(ListAccounts::new().platform(Platform::TikTok).limit(7)));
    assert_eq!(tiktok.len(), 24);
    assert!(tiktok.iter().all(|a| a.platform == Some(Platform::TikTok)));
    let ids: HashSet<_> = tiktok.iter().map(|a| a.id.clone()).collect();
    assert_eq!(ids.len(), 24, "no duplicates across pages");
    assert_eq!(fake.requests().len(), 4, "ceil(24 / 7) pages");
    for r in fake.requests() {
        assert_eq!(r.query_param("platform"), Some("tiktok"));
    }

    let everyone = all(client.accounts().list(ListAccounts::new()));
    assert_eq!(everyone.len(), 48);
    let paused = all(client.accounts().list(ListAccounts::new().is_active(false)));
    assert!(!paused.is_empty() && paused.iter().all(|a| a.is_active == Some(false)));
    let found = all(client.accounts().list(ListAccounts::new().q("SUNNY")));
    assert!(!found.is_empty() && found.iter().all(|a| a.username.contains("sunny")));
    let food = all(client.accounts().list(ListAccounts::new().category("food")));
    assert!(!food.is_empty() && food.iter().all(|a| a.category.as_deref() == Some("food")));
}

#[test]
fn fake_sorts_and_combines_filters() {
    let fake = FakeApi::start();
    let client = fake.client();
    let by_followers = all(client.accounts().list(
        ListAccounts::new()
            .platform(Platform::Instagram)
            .is_active(true)
            .order_by(AccountOrder::FollowerCount)
            .order_direction(OrderDirection::Desc)
            .limit(5),
    ));
    let followers: Vec<u64> = by_followers
        .iter()
        .map(|a| a.follower_count.unwrap())
        .collect();
    assert!(followers.windows(2).all(|w| w[0] >= w[1]), "{followers:?}");
    assert!(
        by_followers
            .iter()
            .all(|a| a.platform == Some(Platform::Instagram) && a.is_active == Some(true))
    );
    // Exactly the accounts the two filters together keep: none lost, none extra.
    let expected = all(client.accounts().list(ListAccounts::new()))
        .iter()
        .filter(|a| a.platform == Some(Platform::Instagram) && a.is_active == Some(true))
        .count();
    assert!(
        expected >= 2,
        "the seed has active Instagram accounts to sort"
    );
    assert_eq!(by_followers.len(), expected);

    let creator = &fake.creator_ids()[0];
    let linked = all(client
        .accounts()
        .list(ListAccounts::new().creator_id(creator)));
    assert_eq!(linked.len(), 2);
    let video_owner = &fake.account_ids()[0];
    let videos = all(client
        .videos()
        .list(ListVideos::new().account_id(video_owner)));
    assert!(!videos.is_empty());
    assert!(
        videos
            .iter()
            .all(|v| v.account_id.as_deref() == Some(video_owner.as_str()))
    );
    let posts = all(client
        .account_videos()
        .list(ListAccountVideos::new().account_id(video_owner)));
    assert_eq!(posts.len(), 4);

    let names: Vec<_> = all(client.creators().list(ListCreators::new().is_active(true)))
        .into_iter()
        .map(|c| c.name)
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "creators default to name, ascending");
    assert_eq!(names.len(), 7, "one of the eight is archived");
}

#[test]
fn fake_total_count_and_limits() {
    let fake = FakeApi::start();
    let client = fake.client();
    let page = client
        .accounts()
        .list(ListAccounts::new().include_total(true).limit(10))
        .pages()
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(page.items.len(), 10);
    assert_eq!(page.total_count, Some(48));
    assert!(page.has_next && page.next_cursor.is_some());

    for limit in ["0", "201", "ten"] {
        let err = client
            .request::<serde_json::Value>("GET", "accounts", &[("limit", limit)], None)
            .unwrap_err();
        assert_eq!(api_error(&err), (422, "VALIDATION_ERROR".into()));
        assert_eq!(err.problem().unwrap().errors[0].field, "limit");
    }
    let err = client
        .request::<serde_json::Value>("GET", "accounts", &[("order_by", "shoe_size")], None)
        .unwrap_err();
    assert_eq!(err.problem().unwrap().errors[0].field, "order_by");
}

#[test]
fn fake_walks_neither_repeat_nor_skip_when_records_come_and_go() {
    let fake = FakeApi::start();
    let client = fake.client();
    let seeded: HashSet<String> = fake.account_ids().into_iter().collect();

    // Newest first (the default sort): accounts created mid-walk land before the cursor.
    let mut walk = client.accounts().list(ListAccounts::new().limit(10));
    let mut seen: Vec<String> = walk.by_ref().take(10).map(|a| a.unwrap().id).collect();
    for name in ["mid.walk.1", "mid.walk.2", "mid.walk.3"] {
        client
            .accounts()
            .create(&NewAccount::new(Platform::TikTok, name))
            .unwrap();
    }
    seen.extend(walk.map(|a| a.unwrap().id));
    let unique: HashSet<String> = seen.iter().cloned().collect();
    assert_eq!(seen.len(), unique.len(), "no account twice");
    assert_eq!(
        unique, seeded,
        "every seeded account, none created mid-walk"
    );

    // Creators deleted from a page already handed out, its last one (the cursor's) too, do
    // not shift the next page.
    let all: Vec<String> = all(client.creators().list(ListCreators::new().limit(3)))
        .into_iter()
        .map(|c| c.id)
        .collect();
    let mut walk = client.creators().list(ListCreators::new().limit(3));
    let mut seen: Vec<String> = walk.by_ref().take(3).map(|c| c.unwrap().id).collect();
    client.creators().delete(&seen[0]).unwrap();
    client.creators().delete(&seen[2]).unwrap();
    seen.extend(walk.map(|c| c.unwrap().id));
    assert_eq!(seen, all);
}

#[test]
fn fake_cursors_are_bound_to_their_filters() {
    let fake = FakeApi::start();
    let client = fake.client();
    let page = client
        .accounts()
        .list(ListAccounts::new().platform(Platform::TikTok).limit(5))
        .pages()
        .next()
        .unwrap()
        .unwrap();
    let cursor = page.next_cursor.unwrap();

    // Same filters, another page size: fine.
    let same = client
        .request::<serde_json::Value>(
            "GET",
            "accounts",
            &[("platform", "tiktok"), ("limit", "3"), ("cursor", &cursor)],
            None,
        )
        .unwrap();
    assert_eq!(same["data"].as_array().unwrap().len(), 3);
    // Other filters: 422, as the docs say.
    let err = client
        .request::<serde_json::Value>(
            "GET",
            "accounts",
            &[("platform", "instagram"), ("cursor", &cursor)],
            None,
        )
        .unwrap_err();
    assert_eq!(api_error(&err), (422, "VALIDATION_ERROR".into()));
    assert_eq!(err.problem().unwrap().errors[0].field, "cursor");
    // A cursor it never issued: 422 too.
    let err = client
        .request::<serde_json::Value>("GET", "accounts", &[("cursor", "garbage!")], None)
        .unwrap_err();
    assert_eq!(api_error(&err).0, 422);

    // And a walk resumed from a saved cursor continues where it stopped.
    let rest = all(client
        .accounts()
        .list(ListAccounts::new().platform(Platform::TikTok).limit(5))
        .resume_from(cursor));
    assert_eq!(rest.len(), 24 - 5);
}

#[test]
fn fake_creates_are_consistent_with_later_reads() {
    let fake = FakeApi::start();
    let client = fake.client();
    let created = client
        .accounts()
        .create_with_meta(&NewAccount::new(Platform::Instagram, "brand.new").category("food"))
        .unwrap();
    assert_eq!(created.meta.status, Some(201));
    assert!(
        created.value.last_scrape_time.is_none(),
        "not refreshed yet"
    );
    assert_eq!(created.value.id, "a1000000-0000-4000-9000-000000000001");

    let again = client.accounts().get(&created.value.id).unwrap();
    assert_eq!(again.username, "brand.new");
    assert!(
        again.last_scrape_time.is_some(),
        "refreshed by the next read"
    );
    let listed = all(client
        .accounts()
        .list(ListAccounts::new().platform(Platform::Instagram).q("brand")));
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, created.value.id);
    assert_eq!(fake.account_ids().len(), 49);

    let posted = fake
        .requests()
        .into_iter()
        .find(|r| r.method == "POST")
        .unwrap();
    assert_eq!(
        posted.body,
        Some(json!({"platform": "instagram", "username": "brand.new", "category": "food"}))
    );

    let video = client
        .videos()
        .create(&NewVideo::new(
            Platform::Instagram,
            "https://www.instagram.com/p/Cabc123/",
        ))
        .unwrap();
    assert_eq!(video.shortcode.as_deref(), Some("Cabc123"));
    // Any read refreshes what was created before it, a batch metric as well as a listing.
    let metrics = client
        .videos()
        .metrics(&creatoraudit::VideoMetricsRequest::new([video.id.as_str()]))
        .unwrap();
    let views = metrics.data[&video.id].views;
    assert!(views.is_some_and(|v| v > 0), "refreshed: {views:?}");
    let accounts = client
        .accounts()
        .metrics(&creatoraudit::AccountMetricsRequest::new([created
            .value
            .id
            .as_str()]))
        .unwrap();
    assert!(accounts.data.contains_key(&created.value.id));
    let videos = all(client.videos().list(ListVideos::new()));
    assert_eq!(videos.len(), 37);
    assert_eq!(videos[0].id, video.id, "newest first by default");
}

#[test]
fn fake_location_header_points_at_the_new_record() {
    let fake = FakeApi::start();
    let answer: serde_json::Value = fake
        .client()
        .request("POST", "creators", &[], Some(&json!({"name": "Fresh"})))
        .unwrap();
    let id = answer["data"]["id"].as_str().unwrap();
    // The Location header is checked on the wire.
    let out = raw_post(&fake, "/v2/creators", r#"{"name":"Other"}"#);
    assert!(out.starts_with("HTTP/1.1 201"), "{out}");
    assert!(
        out.to_ascii_lowercase()
            .contains(&format!("location: {}/creators/", fake.base_url())),
        "{out}"
    );
    assert!(!id.is_empty());
}

#[test]
fn fake_idempotent_replay_creates_nothing_twice() {
    let fake = FakeApi::start();
    let client = fake.client();
    let new = NewAccount::new(Platform::TikTok, "once.only").idempotency_key("key-1");
    let first = client.accounts().create(&new).unwrap();
    let second = client.accounts().create(&new).unwrap();
    assert_eq!(first.id, second.id);
    assert_eq!(fake.account_ids().len(), 49, "one record, not two");

    // The same key with another body is refused.
    let other = NewAccount::new(Platform::TikTok, "someone.else").idempotency_key("key-1");
    let err = client.accounts().create(&other).unwrap_err();
    assert_eq!(api_error(&err), (409, "CONFLICT".into()));
    // Without a key, the same body again is a duplicate account.
    let err = client
        .accounts()
        .create(&NewAccount::new(Platform::TikTok, "once.only"))
        .unwrap_err();
    assert_eq!(api_error(&err), (409, "CONFLICT".into()));
}

#[test]
fn fake_validation_errors_name_the_field() {
    let fake = FakeApi::start();
    let client = fake.client();
    let err = client
        .accounts()
        .create(&NewAccount::new(Platform::Other("myspace".into()), "tom"))
        .unwrap_err();
    assert_eq!(api_error(&err), (422, "VALIDATION_ERROR".into()));
    let p = err.problem().unwrap();
    assert_eq!(p.errors[0].field, "platform");
    assert_eq!(p.errors[0].message, "must be one of: instagram, tiktok");
    assert!(p.request_id.as_deref().unwrap().starts_with("req_fake_"));
    assert_eq!(p.instance.as_deref(), Some("/v2/accounts"));

    let err = client
        .request::<serde_json::Value>("POST", "creators", &[], Some(&json!({"name": 7})))
        .unwrap_err();
    assert_eq!(err.problem().unwrap().errors[0].field, "name");
    let err = client
        .request::<serde_json::Value>("POST", "videos", &[], Some(&json!({})))
        .unwrap_err();
    let fields: Vec<_> = err
        .problem()
        .unwrap()
        .errors
        .iter()
        .map(|e| e.field.as_str())
        .collect();
    assert_eq!(fields, ["platform", "identifier"]);
}

#[test]
fn fake_not_found_and_auth() {
    let fake = FakeApi::start();
    let client = fake.client();
    let err = client.accounts().get("nope").unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(err.problem().unwrap().detail, "Account not found.");
    assert!(client.creators().get("nope").unwrap_err().is_not_found());

    let stranger = fake.client_builder().api_key("ca_wrong").build().unwrap();
    let err = stranger.whoami().unwrap_err();
    assert_eq!(api_error(&err), (401, "UNAUTHORIZED".into()));
    assert!(!err.to_string().contains("ca_wrong"));
    // Health and meta need no key.
    assert!(stranger.meta().unwrap().is_current());
    assert_eq!(stranger.health().unwrap().status, 200);
    let me = client.whoami().unwrap();
    assert_eq!(me.organization_id, "0b7e5c2a-3f4d-4e6b-9a81-5c2d7e9f1a30");
}

#[test]
fn fake_creators_link_update_delete() {
    let fake = FakeApi::start();
    let client = fake.client();
    let creators = client.creators();
    let creator = creators
        .create(&NewCreator::new("Linker").metadata([("team", "growth")]))
        .unwrap();
    let free = fake.account_ids()[20].clone(); // past the 16 seeded links
    let taken = fake.account_ids()[0].clone(); // linked to seeded creator 0

    assert!(creators.link_account(&creator.id, &free).unwrap().is_new());
    assert!(!creators.link_account(&creator.id, &free).unwrap().is_new());
    let err = creators.link_account(&creator.id, &taken).unwrap_err();
    assert_eq!(api_error(&err), (409, "CONFLICT".into()));
    let err = creators.link_account(&creator.id, "nope").unwrap_err();
    assert_eq!(api_error(&err), (404, "NOT_FOUND".into()));

    let read = creators.get(&creator.id).unwrap();
    assert_eq!(read.accounts_summary.unwrap().total, Some(1));
    assert_eq!(
        client.accounts().get(&free).unwrap().creator_id.as_deref(),
        Some(creator.id.as_str())
    );

    let updated = creators
        .update(&creator.id, &UpdateCreator::new().metadata([("tier", "A")]))
        .unwrap();
    assert_eq!(
        updated.metadata,
        json!({"tier": "A"}).as_object().unwrap().clone()
    );
    assert_eq!(updated.name, "Linker");

    creators.unlink_account(&creator.id, &free).unwrap();
    assert!(
        creators
            .unlink_account(&creator.id, &free)
            .unwrap_err()
            .is_not_found()
    );
    creators.delete(&creator.id).unwrap();
    assert!(creators.get(&creator.id).unwrap_err().is_not_found());
    assert!(creators.delete(&creator.id).unwrap_err().is_not_found());
}

#[test]
fn fake_etags_and_304() {
    let fake = FakeApi::start();
    let client = fake.client();
    let id = fake.creator_ids()[1].clone();
    let first = client.creators().get_with_meta(&id).unwrap();
    let etag = first.meta.etag.clone().expect("a strong ETag");
    assert!(etag.starts_with('"'));
    match client.creators().get_if_none_match(&id, &etag).unwrap() {
        Conditional::NotModified { .. } => {}
        Conditional::Modified { .. } => panic!("nothing changed"),
    }
    client
        .creators()
        .update(&id, &UpdateCreator::new().name("Renamed"))
        .unwrap();
    match client.creators().get_if_none_match(&id, &etag).unwrap() {
        Conditional::Modified { value, meta } => {
            assert_eq!(value.name, "Renamed");
            assert_ne!(meta.etag.as_deref(), Some(etag.as_str()));
        }
        Conditional::NotModified { .. } => panic!("it changed"),
    }
}

#[test]
fn fake_rate_limit_headers_and_request_ids() {
    let fake = FakeApi::start();
    let me = fake.client().whoami_with_meta().unwrap();
    let rl = me.meta.rate_limit.expect("rate-limit headers");
    assert_eq!(rl.limit, 1_000);
    assert_eq!(rl.remaining, 999);
    assert_eq!(me.meta.request_id.as_deref(), Some("req_fake_000001"));
}

#[test]
fn fake_rate_limit_windows_turn_over_when_its_clients_wait() {
    use creatoraudit::{AttemptOutcome, Step, WaitReason};
    let waits_and_statuses = |meta: &creatoraudit::ResponseMeta| {
        let mut waits = Vec::new();
        let mut statuses = Vec::new();
        for step in meta.history() {
            match step {
                Step::Wait(w) => waits.push((w.reason, w.duration)),
                Step::Attempt(a) => statuses.push(a.outcome),
                _ => {}
            }
        }
        (waits, statuses)
    };

    // Pacing (on by default) waits for each window's reset: no 429, and the waits take no
    // time, yet the fake sees the window turn over.
    let fake = FakeApi::builder().rate_limit(5).start();
    let client = fake.client();
    let mut paced = Vec::new();
    for n in 1..=12 {
        let me = client
            .whoami_with_meta()
            .unwrap_or_else(|e| panic!("call {n}: {e}"));
        let (waits, statuses) = waits_and_statuses(&me.meta);
        assert_eq!(statuses, [AttemptOutcome::Status(200)], "call {n}");
        for (reason, wait) in waits {
            assert_eq!(reason, WaitReason::Pacing, "call {n}");
            assert!(wait <= Duration::from_secs(60), "call {n}: {wait:?}");
            paced.push(n);
        }
    }
    assert_eq!(
        paced,
        [6, 11],
        "a wait before the first call of each new window"
    );
    assert_eq!(fake.requests().len(), 12);

    // Without pacing, the 429's Retry-After is the rest of the window: the retry after it
    // lands in the next one.
    let fake = FakeApi::builder().rate_limit(5).start();
    let client = fake.client_builder().pacing(false).build().unwrap();
    for _ in 0..5 {
        client.whoami().unwrap();
    }
    let me = client.whoami_with_meta().unwrap();
    let (waits, statuses) = waits_and_statuses(&me.meta);
    assert_eq!(
        statuses,
        [AttemptOutcome::Status(429), AttemptOutcome::Status(200)]
    );
    assert_eq!(waits.len(), 1);
    assert_eq!(waits[0].0, WaitReason::RetryAfter);
    assert!(waits[0].1 >= Duration::from_secs(1) && waits[0].1 <= Duration::from_secs(60));
    assert_eq!(fake.requests().len(), 7);

    // `elapse` moves the windows for a client with a sleeper of its own.
    let fake = FakeApi::builder().rate_limit(1).start();
    let client = fake
        .client_builder()
        .pacing(false)
        .max_retries(0)
        .retry_sleeper(|_| {})
        .build()
        .unwrap();
    client.whoami().unwrap();
    assert_eq!(client.whoami().unwrap_err().status(), Some(429));
    // A wait short of the window's end (at least 58 s away) ends nothing.
    fake.elapse(Duration::from_secs(1));
    assert_eq!(client.whoami().unwrap_err().status(), Some(429));
    fake.elapse(Duration::from_secs(60));
    client.whoami().unwrap();
    // Any wait is fine, the longest too.
    fake.elapse(Duration::MAX);
    client.whoami().unwrap();
}

#[test]
fn fake_faults_are_retried_and_recorded() {
    let fake = FakeApi::start();
    let client = fake.client();
    fake.fail_next(2, "GET", "/accounts", 503);
    let page = client
        .accounts()
        .list(ListAccounts::new())
        .pages()
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(page.items.len(), 48);
    assert_eq!(page.meta.attempts, 3);
    assert_eq!(fake.requests().len(), 3);

    // No failures asked for, none served.
    fake.fail_next(0, "GET", "/whoami", 503);
    fake.inject(Fault::new("GET", "/whoami", 500).times(0));
    let me = client.whoami_with_meta().unwrap();
    assert_eq!(me.meta.attempts, 1);

    // Past the client's retries, the error comes back with its code.
    fake.fail_next(3, "GET", "/whoami", 502);
    let err = client.whoami().unwrap_err();
    assert_eq!(api_error(&err), (502, "UPSTREAM_ERROR".into()));

    // Retry-After is sent and honoured (without sleeping here).
    fake.fail_next_with_retry_after(1, "GET", "/whoami", 429, Duration::from_secs(3));
    let me = client.whoami_with_meta().unwrap();
    assert_eq!(me.meta.retry_delays, [Duration::from_secs(3)]);

    // A create retried after a 503 keeps its idempotency key and is created once.
    fake.inject(Fault::new("POST", "/accounts", 503));
    client
        .accounts()
        .create(&NewAccount::new(Platform::TikTok, "retried.once"))
        .unwrap();
    let posts: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .collect();
    assert_eq!(posts.len(), 2);
    assert_eq!(
        posts[0].header("idempotency-key"),
        posts[1].header("idempotency-key")
    );
    assert_eq!(fake.account_ids().len(), 49);

    // `after` lets requests through first; `always` keeps failing until cleared.
    fake.inject(Fault::new("GET", "/overview", 500).after(1).always());
    assert!(client.overview(Period::Last7Days).is_ok());
    let err = client.overview(Period::Last7Days).unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(err.attempts(), Some(3), "every retry met the fault too");
    fake.clear_faults();
    assert!(client.overview(Period::Last7Days).is_ok());
}

#[test]
fn fake_scrape_after_makes_an_account_pending() {
    let fake = FakeApi::start();
    let client = fake.client();
    let id = fake.account_ids()[3].clone();
    assert!(fake.scrape_after(&id, 2));
    assert!(!fake.scrape_after("nope", 1));
    let reads: Vec<bool> = (0..4)
        .map(|_| {
            client
                .accounts()
                .get(&id)
                .unwrap()
                .last_scrape_time
                .is_some()
        })
        .collect();
    assert_eq!(reads, [false, false, true, true]);
}

#[test]
fn fake_batches_answer_for_the_ids_sent() {
    let fake = FakeApi::start();
    let client = fake.client();
    let mut ids = fake.video_ids();
    ids.push("not-a-video".into());
    let metrics = client
        .videos()
        .metrics(&VideoMetricsRequest::new(ids.iter()).period(Period::Last7Days))
        .unwrap();
    assert_eq!(metrics.data.len(), 36);
    assert_eq!(metrics.meta.not_found, ["not-a-video"]);
    assert_eq!(metrics.meta.period.as_deref(), Some("7d"));
    let deltas = client
        .videos()
        .deltas(&VideoDeltasRequest::new(ids.iter()).windows([1, 7]))
        .unwrap();
    assert_eq!(deltas.data.len(), 36);
    assert!(deltas.get(&ids[0]).unwrap().days(7).is_some());
    let accounts = client
        .accounts()
        .metrics(&creatoraudit::AccountMetricsRequest::new(
            fake.account_ids(),
        ))
        .unwrap();
    assert_eq!(accounts.data.len(), 48);
    let posts = fake.account_video_ids();
    let av = client
        .account_videos()
        .metrics(
            &creatoraudit::AccountVideoMetricsRequest::new()
                .tiktok_video_ids(posts[..4].iter().copied()),
        )
        .unwrap();
    assert_eq!(av.data.len(), 4, "the first account is on TikTok");
}

#[test]
fn fake_overview_search_and_leaderboard() {
    let fake = FakeApi::start();
    let client = fake.client();
    let o = client.overview(Period::Last30Days).unwrap();
    assert_eq!(o.current.active_accounts, Some(42));
    let found = client
        .search(creatoraudit::SearchParams::new("sunny").limit(5))
        .unwrap();
    assert!(!found.accounts.is_empty());
    // As the docs say: usernames (not display names), creator names, captions; and the
    // 128-character bound is on what was sent, as the SDK checks it.
    let by_display_name = client
        .search(creatoraudit::SearchParams::new("Sunny Bakes"))
        .unwrap();
    assert!(by_display_name.accounts.is_empty(), "{by_display_name:?}");
    let long = "İ".repeat(128);
    assert!(client.search(creatoraudit::SearchParams::new(long)).is_ok());
    let top = client
        .creators()
        .top(creatoraudit::TopCreatorsParams::new().limit(3))
        .unwrap();
    assert_eq!(top.len(), 3);
}

#[test]
fn fake_is_deterministic() {
    let (a, b) = (FakeApi::start(), FakeApi::start());
    let dump = |fake: &FakeApi| {
        serde_json::to_string(&all(fake.client().accounts().list(ListAccounts::new()))).unwrap()
    };
    assert_eq!(dump(&a), dump(&b));
    assert_eq!(a.account_ids()[0], "a1000000-0000-4000-8000-000000000001");
}

#[test]
fn fake_survives_malformed_requests() {
    let fake = FakeApi::start();
    for raw in [
        "NOT HTTP AT ALL\r\n\r\n".to_owned(),
        "GET /v2/whoami HTTP/1.1\r\nbroken header\r\n\r\n".to_owned(),
        format!(
            "POST /v2/accounts HTTP/1.1\r\nauthorization: Bearer {}\r\ncontent-type: application/json\r\ncontent-length: 5\r\nconnection: close\r\n\r\n{{oops",
            creatoraudit::testing::TEST_API_KEY
        ),
    ] {
        let out = raw_request(&fake, &raw);
        assert!(out.starts_with("HTTP/1.1 400"), "{out}");
    }
    // A chunk size that would overflow the body's length is refused, not a panic and a hang.
    let huge_chunk = "POST /v2/videos/metrics HTTP/1.1\r\ntransfer-encoding: chunked\r\n\
                      connection: close\r\n\r\n1\r\na\r\nffffffffffffffff\r\n";
    let out = raw_request(&fake, huge_chunk);
    assert!(out.starts_with("HTTP/1.1 413"), "{out:?}");
    // And still answers afterwards.
    assert!(fake.client().whoami().is_ok());
}

#[test]
fn fake_sizes_are_configurable() {
    let fake = FakeApi::builder()
        .accounts(450)
        .creators(30)
        .videos(0)
        .start();
    let client = fake.client();
    assert_eq!(client.accounts().list(ListAccounts::new()).count(), 450);
    assert_eq!(client.videos().list(ListVideos::new()).count(), 0);
    assert_eq!(client.creators().list(ListCreators::new()).count(), 30);
}

#[tokio::test(flavor = "multi_thread")]
async fn fake_api_starts_inside_a_tokio_runtime() {
    let fake = FakeApi::start_async().await;
    let client = fake.client();
    let n = tokio::task::spawn_blocking(move || {
        client
            .accounts()
            .list(ListAccounts::new().platform(Platform::Instagram))
            .count()
    })
    .await
    .unwrap();
    assert_eq!(n, 24);
    assert_eq!(fake.requests().len(), 1);
}

/// Sends raw bytes to the fake and reads the whole answer (the request must close).
/// An authenticated JSON `POST` of `body` to `path` (with `/v2`), on the wire: the answer as
/// it came.
fn raw_post(fake: &FakeApi, path: &str, body: &str) -> String {
    raw_request(
        fake,
        &format!(
            "POST {path} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {}\r\n\
             content-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            creatoraudit::testing::TEST_API_KEY,
            body.len()
        ),
    )
}

fn raw_request(fake: &FakeApi, raw: &str) -> String {
    use std::io::{Read, Write};
    let addr = fake
        .base_url()
        .trim_start_matches("http://")
        .trim_end_matches("/v2")
        .to_owned();
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.write_all(raw.as_bytes()).unwrap();
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out
}

#[test]
fn fake_serves_clients_on_several_threads() {
    let fake = FakeApi::start();
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let client = fake.client();
            std::thread::spawn(move || {
                let platform = if i % 2 == 0 {
                    Platform::TikTok
                } else {
                    Platform::Instagram
                };
                client
                    .accounts()
                    .list(ListAccounts::new().platform(platform).limit(5))
                    .count()
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), 24);
    }
    assert_eq!(fake.requests().len(), 4 * 5);
}

#[test]
fn fake_http_conventions() {
    let fake = FakeApi::start();
    let key = creatoraudit::testing::TEST_API_KEY;
    let err = fake
        .client()
        .request::<serde_json::Value>("DELETE", "accounts", &[], None)
        .unwrap_err();
    assert_eq!(api_error(&err).0, 405);
    let err = fake
        .client()
        .request::<serde_json::Value>("GET", "no-such-thing", &[], None)
        .unwrap_err();
    assert!(err.is_not_found());
    // Only the documented batch paths take a POST: another `…/metrics` is no such path, or
    // (under `/creators`) a creator's id.
    for (method, path, status) in [
        ("GET", "whoami/metrics", 404),
        ("GET", "search/metrics", 404),
        ("POST", "creators/metrics", 405),
        ("GET", "videos/metrics", 405),
    ] {
        let err = fake
            .client()
            .request::<serde_json::Value>(method, path, &[], Some(&json!({})))
            .unwrap_err();
        assert_eq!(api_error(&err).0, status, "{method} {path}");
    }

    let out = raw_request(
        &fake,
        &format!(
            "GET /v2/whoami HTTP/1.1\r\nauthorization: Bearer {key}\r\naccept: text/html\r\nconnection: close\r\n\r\n"
        ),
    );
    assert!(out.starts_with("HTTP/1.1 406"), "{out}");
    let out = raw_request(
        &fake,
        &format!(
            "POST /v2/creators HTTP/1.1\r\nauthorization: Bearer {key}\r\ncontent-type: text/plain\r\ncontent-length: 2\r\nconnection: close\r\n\r\nhi"
        ),
    );
    assert!(out.starts_with("HTTP/1.1 415"), "{out}");
    let out = raw_request(
        &fake,
        "GET /v2/whoami HTTP/1.1\r\nconnection: close\r\n\r\n",
    );
    assert!(out.starts_with("HTTP/1.1 401"), "{out}");
    assert!(!out.to_ascii_lowercase().contains("x-ratelimit"), "{out}");
    assert!(
        out.to_ascii_lowercase().contains("x-request-id: req_fake_"),
        "{out}"
    );
}

#[test]
fn mock_list_can_require_the_page_size_and_paths_may_carry_v2_or_a_query() {
    let mut api = MockApi::start();
    let listed = api
        .mock_list(
            "/accounts",
            &[("limit", "10")],
            vec![fixtures::account("a", "b")],
            10,
        )
        .expect(1)
        .create();
    assert_eq!(
        all(api.client().accounts().list(ListAccounts::new().limit(10))).len(),
        1
    );
    listed.assert();
    // A request without the named page size is not this mock's.
    assert!(
        api.client()
            .accounts()
            .list(ListAccounts::new())
            .next()
            .unwrap()
            .is_err()
    );

    let in_path = api
        .mock_list(
            "/accounts?platform=tiktok",
            &[],
            vec![fixtures::account("t", "t")],
            10,
        )
        .expect(1)
        .create();
    assert_eq!(
        all(api
            .client()
            .accounts()
            .list(ListAccounts::new().platform(Platform::TikTok)))
        .len(),
        1
    );
    in_path.assert();

    let with_prefix = api
        .mock_data("GET", "/v2/whoami", fixtures::whoami("o"))
        .expect(1)
        .create();
    assert_eq!(api.client().whoami().unwrap().organization_id, "o");
    with_prefix.assert();

    let filtered = api
        .mock_data("GET", "/overview?period=7d", fixtures::overview())
        .expect(1)
        .create();
    api.client().overview(Period::Last7Days).unwrap();
    assert!(
        api.client().overview(Period::Last30Days).is_err(),
        "another query"
    );
    filtered.assert();
}

#[test]
fn mock_failures_use_each_statuss_documented_code() {
    for (status, code) in [
        (406, ErrorCode::NotAcceptable),
        (415, ErrorCode::UnsupportedMediaType),
        (503, ErrorCode::ServiceUnavailable),
    ] {
        let mut api = MockApi::start();
        let seq = api
            .mock_failures_then("GET", "/whoami", status, 1, fixtures::whoami("o"))
            .create();
        let e = api
            .client_builder()
            .max_retries(0)
            .build()
            .unwrap()
            .whoami()
            .unwrap_err();
        assert_eq!(e.code(), Some(&code), "{status}: {e}");
        drop(seq);
    }
}

#[test]
fn fake_faults_are_authenticated_answers_and_422s_name_the_bound() {
    let fake = FakeApi::start();
    fake.inject(Fault::new("GET", "/whoami", 503).times(2));
    // Without the key: a 401, as the API gives; the fault waits for an authenticated call.
    let stranger = fake
        .client_builder()
        .api_key("ca_wrong")
        .max_retries(0)
        .build()
        .unwrap();
    assert_eq!(stranger.whoami().unwrap_err().status(), Some(401));
    // With it: the fault, with the rate-limit headers of every authenticated answer.
    let client = fake.client_builder().max_retries(0).build().unwrap();
    let e = client.whoami().unwrap_err();
    assert_eq!(e.status(), Some(503));
    assert!(e.meta().and_then(|m| m.rate_limit).is_some(), "{e:?}");
    // "Going over a bound gives 422 VALIDATION_ERROR, with the bound in detail."
    let e = client
        .request::<serde_json::Value>("GET", "/accounts", &[("limit", "201")], None)
        .unwrap_err();
    let p = e.problem().expect("a problem");
    assert_eq!(p.status, 422);
    assert!(
        p.detail.contains("limit") && p.detail.contains("200"),
        "{}",
        p.detail
    );
}

#[test]
fn fake_refreshes_only_videos_created_active_and_gives_no_location_for_them() {
    let fake = FakeApi::start();
    let client = fake.client();
    let paused = client
        .videos()
        .create(&NewVideo::new(Platform::TikTok, "7300000000000000001").is_active(false))
        .unwrap();
    let active = client
        .videos()
        .create(&NewVideo::new(Platform::TikTok, "7300000000000000002"))
        .unwrap();
    assert!(paused.last_scrape_time.is_none() && active.last_scrape_time.is_none());
    let listed = all(client.videos().list(ListVideos::new()));
    let find = |id: &str| listed.iter().find(|v| v.id == id).unwrap().clone();
    // The docs: metrics are fetched right away when created active; a paused one waits.
    assert!(find(&active.id).last_scrape_time.is_some());
    assert!(find(&paused.id).last_scrape_time.is_none());
    // No `Location`: the API has no `GET /videos/{id}` to point at.
    let answer = raw_post(
        &fake,
        "/v2/videos",
        r#"{"platform":"tiktok","identifier":"7300000000000000003"}"#,
    );
    assert!(answer.starts_with("HTTP/1.1 201 "), "{answer}");
    assert!(
        !answer.to_ascii_lowercase().contains("\r\nlocation:"),
        "{answer}"
    );
}

#[test]
fn fake_bounds_a_batch_by_the_ids_sent_repeats_included() {
    let fake = FakeApi::start();
    let id = fake.video_ids()[0].clone();
    let repeated: Vec<Value> = (0..201).map(|_| json!(id)).collect();
    let err = fake
        .client()
        .request::<Value>(
            "POST",
            "/videos/metrics",
            &[],
            Some(&json!({"video_ids": repeated})),
        )
        .unwrap_err();
    assert_eq!(err.status(), Some(422), "{err}");
    assert!(
        err.to_string()
            .contains("video_ids: must hold 1 to 200 ids"),
        "{err}"
    );
}

#[test]
fn fake_bounds_a_creator_name_as_sent() {
    let fake = FakeApi::start();
    let long = format!("{} ", "n".repeat(255)); // 256 characters with its trailing space
    let err = fake
        .client()
        .request::<Value>("POST", "/creators", &[], Some(&json!({"name": long})))
        .unwrap_err();
    assert_eq!(err.status(), Some(422), "{err}");
    assert!(
        err.to_string()
            .contains("name: must be 1 to 255 characters"),
        "{err}"
    );
    assert_eq!(fake.creator_ids().len(), 8, "nothing created");
}
