//! The fake's seeded data set: every record is a pure function of its index, so ids and
//! values are the same on every run.

use serde_json::{Map, Value, json};

use crate::testing::fixtures;
use crate::{Date, Platform};

/// A JSON object.
pub(crate) type Record = Map<String, Value>;

const FIRST: [&str; 12] = [
    "sunny", "urban", "pixel", "wild", "cozy", "lunar", "mellow", "bold", "tiny", "golden", "neon",
    "quiet",
];
const SECOND: [&str; 12] = [
    "bakes", "moves", "lens", "trails", "beats", "crafts", "glow", "bytes", "eats", "threads",
    "tales", "fit",
];
const CATEGORIES: [&str; 8] = [
    "comedy", "beauty", "food", "fitness", "gaming", "music", "travel", "tech",
];
const CREATOR_NAMES: [&str; 16] = [
    "Ada Moreau",
    "Bruno Okafor",
    "Chloe Lindqvist",
    "Dev Raman",
    "Elif Demir",
    "Felix Ito",
    "Greta Novak",
    "Hugo Reyes",
    "Ines Carvalho",
    "Jonas Berg",
    "Keiko Abe",
    "Luca Romano",
    "Maya Haddad",
    "Nils Petersen",
    "Olga Ivanova",
    "Priya Shah",
];

/// 2026-01-05T08:00:00Z: when the first seeded account was added.
const SEED_EPOCH: u64 = 1_767_600_000;
/// 2026-11-30T06:00:00Z: the seeded records' last refresh.
pub(crate) const LAST_SCRAPE: u64 = 1_796_018_400;
/// 2026-12-01T10:00:00Z: the fake clock starts here and moves one minute per write.
pub(crate) const CLOCK_EPOCH: u64 = 1_796_119_200;
/// The organization of the fake's key.
pub(crate) const ORGANIZATION_ID: &str = "0b7e5c2a-3f4d-4e6b-9a81-5c2d7e9f1a30";

/// The id of seeded account `i` (0-based).
pub(crate) fn account_id(i: usize) -> String {
    format!("a1000000-0000-4000-8000-{:012}", i + 1)
}
/// The id of seeded video `i`.
pub(crate) fn video_id(i: usize) -> String {
    format!("b2000000-0000-4000-8000-{:012}", i + 1)
}
/// The id of seeded creator `i`.
pub(crate) fn creator_id(i: usize) -> String {
    format!("c3000000-0000-4000-8000-{:012}", i + 1)
}
/// The id of the `n`-th record created through the API (1-based), of kind `prefix`.
pub(crate) fn created_id(prefix: &str, n: u64) -> String {
    format!("{prefix}-0000-4000-9000-{n:012}")
}

/// The platform of seeded account `i`: even indexes are TikTok, odd ones Instagram.
pub(crate) fn platform_of(i: usize) -> &'static str {
    if i % 2 == 0 { "tiktok" } else { "instagram" }
}

/// A well-mixed 64-bit hash of `x` (splitmix64).
pub(crate) fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a of a string: a stable seed for values derived from an id.
pub(crate) fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// `2026-06-14T09:30:00Z` for a Unix time.
pub(crate) fn iso(unix: u64) -> String {
    let s = unix % 86_400;
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        date(unix),
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// `2026-06-14` for a Unix time.
pub(crate) fn date(unix: u64) -> String {
    Date::from_unix_secs(unix).to_string()
}

/// The days since 1970-01-01 of a `YYYY-MM-DD` date from 1970 on, if it is one.
pub(crate) fn parse_date(text: &str) -> Option<u64> {
    let days = text.parse::<Date>().ok()?.days_since_epoch();
    u64::try_from(days).ok()
}

fn title(word: &str) -> String {
    let mut c = word.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The username of seeded account `i`: `sunny.bakes` on TikTok, `sunny_crafts` on
/// Instagram, ... (unique).
pub(crate) fn username(i: usize) -> String {
    let (j, instagram) = (i / 2, i % 2 == 1);
    let a = FIRST[j % 12];
    let b = SECOND[(j / 12 + j + if instagram { 5 } else { 0 }) % 12];
    let sep = if instagram { '_' } else { '.' };
    match j / 144 {
        0 => format!("{a}{sep}{b}"),
        n => format!("{a}{sep}{b}{n}"),
    }
}

/// The engagement numbers of an account that has been refreshed, from a seed.
pub(crate) fn account_metrics(seed: u64, platform: &str) -> Vec<(&'static str, Value)> {
    let h = mix(seed);
    let followers = 1_000 + h % 20_000_000;
    let views = followers * (20 + h % 60);
    let likes = views / (12 + h % 20);
    let comments = likes / 40;
    let shares = likes / 25;
    let posts = 40 + (h >> 20) % 900;
    let tiktok = platform == "tiktok";
    vec![
        ("follower_count", json!(followers)),
        ("following_count", json!((h >> 8) % 2_000)),
        ("profile_post_count", json!(posts)),
        ("total_post_count", json!(posts)),
        ("view_count", json!(views)),
        ("like_count", json!(likes)),
        ("comment_count", json!(comments)),
        ("share_count", json!(shares)),
        (
            "play_count",
            json!(if tiktok { views } else { views + views / 4 }),
        ),
        (
            "saved_count",
            if tiktok {
                Value::Null
            } else {
                json!(likes / 15)
            },
        ),
    ]
}

/// Sets the fields of a refresh on an account: metrics, scrape times.
pub(crate) fn mark_account_scraped(a: &mut Record, now: u64) {
    let seed = fnv(a["id"].as_str().unwrap_or_default());
    let platform = a["platform"].as_str().unwrap_or("tiktok").to_owned();
    for (k, v) in account_metrics(seed, &platform) {
        a.insert(k.into(), v);
    }
    if a.get("first_scrape_time").is_none_or(Value::is_null) {
        a.insert("first_scrape_time".into(), json!(iso(now)));
    }
    a.insert("last_scrape_time".into(), json!(iso(now)));
}

/// Clears the fields a refresh fills: the account reads as never refreshed.
pub(crate) fn mark_account_unscraped(a: &mut Record) {
    for (k, _) in account_metrics(0, "instagram") {
        a.insert(
            k.into(),
            if k == "saved_count" {
                Value::Null
            } else {
                json!(0)
            },
        );
    }
    a.insert("first_scrape_time".into(), Value::Null);
    a.insert("last_scrape_time".into(), Value::Null);
}

/// A tracked account as the API shows it, before any refresh.
#[allow(clippy::too_many_arguments)]
pub(crate) fn new_account(
    id: &str,
    platform: &str,
    username: &str,
    category: Option<&str>,
    interval: u64,
    is_active: bool,
    metadata: Value,
    added_at: u64,
) -> Record {
    let name = username
        .split(['.', '_'])
        .map(title)
        .collect::<Vec<_>>()
        .join(" ");
    // The kit's fixture has every documented field; the fake's own values replace its sample ones.
    let on = Platform::from_wire(platform).unwrap_or_else(|| Platform::Other(platform.into()));
    let mut a = object(fixtures::account_on(&on, id, username));
    let own = object(json!({
        "name": name,
        "description": format!("{name} on {platform}"),
        "is_verified": false,
        "is_active": is_active,
        "category": category,
        "metadata": metadata,
        "added_at": iso(added_at),
        "scrape_interval_hours": interval,
    }));
    a.extend(own);
    mark_account_unscraped(&mut a);
    a
}

/// Seeded account `i`, linked to creator `i / 2` when `i < 2 * creators`.
pub(crate) fn seed_account(i: usize, creators: usize) -> Record {
    let platform = platform_of(i);
    let id = account_id(i);
    let mut a = new_account(
        &id,
        platform,
        &username(i),
        Some(CATEGORIES[i % CATEGORIES.len()]),
        24,
        i % 7 != 6,
        json!({}),
        SEED_EPOCH + i as u64 * 317 * 60,
    );
    a.insert("is_verified".into(), json!(mix(i as u64) % 5 == 0));
    if i < 2 * creators {
        a.insert("creator_id".into(), json!(creator_id(i / 2)));
    }
    mark_account_scraped(&mut a, LAST_SCRAPE - (i as u64 % 600) * 60);
    a.insert(
        "first_scrape_time".into(),
        json!(iso(SEED_EPOCH + i as u64 * 317 * 60 + 70)),
    );
    a
}

/// The name of seeded creator `i`.
pub(crate) fn creator_name(i: usize) -> String {
    match i / CREATOR_NAMES.len() {
        0 => CREATOR_NAMES[i].to_owned(),
        n => format!("{} {}", CREATOR_NAMES[i % CREATOR_NAMES.len()], n + 1),
    }
}

/// A creator record (its `accounts_summary` is computed when it is shown).
pub(crate) fn new_creator(id: &str, name: &str, is_active: bool, metadata: Value) -> Record {
    let mut c = Record::new();
    c.insert("id".into(), json!(id));
    c.insert("type".into(), json!("creator"));
    c.insert("name".into(), json!(name));
    c.insert("is_active".into(), json!(is_active));
    c.insert("metadata".into(), metadata);
    c
}

/// Seeded creator `i`: every eighth is archived.
pub(crate) fn seed_creator(i: usize) -> Record {
    let tier = ["A", "B", "C"][i % 3];
    new_creator(
        &creator_id(i),
        &creator_name(i),
        i % 8 != 7,
        json!({"tier": tier}),
    )
}

/// An individually tracked video, before any refresh.
#[allow(clippy::too_many_arguments)]
pub(crate) fn new_video(
    id: &str,
    platform: &str,
    shortcode: &str,
    is_active: bool,
    interval: u64,
    metadata: Value,
    added_at: u64,
    account: Option<(&str, &str)>,
) -> Record {
    let seed = fnv(id);
    object(json!({
        "id": id,
        "type": "video",
        "platform": platform,
        "external_id": format!("{}", 7_300_000_000_000_000_000u64 + seed % 100_000_000_000_000_000),
        "shortcode": shortcode,
        "is_active": is_active,
        "scrape_interval_hours": interval,
        "metadata": metadata,
        "added_at": iso(added_at),
        "updated_at": iso(added_at),
        "first_scrape_time": null,
        "last_scrape_time": null,
        "description": null,
        "create_time": null,
        "media_type": if platform == "tiktok" { "video" } else { "reel" },
        "duration": 5 + seed % 90,
        "is_unavailable": false,
        "cover_image_url": format!("https://cdn.creatoraudit.com/c/{id}.jpg"),
        "cover_image_url_original": null,
        "video_url": format!("https://cdn.creatoraudit.com/v/{id}.mp4"),
        "video_url_original": null,
        "view_count": 0, "like_count": 0, "comment_count": 0, "share_count": 0, "play_count": 0,
        "saved_count": null,
        "total_views": 0, "total_plays": 0,
        "account_id": account.map(|a| a.0),
        "account_username": account.map(|a| a.1),
        "platform_account_id": account.map(|a| format!("{}", fnv(a.0) % 10_000_000_000)),
        "platform_data": {}
    }))
}

/// Sets a video's refreshed fields from a seed.
pub(crate) fn mark_video_scraped(v: &mut Record, now: u64) {
    let h = mix(fnv(v["id"].as_str().unwrap_or_default()));
    let views = 2_000 + h % 8_000_000;
    let likes = views / (10 + h % 25);
    let tiktok = v["platform"] == "tiktok";
    let plays = if tiktok { views } else { views + views / 3 };
    for (k, val) in [
        ("view_count", json!(views)),
        ("like_count", json!(likes)),
        ("comment_count", json!(likes / 30)),
        ("share_count", json!(likes / 18)),
        ("play_count", json!(plays)),
        ("total_views", json!(views)),
        ("total_plays", json!(plays)),
        (
            "saved_count",
            if tiktok {
                Value::Null
            } else {
                json!(likes / 12)
            },
        ),
    ] {
        v.insert(k.into(), val);
    }
    if v.get("first_scrape_time").is_none_or(Value::is_null) {
        v.insert("first_scrape_time".into(), json!(iso(now)));
    }
    v.insert("last_scrape_time".into(), json!(iso(now)));
    v.insert("updated_at".into(), json!(iso(now)));
}

/// A caption for seeded post `i` of an account.
fn caption(username: &str, i: usize) -> String {
    let topic = SECOND[(i * 5 + username.len()) % SECOND.len()];
    format!("Day {} with @{username} #{topic}", i + 1)
}

/// Seeded video `i`, posted by seeded account `i % accounts`.
pub(crate) fn seed_video(i: usize, accounts: usize) -> Record {
    let owner = i % accounts.max(1);
    let platform = platform_of(owner);
    let (owner_id, owner_name) = (account_id(owner), username(owner));
    let shortcode = format!("C{:010X}", mix(1_000 + i as u64) % 0xFF_FFFF_FFFF);
    let added = SEED_EPOCH + 3_600 + i as u64 * 211 * 60;
    let mut v = new_video(
        &video_id(i),
        platform,
        &shortcode,
        i % 9 != 8,
        24,
        json!({}),
        added,
        (accounts > 0).then_some((owner_id.as_str(), owner_name.as_str())),
    );
    v.insert("description".into(), json!(caption(&owner_name, i)));
    v.insert("create_time".into(), json!(iso(added - 86_400)));
    mark_video_scraped(&mut v, LAST_SCRAPE - (i as u64 % 300) * 60);
    v
}

/// The integer id of seeded account video `k` of account `i`.
pub(crate) fn account_video_id(i: usize, k: usize, per_account: usize) -> u64 {
    100_001 + (i * per_account + k) as u64
}

/// Seeded post `k` discovered from account record `account` (seeded index `i`).
pub(crate) fn seed_account_video(account: &Record, i: usize, k: usize, per: usize) -> Record {
    let id = account_video_id(i, k, per);
    let h = mix(id);
    let views = 500 + h % 3_000_000;
    let likes = views / (10 + h % 30);
    let tiktok = account["platform"] == "tiktok";
    let username = account["username"].as_str().unwrap_or_default();
    let created = SEED_EPOCH + (i * per + k) as u64 * 97 * 60;
    object(json!({
        "id": id,
        "type": "account_video",
        "platform": account["platform"],
        "account_id": account["id"],
        "account_username": username,
        "external_id": format!("{}", 7_100_000_000_000_000_000u64 + h % 100_000_000_000_000_000),
        "shortcode": format!("D{:010X}", h % 0xFF_FFFF_FFFF),
        "description": caption(username, k + 7),
        "create_time": iso(created),
        "last_scrape_time": account["last_scrape_time"],
        "is_active": account["is_active"],
        "view_count": views,
        "like_count": likes,
        "comment_count": likes / 30,
        "share_count": likes / 20,
        "play_count": if tiktok { views } else { views + views / 3 },
        "saved_count": if tiktok { Value::Null } else { json!(likes / 12) }
    }))
}

/// The members of a JSON object (empty for anything else).
pub(crate) fn object(v: Value) -> Record {
    match v {
        Value::Object(m) => m,
        _ => Record::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        assert_eq!(iso(SEED_EPOCH), "2026-01-05T08:00:00Z");
        assert_eq!(iso(LAST_SCRAPE), "2026-11-30T06:00:00Z");
        assert_eq!(iso(CLOCK_EPOCH), "2026-12-01T10:00:00Z");
        let d = parse_date("2026-06-15").unwrap();
        assert_eq!(date(d * 86_400), "2026-06-15");
        assert_eq!(parse_date("2026-02-31"), None);
        assert_eq!(parse_date("2026-6-15"), None);
        assert_eq!(parse_date("junk"), None);
    }

    #[test]
    fn usernames_are_unique() {
        let names: std::collections::HashSet<_> = (0..1_000).map(username).collect();
        assert_eq!(names.len(), 1_000);
    }
}
