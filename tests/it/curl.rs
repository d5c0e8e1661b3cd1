//! Redacted `curl` previews (`Client::curl`, `Client::curl_of`): what a call would send,
//! for a support ticket, never with the key and never sent.

use creatoraudit::{Error, ListAccounts, NewAccount, Platform, UpdateCreator};
use mockito::Matcher;
use serde_json::json;

use crate::support::{KEY, builder, client, server};

#[test]
fn previews_show_the_call_and_never_the_key_and_send_nothing() {
    let mut s = server();
    let nothing: Vec<_> = ["GET", "POST", "PUT", "PATCH", "DELETE"]
        .map(|method| s.mock(method, Matcher::Any).expect(0).create())
        .into();
    let c = client(&s);
    let base = format!("{}/v2", s.url());

    let get = c.curl_of(|c| c.accounts().get("acc 1")).unwrap();
    assert_eq!(
        get,
        format!(
            "curl '{base}/accounts/acc%201' \\\n  \
             -H \"Authorization: Bearer $CREATORAUDIT_API_KEY\" \\\n  \
             -H 'Accept: application/json, application/problem+json' \\\n  \
             -H 'User-Agent: creatoraudit-rust/{}'",
            env!("CARGO_PKG_VERSION")
        )
    );

    let update = c
        .curl_of(|c| {
            c.creators()
                .update("cr_1", &UpdateCreator::new().name("Rock 'n' roll"))
        })
        .unwrap();
    assert!(
        update.starts_with(&format!("curl -X PATCH '{base}/creators/cr_1'")),
        "{update}"
    );
    assert!(
        update.ends_with(r#"--data-raw '{"name":"Rock '\''n'\'' roll"}'"#),
        "a quote in a value is escaped for the shell: {update}"
    );
    assert!(
        update.contains("-H 'Content-Type: application/json'"),
        "{update}"
    );

    let link = c
        .curl_of(|c| c.creators().link_account("cr_1", "acc_2"))
        .unwrap();
    assert!(link.starts_with(&format!(
        "curl -X PUT '{base}/creators/cr_1/accounts/acc_2'"
    )));

    let new = NewAccount::new(Platform::TikTok, "khaby.lame").idempotency_key("import-row-17");
    let create = c.curl_of(|c| c.accounts().create(&new)).unwrap();
    assert!(
        create.contains("-H 'Idempotency-Key: import-row-17'"),
        "{create}"
    );

    let raw = c
        .curl(
            "POST",
            "/videos",
            &[("dry", "a b&c")],
            Some(&json!({"platform": "tiktok", "identifier": "7301"})),
        )
        .unwrap();
    assert!(
        raw.starts_with(&format!("curl -X POST '{base}/videos?dry=a%20b%26c'")),
        "{raw}"
    );

    let list = c
        .curl_of(|c| {
            c.accounts()
                .list(ListAccounts::new().platform(Platform::Instagram))
                .next()
                .transpose()
        })
        .unwrap();
    assert!(list.contains("platform=instagram"), "{list}");

    let health = c.curl_of(|c| c.health()).unwrap();
    assert!(
        !health.contains("Authorization"),
        "/health sends no key: {health}"
    );

    for shown in [&get, &update, &link, &create, &raw, &list, &health] {
        assert!(!shown.contains(KEY), "{shown}");
    }
    for shown in [&get, &update, &link, &create, &raw, &list] {
        assert!(shown.contains("$CREATORAUDIT_API_KEY"), "{shown}");
    }
    for mock in nothing {
        mock.assert();
    }
}

#[test]
fn a_call_refused_before_sending_gives_its_own_error() {
    let s = server();
    let c = client(&s);
    let err = c.curl_of(|c| c.accounts().get(" ")).unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err}");
    let err = c.curl("TRACE", "/x", &[], None).unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err}");
    let lazy = c
        .curl_of(|c| Ok(c.accounts().list(ListAccounts::new())))
        .unwrap_err();
    assert!(lazy.to_string().contains("sent no request"), "{lazy}");
}

#[test]
fn a_get_with_a_body_is_previewed_as_a_get() {
    // curl sends a POST once it has data, unless told the method.
    let cmd = client(&server())
        .curl("GET", "/x", &[], Some(&serde_json::json!({"a": 1})))
        .unwrap();
    assert!(cmd.starts_with("curl -X GET "), "{cmd}");
    assert!(cmd.contains("--data-raw '{\"a\":1}'"), "{cmd}");
}

#[test]
fn the_preview_names_the_clients_user_agent() {
    let s = server();
    let c = builder(&s)
        .user_agent_suffix("my-tool/2.1")
        .build()
        .unwrap();
    let cmd = c.curl("GET", "/whoami", &[], None).unwrap();
    assert!(
        cmd.contains(&format!(
            "-H 'User-Agent: creatoraudit-rust/{} my-tool/2.1'",
            env!("CARGO_PKG_VERSION")
        )),
        "{cmd}"
    );
}

#[test]
fn a_batch_previews_its_first_chunk_whatever_the_concurrency() {
    let mut s = server();
    let nothing = s.mock("POST", Matcher::Any).expect(0).create();
    // 1,000 ids are 5 chunks: sent 4 at once, any chunk could reach the preview first.
    let ids: Vec<String> = (0..1_000).map(|i| format!("v{i:04}")).collect();
    let c = builder(&s).batch_concurrency(4).build().unwrap();
    for _ in 0..5 {
        let cmd = c
            .curl_of(|c| {
                c.videos()
                    .metrics(&creatoraudit::VideoMetricsRequest::new(ids.clone()))
            })
            .unwrap();
        assert!(
            cmd.contains("\"v0000\"") && cmd.contains("\"v0199\""),
            "{cmd}"
        );
        assert!(!cmd.contains("\"v0200\""), "{cmd}");
    }
    nothing.assert();
}
