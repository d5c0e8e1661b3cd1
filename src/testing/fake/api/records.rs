//! The records: accounts, videos and creators, their creates, reads, updates, deletes and
//! links.

use serde_json::{Map, Value, json};

use super::input::Validator;
use super::{Reply, State, data_response, num, str_of};
use crate::testing::fake::data::{self, Record, iso};
use crate::testing::fake::http::{Request, Response};

impl State {
    // ------------------------------------------------------------------------------------
    // Accounts

    pub(super) fn render_account(&self, a: &Record) -> Value {
        let mut a = a.clone();
        let name = self
            .creators
            .iter()
            .find(|c| a["creator_id"] == c["id"])
            .map(|c| c["name"].clone())
            .unwrap_or(Value::Null);
        a.insert("creator_name".into(), name);
        Value::Object(a)
    }

    /// Refreshes what is due: the accounts whose refresh is due at their next read, and every
    /// video created before this request.
    pub(super) fn refresh_due(&mut self) {
        self.scrape_due_accounts();
        if self.pending_videos.is_empty() {
            return; // Nothing to refresh: no walk over every video on every request.
        }
        let now = self.clock;
        for v in self.videos.iter_mut() {
            if self.pending_videos.remove(str_of(v, "id")) {
                data::mark_video_scraped(v, now);
            }
        }
    }

    /// Refreshes the accounts whose refresh is due at their next read.
    pub(super) fn scrape_due_accounts(&mut self) {
        let due: Vec<String> = self
            .pending_scrape
            .iter()
            .filter(|(_, n)| **n == 0)
            .map(|(id, _)| id.clone())
            .collect();
        for id in due {
            self.pending_scrape.remove(&id);
            let now = self.clock;
            if let Some(a) = self.accounts.iter_mut().find(|a| a["id"] == id.as_str()) {
                data::mark_account_scraped(a, now);
            }
        }
    }

    pub(super) fn get_account(&mut self, id: &str) -> Reply {
        // A refresh held back by `scrape_after` comes one read closer (`refresh_due` applies
        // it on the read after the count reaches zero).
        if let Some(n) = self.pending_scrape.get_mut(id) {
            *n = n.saturating_sub(1);
        }
        let a = self
            .accounts
            .iter()
            .find(|a| a["id"] == id)
            .ok_or_else(|| self.not_found("Account"))?;
        Ok(data_response(200, self.render_account(a)))
    }

    pub(super) fn create_account(&mut self, req: &Request) -> Reply {
        let body = self.json_body(req)?;
        let mut v = Validator::default();
        let platform = v.platform(&body);
        let username = v.text(&body, "username", true, 64);
        if let Some(u) = &username {
            if !u
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
            {
                v.error("username", "may contain only letters, digits, '.' and '_'");
            }
        }
        let category = v.text(&body, "category", false, 64);
        let interval = v.interval(&body).unwrap_or(24);
        let active = v.flag(&body, "is_active").unwrap_or(true);
        let metadata = v.metadata(&body);
        v.done(self)?;
        let (Some(platform), Some(username)) = (platform, username) else {
            return Err(self.invalid(&[("body".into(), "is incomplete".into())]));
        };
        if self.accounts.iter().any(|a| {
            a["platform"] == platform.as_str()
                && str_of(a, "username").eq_ignore_ascii_case(&username)
        }) {
            return Err(self.problem(
                409,
                "CONFLICT",
                &format!("@{username} on {platform} is already tracked."),
            ));
        }
        if self.account_quota.is_some_and(|q| self.accounts.len() >= q) {
            return Err(self.problem(
                403,
                "QUOTA_EXCEEDED",
                "The organization's tracking quota is reached.",
            ));
        }
        self.created += 1;
        let id = data::created_id("a1000000", self.created);
        let now = self.tick();
        let record = data::new_account(
            &id,
            &platform,
            &username,
            category.as_deref(),
            interval,
            active,
            metadata,
            now,
        );
        self.pending_scrape.insert(id.clone(), 0);
        let body = self.render_account(&record);
        self.accounts.push(record);
        Ok(data_response(201, body).header("location", self.location(&format!("/accounts/{id}"))))
    }

    // ------------------------------------------------------------------------------------
    // Videos

    pub(super) fn create_video(&mut self, req: &Request) -> Reply {
        let body = self.json_body(req)?;
        let mut v = Validator::default();
        let platform = v.platform(&body);
        let identifier = v.text(&body, "identifier", true, 512);
        let shortcode = identifier.as_deref().map(|i| {
            let i = i.split(['?', '#']).next().unwrap_or(i);
            i.rsplit('/')
                .find(|s| !s.is_empty())
                .unwrap_or(i)
                .to_owned()
        });
        if let Some(s) = &shortcode {
            if s.is_empty()
                || !s
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                v.error("identifier", "must be a post URL, a shortcode or an id");
            }
        }
        let active = v.flag(&body, "is_active").unwrap_or(true);
        let interval = v.interval(&body).unwrap_or(24);
        let metadata = v.metadata(&body);
        v.done(self)?;
        let (Some(platform), Some(shortcode)) = (platform, shortcode) else {
            return Err(self.invalid(&[("body".into(), "is incomplete".into())]));
        };
        if self
            .videos
            .iter()
            .any(|x| x["platform"] == platform.as_str() && x["shortcode"] == shortcode.as_str())
        {
            return Err(self.problem(409, "CONFLICT", "This video is already tracked."));
        }
        self.created += 1;
        let id = data::created_id("b2000000", self.created);
        let now = self.tick();
        let record = data::new_video(
            &id, &platform, &shortcode, active, interval, metadata, now, None,
        );
        if active {
            // "When created active, metrics are fetched in the background right away": an
            // inactive video is not refreshed until it is activated.
            self.pending_videos.insert(id.clone());
        }
        let body = Value::Object(record.clone());
        self.videos.push(record);
        // No `Location`: the API has no `GET /videos/{id}` for it to point at.
        Ok(data_response(201, body))
    }

    // ------------------------------------------------------------------------------------
    // Creators

    pub(super) fn render_creator(&self, c: &Record) -> Value {
        let linked: Vec<&Record> = self
            .accounts
            .iter()
            .filter(|a| a["creator_id"] == c["id"])
            .collect();
        let mut platforms = Map::new();
        for a in &linked {
            let p = str_of(a, "platform").to_owned();
            let n = platforms.get(&p).and_then(Value::as_u64).unwrap_or(0);
            platforms.insert(p, json!(n + 1));
        }
        let followers: u64 = linked.iter().map(|a| num(a, "follower_count")).sum();
        let mut c = c.clone();
        c.insert(
            "accounts_summary".into(),
            json!({"total": linked.len(), "platforms": platforms, "total_followers": followers}),
        );
        Value::Object(c)
    }

    pub(super) fn creator_index(&self, id: &str) -> Result<usize, Response> {
        self.creators
            .iter()
            .position(|c| c["id"] == id)
            .ok_or_else(|| self.not_found("Creator"))
    }

    /// The index of `account` in the accounts, once both it and creator `id` are known.
    pub(super) fn link_indexes(&self, id: &str, account: &str) -> Result<usize, Response> {
        self.creator_index(id)?;
        self.accounts
            .iter()
            .position(|a| a["id"] == account)
            .ok_or_else(|| self.not_found("Account"))
    }

    pub(super) fn get_creator(&self, id: &str) -> Reply {
        let i = self.creator_index(id)?;
        Ok(data_response(200, self.render_creator(&self.creators[i])))
    }

    pub(super) fn create_creator(&mut self, req: &Request) -> Reply {
        let body = self.json_body(req)?;
        let mut v = Validator::default();
        let name = v.name(&body, true);
        let active = v.flag(&body, "is_active").unwrap_or(true);
        let metadata = v.metadata(&body);
        v.done(self)?;
        let Some(name) = name else {
            return Err(self.invalid(&[("name".into(), "is required".into())]));
        };
        self.created += 1;
        let id = data::created_id("c3000000", self.created);
        self.tick();
        let record = data::new_creator(&id, &name, active, metadata);
        let body = self.render_creator(&record);
        self.creators.push(record);
        Ok(data_response(201, body).header("location", self.location(&format!("/creators/{id}"))))
    }

    pub(super) fn update_creator(&mut self, req: &Request, id: &str) -> Reply {
        let i = self.creator_index(id)?;
        let body = self.json_body(req)?;
        let mut v = Validator::default();
        let name = v.name(&body, false);
        let active = v.flag(&body, "is_active");
        let metadata = body
            .get("metadata")
            .filter(|m| !m.is_null())
            .map(|_| v.metadata(&body));
        v.done(self)?;
        self.tick();
        let c = &mut self.creators[i];
        if let Some(name) = name {
            c.insert("name".into(), json!(name));
        }
        if let Some(m) = metadata {
            c.insert("metadata".into(), m);
        }
        if let Some(active) = active {
            c.insert("is_active".into(), json!(active));
            // Pausing a creator pauses its accounts (and activating resumes them).
            for a in self.accounts.iter_mut().filter(|a| a["creator_id"] == id) {
                a.insert("is_active".into(), json!(active));
            }
        }
        Ok(data_response(200, self.render_creator(&self.creators[i])))
    }

    pub(super) fn delete_creator(&mut self, id: &str) -> Reply {
        let i = self.creator_index(id)?;
        self.tick();
        self.creators.remove(i);
        for a in self.accounts.iter_mut().filter(|a| a["creator_id"] == id) {
            a.insert("creator_id".into(), Value::Null);
            self.linked_at.remove(str_of(a, "id"));
        }
        Ok(Response::new(204))
    }

    pub(super) fn link(&mut self, id: &str, account: &str) -> Reply {
        let a = self.link_indexes(id, account)?;
        let record = |at: u64| {
            json!({"type": "creator_account_link", "creator_id": id, "account_id": account,
                   "linked_at": iso(at)})
        };
        match self.accounts[a]["creator_id"].as_str() {
            Some(c) if c == id => {
                let at = self
                    .linked_at
                    .get(account)
                    .copied()
                    .unwrap_or(data::CLOCK_EPOCH);
                Ok(data_response(200, record(at)))
            }
            Some(_) => Err(self.problem(
                409,
                "CONFLICT",
                "The account is linked to another creator: unlink it there first.",
            )),
            None => {
                let now = self.tick();
                self.accounts[a].insert("creator_id".into(), json!(id));
                self.linked_at.insert(account.to_owned(), now);
                Ok(data_response(201, record(now)).header(
                    "location",
                    self.location(&format!("/creators/{id}/accounts/{account}")),
                ))
            }
        }
    }

    pub(super) fn unlink(&mut self, id: &str, account: &str) -> Reply {
        let a = self.link_indexes(id, account)?;
        if self.accounts[a]["creator_id"] != id {
            return Err(self.problem(
                404,
                "NOT_FOUND",
                "The account is not linked to this creator.",
            ));
        }
        self.tick();
        self.accounts[a].insert("creator_id".into(), Value::Null);
        self.linked_at.remove(account);
        Ok(Response::new(204))
    }
}
