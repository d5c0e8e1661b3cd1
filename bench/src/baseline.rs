//! The baseline: what a careful user would write with ureq alone.

use std::hint::black_box;
use std::time::Instant;

use serde_json::Value;

use crate::sdk::{expect_count, value_checksum};
use crate::util::push_encoded;
use crate::{ACCEPT, BoxResult, CONNECT_TIMEOUT, KEY, MAX_BODY, PAGE_SIZE, TIMEOUT, user_agent};

pub mod raw {
    //! Mirrors of the SDK's models: the same fields, the same types, the same lenience.
    // Every field is decoded, as the SDK decodes it; the bench reads only a few of them.
    #![allow(dead_code)]

    use serde::{Deserialize, Deserializer};
    use serde_json::{Map, Value};

    #[derive(Deserialize)]
    pub struct Data<T> {
        pub data: T,
    }

    #[derive(Deserialize)]
    pub struct Listing<T> {
        pub data: Vec<T>,
        pub pagination: PageInfo,
        #[serde(default, deserialize_with = "null_as_default")]
        pub filters: Map<String, Value>,
    }

    #[derive(Deserialize)]
    pub struct PageInfo {
        #[serde(default)]
        pub next_cursor: Option<String>,
        pub has_next: bool,
        #[serde(default)]
        pub limit: u32,
        #[serde(default)]
        pub total_count: Option<u64>,
    }

    #[derive(Debug, Deserialize)]
    pub struct Whoami {
        pub organization_id: String,
        #[serde(default)]
        pub api_key_name: Option<String>,
    }

    #[derive(Debug)]
    pub enum Platform {
        Instagram,
        TikTok,
        Other(String),
    }

    impl<'de> Deserialize<'de> for Platform {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct Visitor;
            impl serde::de::Visitor<'_> for Visitor {
                type Value = Platform;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("a platform name")
                }
                fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Platform, E> {
                    Ok(match v {
                        "instagram" => Platform::Instagram,
                        "tiktok" => Platform::TikTok,
                        other => Platform::Other(other.to_owned()),
                    })
                }
            }
            d.deserialize_str(Visitor)
        }
    }

    fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de> + Default,
    {
        Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
    }

    /// Every field of `creatoraudit::Account`, with the same types.
    #[derive(Debug, Deserialize)]
    pub struct Account {
        pub id: String,
        pub username: String,
        #[serde(default)]
        pub platform: Option<Platform>,
        #[serde(default)]
        pub name: Option<String>,
        #[serde(default)]
        pub description: Option<String>,
        #[serde(default)]
        pub profile_pic_url: Option<String>,
        #[serde(default)]
        pub profile_pic_url_original: Option<String>,
        #[serde(default)]
        pub is_verified: Option<bool>,
        #[serde(default)]
        pub is_active: Option<bool>,
        #[serde(default)]
        pub is_unavailable: Option<bool>,
        #[serde(default)]
        pub link_in_bio: Option<String>,
        #[serde(default)]
        pub creator_id: Option<String>,
        #[serde(default)]
        pub creator_name: Option<String>,
        #[serde(default)]
        pub category: Option<String>,
        #[serde(default, deserialize_with = "null_as_default")]
        pub metadata: Map<String, Value>,
        #[serde(default)]
        pub added_at: Option<String>,
        #[serde(default)]
        pub first_scrape_time: Option<String>,
        #[serde(default)]
        pub last_scrape_time: Option<String>,
        #[serde(default)]
        pub scrape_interval_hours: Option<u32>,
        #[serde(default)]
        pub follower_count: Option<u64>,
        #[serde(default)]
        pub following_count: Option<u64>,
        #[serde(default)]
        pub profile_post_count: Option<u64>,
        #[serde(default)]
        pub total_post_count: Option<u64>,
        #[serde(default)]
        pub view_count: Option<u64>,
        #[serde(default)]
        pub like_count: Option<u64>,
        #[serde(default)]
        pub comment_count: Option<u64>,
        #[serde(default)]
        pub share_count: Option<u64>,
        #[serde(default)]
        pub play_count: Option<u64>,
        #[serde(default)]
        pub saved_count: Option<u64>,
        #[serde(default)]
        pub fb_play_count: Option<u64>,
        #[serde(default)]
        pub ig_play_count: Option<u64>,
        #[serde(default)]
        pub fb_like_count: Option<u64>,
        #[serde(default)]
        pub max_recent_posts_per_account: Option<u64>,
        #[serde(default)]
        pub post_lookback_days: Option<u64>,
        #[serde(default)]
        pub effective_max_recent_posts_per_account: Option<u64>,
        #[serde(default)]
        pub effective_post_lookback_days: Option<u64>,
    }
}

/// Hand-written ureq: the SDK's agent settings and headers, no SDK code.
pub struct Baseline {
    pub agent: ureq::Agent,
    pub authorization: ureq::http::HeaderValue,
    pub whoami_url: String,
    pub accounts_url: String,
}

impl Baseline {
    pub fn new(base_url: &str) -> Self {
        // The SDK's settings: statuses as values, per-phase timeouts (never timeout_global or
        // timeout_per_call: ureq 3.5 would resolve the host on a new thread per request).
        let agent = ureq::Agent::config_builder()
            .proxy(ureq::Proxy::try_from_env())
            .http_status_as_error(false)
            .user_agent(user_agent())
            .accept(ACCEPT)
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .timeout_send_request(Some(TIMEOUT))
            .timeout_send_body(Some(TIMEOUT))
            .timeout_recv_response(Some(TIMEOUT))
            .timeout_recv_body(Some(TIMEOUT))
            .build()
            .new_agent();
        let mut authorization = ureq::http::HeaderValue::from_str(&format!("Bearer {KEY}"))
            .expect("a valid header value");
        authorization.set_sensitive(true);
        Baseline {
            agent,
            authorization,
            whoami_url: format!("{base_url}/whoami"),
            accounts_url: format!("{base_url}/accounts?limit={PAGE_SIZE}"),
        }
    }

    /// `GET url` and the body's bytes, refusing an error status.
    pub fn get(&self, url: &str) -> BoxResult<Vec<u8>> {
        let response = self
            .agent
            .get(url)
            .header("authorization", self.authorization.clone())
            .call()?;
        let status = response.status().as_u16();
        let body = response
            .into_body()
            .into_with_config()
            .limit(MAX_BODY)
            .read_to_vec()?;
        if !(200..300).contains(&status) {
            return Err(format!("HTTP {status}: {}", String::from_utf8_lossy(&body)).into());
        }
        Ok(body)
    }

    pub fn whoami(&self) -> BoxResult<raw::Whoami> {
        let body = self.get(&self.whoami_url)?;
        Ok(serde_json::from_slice::<raw::Data<raw::Whoami>>(&body)?.data)
    }

    pub fn whoamis(&self, n: usize) -> BoxResult<f64> {
        let t = Instant::now();
        for _ in 0..n {
            let me = self.whoami()?;
            black_box(&me);
        }
        Ok(t.elapsed().as_secs_f64())
    }

    /// Walks the listing, calling `each` on every item, stopping after `max` items.
    pub fn walk<T: serde::de::DeserializeOwned>(
        &self,
        max: usize,
        mut each: impl FnMut(T),
    ) -> BoxResult<usize> {
        let mut url = self.accounts_url.clone();
        let mut n = 0;
        loop {
            let body = self.get(&url)?;
            let page: raw::Listing<T> = serde_json::from_slice(&body)?;
            drop(body);
            black_box((
                &page.filters,
                page.pagination.limit,
                page.pagination.total_count,
            ));
            for item in page.data {
                each(item);
                n += 1;
                if n == max {
                    return Ok(n);
                }
            }
            match page.pagination.next_cursor {
                Some(cursor) if page.pagination.has_next => {
                    url.truncate(self.accounts_url.len());
                    url.push_str("&cursor=");
                    push_encoded(&mut url, &cursor);
                }
                _ => return Ok(n),
            }
        }
    }

    pub fn walk_typed(&self, total: usize) -> BoxResult<(f64, u64)> {
        let t = Instant::now();
        let mut sum = 0u64;
        let n = self.walk(usize::MAX, |account: raw::Account| {
            let account = black_box(account);
            sum += account.follower_count.unwrap_or(0) + account.username.len() as u64;
        })?;
        let secs = t.elapsed().as_secs_f64();
        expect_count(n, total)?;
        Ok((secs, sum))
    }

    pub fn walk_value(&self, total: usize) -> BoxResult<(f64, u64)> {
        let t = Instant::now();
        let mut sum = 0u64;
        let n = self.walk(usize::MAX, |account: Value| {
            let account = black_box(account);
            sum += value_checksum(&account);
        })?;
        let secs = t.elapsed().as_secs_f64();
        expect_count(n, total)?;
        Ok((secs, sum))
    }
}
