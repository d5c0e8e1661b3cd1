//! Checkpoints: a walk saved after any item (or after an error) and resumed by a new client
//! yields exactly the rest, none lost, none repeated.

use std::time::Duration;

use creatoraudit::testing::{FakeApi, Fault};
use creatoraudit::{
    AccountOrder, Checkpoint, Error, ListAccountVideos, ListAccounts, ListCreators, ListVideos,
    OrderDirection, Paginator, Platform,
};
use serde_json::Value;

use crate::support::fixtures::page;
use crate::support::raw_server::{Conn, RawServer, response};

/// 24 TikTok accounts, 5 a page: pages of 5, 5, 5, 5 and 4.
fn params() -> ListAccounts {
    ListAccounts::new()
        .platform(Platform::TikTok)
        .order_by(AccountOrder::Username)
        .order_direction(OrderDirection::Asc)
        .limit(5)
}

/// Every item of `walk()`, and the items of the walk resumed from a checkpoint taken after
/// the first `k` of a second `walk()`, as JSON for comparison.
fn split_at<T: serde::Serialize + serde::de::DeserializeOwned>(
    walk: impl Fn() -> Paginator<T>,
    resume: impl Fn(&Checkpoint) -> creatoraudit::Result<Paginator<T>>,
    k: usize,
) -> (Vec<Value>, Vec<Value>) {
    let json = |item: creatoraudit::Result<T>| serde_json::to_value(item.unwrap()).unwrap();
    let all: Vec<Value> = walk().map(json).collect();
    let mut first = walk();
    first.by_ref().take(k).for_each(drop);
    let rest = resume(&first.checkpoint()).unwrap().map(json).collect();
    assert!(
        all.len() > k,
        "the walk is longer than the checkpoint's place"
    );
    (all, rest)
}

/// The ids a new client of `fake` yields resuming from `checkpoint`.
fn resumed(fake: &FakeApi, checkpoint: &Checkpoint) -> Vec<String> {
    let walk = fake.client().accounts().resume(checkpoint).unwrap();
    walk.map(|a| a.unwrap().id).collect()
}

fn ids(fake: &FakeApi) -> Vec<String> {
    fake.client()
        .accounts()
        .list(params())
        .map(|a| a.unwrap().id)
        .collect()
}

#[test]
fn a_checkpoint_after_any_item_resumes_with_exactly_the_rest() {
    let fake = FakeApi::start();
    let all = ids(&fake);
    assert_eq!(all.len(), 24);
    for k in 0..=all.len() {
        let mut walk = fake.client().accounts().list(params());
        let first: Vec<String> = walk.by_ref().take(k).map(|a| a.unwrap().id).collect();
        assert_eq!(first, all[..k]);
        let token = walk.checkpoint().to_string();
        drop(walk);

        // A new process: a new client, the checkpoint only as text.
        let checkpoint: Checkpoint = token.parse().unwrap();
        assert_eq!(checkpoint.endpoint(), "GET /accounts");
        assert_eq!(checkpoint.is_complete(), k == all.len(), "k = {k}");
        // Saved again before it yields anything, a resumed walk gives the same checkpoint.
        let again = fake.client().accounts().resume(&checkpoint).unwrap();
        assert_eq!(again.checkpoint(), checkpoint, "k = {k}");
        fake.clear_requests();
        let rest = resumed(&fake, &checkpoint);
        assert_eq!(rest, all[k..], "resumed after item {k}");

        // One request per page still to come; a page boundary refetches nothing, a
        // position inside a page refetches that page once.
        let requests = fake.requests();
        let expected = if k == all.len() { 0 } else { 5 - k / 5 };
        assert_eq!(requests.len(), expected, "requests after item {k}");
        for r in &requests {
            let q = |name: &str| r.query.iter().filter(|(n, _)| n == name).count();
            assert_eq!(
                (
                    q("platform"),
                    q("order_by"),
                    q("order_direction"),
                    q("limit")
                ),
                (1, 1, 1, 1),
                "the filters and sort are resent: {:?}",
                r.query
            );
            assert!(q("cursor") <= 1);
        }
        if k % 5 != 0 && k < all.len() {
            let cursor = requests[0].query.iter().find(|(n, _)| n == "cursor");
            assert_eq!(
                cursor.map(|(_, v)| v.as_str()),
                checkpoint.cursor(),
                "the page is refetched with the same cursor"
            );
            assert_eq!(checkpoint.position(), (k % 5) as u64);
        }
    }
}

#[test]
fn a_resumed_walk_can_be_checkpointed_again() {
    let fake = FakeApi::start();
    let all = ids(&fake);
    let mut got = Vec::new();
    let mut checkpoint = fake.client().accounts().list(params()).checkpoint();
    // 3 items at a time, each run in a new paginator from the last checkpoint.
    while !checkpoint.is_complete() {
        let mut walk = fake.client().accounts().resume(&checkpoint).unwrap();
        let before = got.len();
        got.extend(walk.by_ref().take(3).map(|a| a.unwrap().id));
        checkpoint = walk.checkpoint().to_string().parse().unwrap();
        if got.len() == before {
            break;
        }
    }
    assert_eq!(got, all);
}

#[test]
fn max_items_stops_the_walk_and_its_checkpoint_continues_after_it() {
    let fake = FakeApi::start();
    let all = ids(&fake);
    let mut walk = fake.client().accounts().list(params()).max_items(7);
    let first: Vec<String> = walk.by_ref().map(|a| a.unwrap().id).collect();
    assert_eq!(first, all[..7]);
    let checkpoint = walk.checkpoint();
    assert_eq!(checkpoint.position(), 2);
    let rest = resumed(&fake, &checkpoint);
    assert_eq!(rest, all[7..], "no cap carries over");
}

#[test]
fn page_walks_checkpoint_between_pages() {
    let fake = FakeApi::start();
    let all = ids(&fake);
    let mut pages = fake.client().accounts().list(params()).pages();
    let first = pages.next().unwrap().unwrap();
    let second = pages.next().unwrap().unwrap();
    let checkpoint = pages.checkpoint();
    assert_eq!(
        (checkpoint.position(), checkpoint.is_complete()),
        (0, false)
    );
    let mut got: Vec<String> = first
        .items
        .into_iter()
        .chain(second.items)
        .map(|a| a.id)
        .collect();
    got.extend(
        fake.client()
            .accounts()
            .resume(&checkpoint)
            .unwrap()
            .map(|a| a.unwrap().id),
    );
    assert_eq!(got, all);

    // A mid-page checkpoint resumed page by page: the first page has only the rest.
    let mut walk = fake.client().accounts().list(params());
    walk.by_ref().take(3).for_each(drop);
    let mut pages = fake
        .client()
        .accounts()
        .resume(&walk.checkpoint())
        .unwrap()
        .pages();
    let page = pages.next().unwrap().unwrap();
    let got: Vec<String> = page.items.into_iter().map(|a| a.id).collect();
    assert_eq!(got, all[3..5]);
    assert!(pages.checkpoint().cursor().is_some());
}

#[test]
fn every_listing_and_the_generic_walk_resume() {
    let fake = FakeApi::start();
    let client = fake.client();

    let videos = || client.videos().list(ListVideos::new().limit(7));
    let (all, rest) = split_at(videos, |c| client.videos().resume(c), 10);
    assert_eq!(rest, all[10..]);

    let creators = || client.creators().list(ListCreators::new().limit(3));
    let (all, rest) = split_at(creators, |c| client.creators().resume(c), 4);
    assert_eq!(rest, all[4..]);

    let posts = || {
        client
            .account_videos()
            .list(ListAccountVideos::new().limit(50))
    };
    let (all, rest) = split_at(posts, |c| client.account_videos().resume(c), 75);
    assert_eq!(rest, all[75..]);

    let query = [("platform", "instagram"), ("limit", "4")];
    let generic: Vec<Value> = client
        .paginate::<Value>("/accounts", &query)
        .map(Result::unwrap)
        .collect();
    let mut walk = client.paginate::<Value>("/accounts", &query);
    walk.by_ref().take(6).for_each(drop);
    let checkpoint = walk.checkpoint();
    assert_eq!(checkpoint.endpoint(), "GET /accounts");
    let rest: Vec<Value> = client
        .paginate_resume::<Value>(&checkpoint)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rest, generic[6..]);
    // The generic walk's checkpoint of /accounts is the typed listing's too.
    let typed: Vec<String> = client
        .accounts()
        .resume(&checkpoint)
        .unwrap()
        .map(|a| a.unwrap().id)
        .collect();
    let ids: Vec<&str> = generic[6..]
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(typed, ids);
}

#[test]
fn a_checkpoint_of_another_listing_is_refused_before_any_request() {
    let fake = FakeApi::start();
    let client = fake.client();
    let mut walk = client.accounts().list(params());
    walk.next().unwrap().unwrap();
    let checkpoint = walk.checkpoint();
    fake.clear_requests();

    let e = client.videos().resume(&checkpoint).unwrap_err();
    assert!(matches!(e, Error::InvalidInput(_)), "{e:?}");
    assert!(e.to_string().contains("\"GET /accounts\""), "{e}");
    assert!(client.creators().resume(&checkpoint).is_err());
    assert!(client.account_videos().resume(&checkpoint).is_err());
    let not_a_listing: Checkpoint =
        serde_json::from_str(r#"{"v":1,"endpoint":"POST /videos"}"#).unwrap();
    assert!(matches!(
        client.paginate_resume::<Value>(&not_a_listing),
        Err(Error::InvalidInput(_))
    ));
    for token in ["", "ca1.!!", "eyJ2IjoxfQ", "ca1.eyJ2IjoxfQ"] {
        assert!(
            matches!(token.parse::<Checkpoint>(), Err(Error::InvalidInput(_))),
            "{token:?}"
        );
    }
    assert!(fake.requests().is_empty(), "{:?}", fake.requests());
}

#[test]
fn the_checkpoint_of_a_walk_with_refused_parameters_resumes_nothing() {
    let fake = FakeApi::start();
    let client = fake.client();
    let mut walk = client.accounts().list(params().limit(0));
    assert!(matches!(walk.next(), Some(Err(Error::InvalidInput(_)))));
    let checkpoint = walk.checkpoint();
    assert!(matches!(
        client.accounts().resume(&checkpoint),
        Err(Error::InvalidInput(_))
    ));
    assert!(client.paginate_resume::<Value>(&checkpoint).is_err());
    assert!(checkpoint.to_string().parse::<Checkpoint>().is_err());
    assert!(fake.requests().is_empty());
}

/// A walk that fails on its third page with `fault`, then a new client resuming from the
/// checkpoint taken after the error: every account once.
fn resumes_after(fault: Fault, expect: impl Fn(&Error)) {
    let fake = FakeApi::start();
    let all = ids(&fake);
    fake.inject(fault);
    let mut walk = fake.client().accounts().list(params());
    let mut got = Vec::new();
    let error = loop {
        match walk.next().expect("the walk ends with the error") {
            Ok(a) => got.push(a.id),
            Err(e) => break e,
        }
    };
    expect(&error);
    assert!(error.is_retryable(), "{error}");
    assert_eq!(got, all[..10]);
    assert!(walk.next().is_none(), "the walk is over after its error");

    let token = walk.checkpoint().to_string();
    fake.clear_faults();
    fake.clear_requests();
    let resumed = fake
        .client()
        .accounts()
        .resume(&token.parse().unwrap())
        .unwrap();
    got.extend(resumed.map(|a| a.unwrap().id));
    assert_eq!(got, all);
    assert_eq!(
        fake.requests().len(),
        3,
        "the failed page and the two after it"
    );
}

#[test]
fn a_walk_stopped_by_a_503_resumes_without_loss_or_repeat() {
    // Three attempts (two retries) on the third page, all 503.
    resumes_after(Fault::new("GET", "/accounts", 503).after(2).times(3), |e| {
        assert_eq!(e.status(), Some(503));
        assert_eq!(e.attempts(), Some(3));
    });
}

#[test]
fn a_walk_stopped_by_a_rate_limit_past_the_cap_resumes_without_loss_or_repeat() {
    let fault = Fault::new("GET", "/accounts", 429)
        .after(2)
        .retry_after(Duration::from_secs(3600));
    resumes_after(fault, |e| {
        assert!(e.is_rate_limited());
        assert_eq!(e.retry_after(), Some(Duration::from_secs(3600)));
    });
}

#[test]
fn a_walk_stopped_by_a_timeout_resumes_at_the_page_that_timed_out() {
    let item = |id: &str| creatoraudit::testing::fixtures::account(id, &format!("user_{id}"));
    let first = page(vec![item("1"), item("2")], Some("c2"), true, 2);
    let server = RawServer::scripted(vec![
        Conn::Reply(response(200, &[], &first)),
        Conn::Stall(Vec::new()),
    ]);
    // Room for a slow machine to get the first page; the stall then times out.
    let client = server.client_without_retries(Duration::from_millis(1_000));
    let mut walk = client.paginate::<Value>("/accounts", &[("limit", "2")]);
    assert_eq!(walk.next().unwrap().unwrap()["id"], "1");
    assert_eq!(walk.next().unwrap().unwrap()["id"], "2");
    let e = walk.next().unwrap().unwrap_err();
    assert!(e.is_timeout(), "{e}");
    let checkpoint = walk.checkpoint();
    assert_eq!(
        (checkpoint.cursor(), checkpoint.position()),
        (Some("c2"), 0)
    );

    let last = page(vec![item("3")], None, false, 2);
    let again = RawServer::scripted(vec![Conn::Reply(response(200, &[], &last))]);
    let client = again.client();
    let rest: Vec<Value> = client
        .paginate_resume::<Value>(&checkpoint)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0]["id"], "3");
    let seen = again.finish();
    assert_eq!(seen.requests.len(), 1);
    assert!(
        seen.requests[0].starts_with("GET /v2/accounts?limit=2&cursor=c2 "),
        "{}",
        seen.requests[0]
    );
}

#[test]
fn pages_of_a_partly_taken_walk_start_with_the_rest_of_its_page() {
    let fake = FakeApi::start();
    let all = ids(&fake);
    for taken in 1..5 {
        let mut walk = fake.client().accounts().list(params());
        walk.by_ref().take(taken).for_each(drop);
        let mut pages = walk.pages();
        assert_eq!(pages.resume_cursor(), None, "the rest is of the first page");
        // Before the rest is taken, the checkpoint still has it.
        assert_eq!(resumed(&fake, &pages.checkpoint()), all[taken..]);
        let rest = pages.next().unwrap().unwrap();
        let got: Vec<String> = rest.items.into_iter().map(|a| a.id).collect();
        assert_eq!(got, all[taken..5], "after {taken} items");
        assert!(rest.has_next && rest.next_cursor.is_some());
        assert_eq!(resumed(&fake, &pages.checkpoint()), all[5..]);
        let next = pages.next().unwrap().unwrap();
        assert_eq!(next.items[0].id, all[5]);
    }
    // A whole page taken: the pages go on with the next one.
    let mut walk = fake.client().accounts().list(params());
    walk.by_ref().take(5).for_each(drop);
    let first = walk.pages().next().unwrap().unwrap();
    assert_eq!(first.items[0].id, all[5]);
}

#[test]
fn size_hint_respects_max_items() {
    let fake = FakeApi::start();
    let mut walk = fake.client().accounts().list(params()).max_items(2);
    walk.next().unwrap().unwrap();
    assert_eq!(walk.size_hint(), (1, Some(1)));
    assert_eq!(walk.by_ref().count(), 1);
    assert_eq!(walk.size_hint(), (0, Some(0)));
    let mut uncapped = fake.client().accounts().list(params());
    uncapped.next().unwrap().unwrap();
    assert_eq!(uncapped.size_hint(), (4, None));
}

#[test]
fn pages_hold_at_most_max_items_and_checkpoint_inside_the_cut_page() {
    let fake = FakeApi::start();
    let all = ids(&fake);
    // Caps inside a page, at a page's end, inside the rest of a partly taken page (2, 4), at
    // what was taken already (2, 2), and 0.
    for (taken, max) in [(0, 7), (0, 10), (2, 7), (0, 3), (2, 4), (2, 2), (0, 0)] {
        let before = fake.requests().len();
        let mut walk = fake.client().accounts().list(params()).max_items(max);
        walk.by_ref().take(taken).for_each(drop);
        let mut pages = walk.pages();
        let got: Vec<String> = pages
            .by_ref()
            .flat_map(|p| p.unwrap().items)
            .map(|a| a.id)
            .collect();
        // At most `max` items in all (the ones taken first included), and no page past them.
        assert_eq!(got, all[taken..max as usize], "taken {taken}, max {max}");
        assert!(pages.next().is_none(), "finished at the cap");
        // A page was fetched for every 5 items handed out (or the one `take` read), no more.
        let pages_needed = (max as usize).div_ceil(5).max(usize::from(taken > 0));
        assert_eq!(
            fake.requests().len() - before,
            pages_needed,
            "taken {taken}, max {max}"
        );
        // The checkpoint is right after the last item handed out, inside the cut page.
        assert_eq!(resumed(&fake, &pages.checkpoint()), all[max as usize..]);
    }
}
