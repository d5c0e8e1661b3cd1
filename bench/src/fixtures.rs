//! The canned data: realistic accounts, opaque cursors, ids, and the hashes the server uses.

use serde_json::{Value, json};

pub fn account(i: usize) -> Value {
    const FIRST: [&str; 8] = [
        "khaby",
        "charli",
        "bella",
        "zach",
        "addison",
        "mr",
        "selena",
        "cristiano",
    ];
    const LAST: [&str; 8] = [
        "lame", "damelio", "poarch", "king", "rae", "beast", "gomez", "ronaldo",
    ];
    const BIOS: [&str; 4] = [
        "If u wanna laugh u r in the right place",
        "Comedy 🎬 | DM for collabs → \"biz@studio.example\"",
        "Official account. New video every Friday!\nLinks below 👇",
        "",
    ];
    const CATEGORIES: [&str; 4] = ["comedy", "music", "sports", "beauty"];
    let r = splitmix(i as u64);
    let r2 = splitmix(r);
    let instagram = i % 3 == 0;
    let (first, last) = (FIRST[i % 8], LAST[(i / 8) % 8]);
    let username = format!("{first}.{last}{i}");
    let day = 1 + (r % 28);
    let followers = 1_000 + r % 200_000_000;
    let views = followers * (3 + r2 % 40);
    let interval = [6, 12, 24, 48][(r2 % 4) as usize];
    json!({
        "id": uuid(r),
        "type": "account",
        "platform": if instagram { "instagram" } else { "tiktok" },
        "username": username,
        "name": format!("{} {}", capitalize(first), capitalize(last)),
        "description": BIOS[i % BIOS.len()],
        "profile_pic_url": format!("https://cdn.creatoraudit.com/p/{username}.jpg"),
        "profile_pic_url_original": if instagram {
            format!("https://scontent.cdninstagram.com/v/t51/{r:x}_n.jpg?stp=dst-jpg_s320x320&_nc_ht=scontent.cdninstagram.com")
        } else {
            format!("https://p16-sign.tiktokcdn.com/tos-maliva-avt-0068/{r2:x}~c5_720x720.jpeg?x-expires=1796000000")
        },
        "is_verified": r % 5 == 0,
        "is_active": r % 17 != 0,
        "is_unavailable": r % 101 == 0,
        "link_in_bio": (r % 4 != 0).then(|| format!("https://linktr.ee/{first}{last}")),
        "creator_id": (r % 4 != 1).then(|| uuid(r2)),
        "creator_name": (r % 4 != 1).then(|| capitalize(first)),
        "category": (r % 7 != 0).then(|| CATEGORIES[i % 4]),
        "metadata": match r % 3 {
            0 => json!({"team": "growth", "tier": "A"}),
            1 => json!({"team": "brand", "tier": "B", "region": "emea", "owner": "sam@example.com"}),
            _ => json!({}),
        },
        "added_at": format!("2026-06-{day:02}T09:{:02}:00Z", r2 % 60),
        "first_scrape_time": format!("2026-06-{day:02}T09:{:02}:12Z", (r2 + 1) % 60),
        "last_scrape_time": (r % 9 != 0).then(|| format!("2026-11-28T{:02}:30:00Z", r2 % 24)),
        "scrape_interval_hours": interval,
        "follower_count": followers,
        "following_count": r2 % 2_000,
        "profile_post_count": 10 + r2 % 3_000,
        "total_post_count": 10 + r2 % 2_500,
        "view_count": views,
        "like_count": views / 12,
        "comment_count": views / 250,
        "share_count": views / 600,
        "play_count": views + r2 % 1_000,
        "saved_count": instagram.then_some(views / 900),
        "fb_play_count": instagram.then_some(views / 20),
        "ig_play_count": instagram.then_some(views),
        "fb_like_count": instagram.then_some(views / 300),
        "max_recent_posts_per_account": (r % 2 == 0).then_some(100),
        "post_lookback_days": 90,
        "effective_max_recent_posts_per_account": 50,
        "effective_post_lookback_days": 90,
    })
}

/// An opaque cursor, as an API would make one: base64 of a small JSON document.
pub fn cursor_for(page: usize) -> String {
    let r = splitmix(page as u64 * 7919);
    base64(
        format!(
            r#"{{"v":2,"o":"added_at","d":"desc","k":"2026-06-{:02}T09:30:00Z","id":"{}","p":{page}}}"#,
            1 + r % 28,
            uuid(r)
        )
        .as_bytes(),
    )
}

pub fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

pub fn uuid(seed: u64) -> String {
    let (a, b) = (splitmix(seed), splitmix(seed ^ 0x5555));
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | (b >> 48) & 0x3fff,
        b & 0xffff_ffff_ffff
    )
}

pub fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
