//! Export tracked accounts, videos or creators as JSON Lines or CSV.
//!
//! ```text
//! cargo run --example export -- accounts --platform tiktok --active true > accounts.jsonl
//! cargo run --example export -- videos --account-id 4f1c… --format csv > videos.csv
//! cargo run --example export -- creators --format csv --resume eyJvIjo0MDB9 >> creators.csv
//! ```
//!
//! Records go to stdout, one per line. Progress (items, pages, rate limit left) goes to
//! stderr when stderr is a terminal, and stays quiet otherwise. If the export stops on an
//! error, it prints the problem (code, detail, request id) and the `--resume` cursor that
//! continues where it stopped, and exits non-zero: 75 when trying again later may work, 1
//! otherwise, 2 for bad arguments.
//!
//! Without `CREATORAUDIT_API_KEY` it exports from the SDK's offline fake of the API
//! (`creatoraudit::testing::FakeApi`, with 450 accounts, 120 videos and 30 creators), so it
//! can be tried offline. There, `EXPORT_DEMO_FAIL_AT=200` makes the fake answer `503` once
//! 200 records are exported (by fault injection), to see an interrupted export and its
//! `--resume` line; the resumed run (without the variable) completes it.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use creatoraudit::{
    Account, AccountOrder, Client, Creator, CreatorOrder, Error, ListAccounts, ListCreators,
    ListVideos, OrderDirection, Page, Paginator, Platform, Video, VideoOrder,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

const USAGE: &str = "\
usage: export <accounts|videos|creators> [options]

  --format jsonl|csv       output format (default jsonl)
  --platform P             instagram or tiktok             (accounts, videos)
  --q TEXT                 username/caption contains TEXT  (accounts, videos)
  --active true|false      active or paused only
  --category C             category                        (accounts)
  --creator-id ID          linked to this creator          (accounts)
  --account-id ID          of this tracked account         (videos)
  --order-by KEY           sort key, e.g. follower_count, view_count, name
  --order asc|desc         sort direction
  --page-size N            items per request, 1-200 (default 200)
  --max N                  stop after N items
  --resume CURSOR          continue an interrupted export";

fn main() -> ExitCode {
    let args = match Args::parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(why) => {
            eprintln!("export: {why}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let _fake; // keeps the offline API alive while exporting
    let client = if std::env::var_os(creatoraudit::API_KEY_ENV).is_some_and(|k| !k.is_empty()) {
        Client::builder()
            .read_env()
            .and_then(|b| b.user_agent_suffix("export-example").build())
    } else {
        eprintln!("export: CREATORAUDIT_API_KEY is not set; exporting from the offline fake API");
        let fake = offline::start(&args.resource, args.page_size);
        let client = fake
            .client_builder()
            .user_agent_suffix("export-example")
            .build();
        _fake = fake;
        client
    };
    let client = match client {
        Ok(client) => client,
        Err(e) => {
            eprintln!("export: {e}");
            return ExitCode::from(2);
        }
    };
    let outcome = match args.resource.as_str() {
        "accounts" => args.accounts(&client).and_then(|walk| export(walk, &args)),
        "videos" => args.videos(&client).and_then(|walk| export(walk, &args)),
        "creators" => args.creators(&client).and_then(|walk| export(walk, &args)),
        other => Err(Failure::Usage(format!("unknown resource {other:?}"))),
    };
    match outcome {
        Ok(n) => {
            progress_done(n);
            ExitCode::SUCCESS
        }
        Err(Failure::Usage(why)) => {
            eprintln!("export: {why}\n\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Api {
            error: Error::InvalidInput(why),
            ..
        }) => {
            eprintln!("export: {why}\n\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Api { error, resume }) => {
            report(&error, resume.as_deref());
            ExitCode::from(if error.is_retryable() { 75 } else { 1 })
        }
        Err(Failure::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Failure::Output(e)) => {
            eprintln!("export: cannot write the output: {e}");
            ExitCode::from(1)
        }
    }
}

enum Failure {
    Usage(String),
    Api {
        error: Error,
        resume: Option<String>,
    },
    /// stdout went away (e.g. `| head`): stop quietly.
    Output(std::io::Error),
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Output(e)
    }
}

/// Writes every item of the walk to stdout, page by page; returns how many were written.
fn export<T: Record>(walk: Paginator<T>, args: &Args) -> Result<u64, Failure> {
    let walk = match &args.resume {
        Some(cursor) => walk.resume_from(cursor.clone()),
        None => walk,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.csv && args.resume.is_none() {
        csv_line(&mut out, T::COLUMNS.iter().map(|c| c.to_string()))?;
    }
    let progress = std::io::stderr().is_terminal();
    let (mut items, mut pages) = (0u64, 0u64);
    let mut walk = walk.pages();
    // The cursor of the page being fetched: where a resumed export starts.
    let mut resume = args.resume.clone();
    while let Some(page) = walk.next() {
        let page: Page<T> = page.map_err(|error| Failure::Api {
            error,
            resume: resume.clone(),
        })?;
        pages += 1;
        for item in &page.items {
            if args.max.is_some_and(|max| items >= max) {
                break;
            }
            if args.csv {
                csv_line(&mut out, item.row())?;
            } else {
                serde_json::to_writer(&mut out, item).map_err(std::io::Error::from)?;
                out.write_all(b"\n")?;
            }
            items += 1;
        }
        out.flush()?;
        resume = walk.resume_cursor().map(str::to_owned);
        if progress {
            let left = page.meta.rate_limit.map(|r| r.remaining.to_string());
            eprint!(
                "\r{items} items, {pages} pages, rate limit left: {}   ",
                left.as_deref().unwrap_or("?")
            );
        }
        if args.max.is_some_and(|max| items >= max) {
            break;
        }
    }
    Ok(items)
}

fn report(error: &Error, resume: Option<&str>) {
    if std::io::stderr().is_terminal() {
        eprintln!();
    }
    match error.problem() {
        Some(p) => eprintln!(
            "export failed: {} {} ({}): {} [request id {}]",
            p.status,
            p.code,
            p.title,
            if p.detail.is_empty() { "-" } else { &p.detail },
            p.request_id.as_deref().unwrap_or("none")
        ),
        None => eprintln!("export failed: {error}"),
    }
    match resume {
        Some(cursor) => eprintln!("resume with: --resume {cursor}"),
        None => eprintln!("nothing was exported; run the same command again to start over"),
    }
}

fn progress_done(items: u64) {
    if std::io::stderr().is_terminal() {
        eprintln!("\rdone: {items} items exported          ");
    }
}

/// Writes one CSV record (RFC 4180 quoting).
fn csv_line(out: &mut impl Write, fields: impl IntoIterator<Item = String>) -> std::io::Result<()> {
    let mut line = String::new();
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        if field.contains([',', '"', '\n', '\r']) {
            line.push('"');
            line.push_str(&field.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(&field);
        }
    }
    line.push('\n');
    out.write_all(line.as_bytes())
}

/// A model that can be exported: serializable for JSON Lines, with CSV columns.
trait Record: Serialize + DeserializeOwned {
    const COLUMNS: &'static [&'static str];
    fn row(&self) -> Vec<String>;
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

impl Record for Account {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "platform",
        "username",
        "name",
        "is_active",
        "category",
        "follower_count",
        "view_count",
        "like_count",
        "last_scrape_time",
    ];
    fn row(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            opt(&self.platform),
            self.username.clone(),
            opt(&self.name),
            opt(&self.is_active),
            opt(&self.category),
            opt(&self.follower_count),
            opt(&self.view_count),
            opt(&self.like_count),
            opt(&self.last_scrape_time),
        ]
    }
}

impl Record for Video {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "platform",
        "shortcode",
        "account_username",
        "create_time",
        "view_count",
        "like_count",
        "comment_count",
        "share_count",
        "last_scrape_time",
    ];
    fn row(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            opt(&self.platform),
            opt(&self.shortcode),
            opt(&self.account_username),
            opt(&self.create_time),
            opt(&self.view_count),
            opt(&self.like_count),
            opt(&self.comment_count),
            opt(&self.share_count),
            opt(&self.last_scrape_time),
        ]
    }
}

impl Record for Creator {
    const COLUMNS: &'static [&'static str] =
        &["id", "name", "is_active", "accounts", "total_followers"];
    fn row(&self) -> Vec<String> {
        let summary = self.accounts_summary.as_ref();
        vec![
            self.id.clone(),
            self.name.clone(),
            opt(&self.is_active),
            opt(&summary.and_then(|s| s.total)),
            opt(&summary.and_then(|s| s.total_followers)),
        ]
    }
}

/// The parsed command line.
#[derive(Default)]
struct Args {
    resource: String,
    csv: bool,
    platform: Option<Platform>,
    q: Option<String>,
    active: Option<bool>,
    category: Option<String>,
    creator_id: Option<String>,
    account_id: Option<String>,
    order_by: Option<String>,
    order: Option<OrderDirection>,
    page_size: Option<u32>,
    max: Option<u64>,
    resume: Option<String>,
}

impl Args {
    fn parse(mut argv: impl Iterator<Item = String>) -> Result<Args, String> {
        let mut args = Args {
            resource: argv
                .next()
                .ok_or("which resource: accounts, videos or creators?")?,
            ..Args::default()
        };
        if args.resource == "--help" || args.resource == "-h" {
            return Err("help".into());
        }
        while let Some(flag) = argv.next() {
            let mut value = || argv.next().ok_or(format!("{flag} needs a value"));
            match flag.as_str() {
                "--format" => {
                    args.csv = match value()?.as_str() {
                        "csv" => true,
                        "jsonl" => false,
                        other => return Err(format!("--format: jsonl or csv, not {other:?}")),
                    }
                }
                "--platform" => args.platform = Some(value()?.parse().map_err(|e| format!("{e}"))?),
                "--q" => args.q = Some(value()?),
                "--active" => {
                    args.active = Some(value()?.parse().map_err(|_| "--active: true or false")?)
                }
                "--category" => args.category = Some(value()?),
                "--creator-id" => args.creator_id = Some(value()?),
                "--account-id" => args.account_id = Some(value()?),
                "--order-by" => args.order_by = Some(value()?),
                "--order" => args.order = Some(value()?.parse().map_err(|e| format!("{e}"))?),
                "--page-size" => {
                    args.page_size = Some(value()?.parse().map_err(|_| "--page-size: a number")?)
                }
                "--max" => args.max = Some(value()?.parse().map_err(|_| "--max: a number")?),
                "--resume" => args.resume = Some(value()?),
                other => return Err(format!("unknown option {other:?}")),
            }
        }
        Ok(args)
    }

    fn reject(&self, resource: &str, flags: &[(&str, bool)]) -> Result<(), Failure> {
        match flags.iter().find(|(_, set)| *set) {
            Some((flag, _)) => Err(Failure::Usage(format!(
                "{flag} does not apply to {resource}"
            ))),
            None => Ok(()),
        }
    }

    fn accounts(&self, client: &Client) -> Result<Paginator<Account>, Failure> {
        self.reject("accounts", &[("--account-id", self.account_id.is_some())])?;
        let mut p = ListAccounts::new();
        if let Some(v) = &self.platform {
            p = p.platform(v.clone());
        }
        if let Some(v) = &self.q {
            p = p.q(v);
        }
        if let Some(v) = self.active {
            p = p.is_active(v);
        }
        if let Some(v) = &self.category {
            p = p.category(v);
        }
        if let Some(v) = &self.creator_id {
            p = p.creator_id(v);
        }
        if let Some(key) = &self.order_by {
            p = p.order_by(match key.as_str() {
                "added_at" => AccountOrder::AddedAt,
                "username" => AccountOrder::Username,
                "last_scrape_time" => AccountOrder::LastScrapeTime,
                "follower_count" => AccountOrder::FollowerCount,
                "view_count" => AccountOrder::ViewCount,
                "like_count" => AccountOrder::LikeCount,
                "play_count" => AccountOrder::PlayCount,
                other => {
                    return Err(Failure::Usage(format!(
                        "--order-by {other:?} is not an account sort key"
                    )));
                }
            });
        }
        if let Some(v) = self.order {
            p = p.order_direction(v);
        }
        if let Some(v) = self.page_size {
            p = p.limit(v);
        }
        Ok(client.accounts().list(p))
    }

    fn videos(&self, client: &Client) -> Result<Paginator<Video>, Failure> {
        self.reject(
            "videos",
            &[
                ("--category", self.category.is_some()),
                ("--creator-id", self.creator_id.is_some()),
            ],
        )?;
        let mut p = ListVideos::new();
        if let Some(v) = &self.platform {
            p = p.platform(v.clone());
        }
        if let Some(v) = &self.q {
            p = p.q(v);
        }
        if let Some(v) = self.active {
            p = p.is_active(v);
        }
        if let Some(v) = &self.account_id {
            p = p.account_id(v);
        }
        if let Some(key) = &self.order_by {
            p = p.order_by(match key.as_str() {
                "added_at" => VideoOrder::AddedAt,
                "create_time" => VideoOrder::CreateTime,
                "view_count" => VideoOrder::ViewCount,
                "like_count" => VideoOrder::LikeCount,
                "play_count" => VideoOrder::PlayCount,
                other => {
                    return Err(Failure::Usage(format!(
                        "--order-by {other:?} is not a video sort key"
                    )));
                }
            });
        }
        if let Some(v) = self.order {
            p = p.order_direction(v);
        }
        if let Some(v) = self.page_size {
            p = p.limit(v);
        }
        Ok(client.videos().list(p))
    }

    fn creators(&self, client: &Client) -> Result<Paginator<Creator>, Failure> {
        self.reject(
            "creators",
            &[
                ("--platform", self.platform.is_some()),
                ("--q", self.q.is_some()),
                ("--category", self.category.is_some()),
                ("--creator-id", self.creator_id.is_some()),
                ("--account-id", self.account_id.is_some()),
            ],
        )?;
        let mut p = ListCreators::new();
        if let Some(v) = self.active {
            p = p.is_active(v);
        }
        match self.order_by.as_deref() {
            None => {}
            Some("name") => p = p.order_by(CreatorOrder::Name),
            Some(other) => {
                return Err(Failure::Usage(format!(
                    "--order-by {other:?}: creators sort by name only"
                )));
            }
        }
        if let Some(v) = self.order {
            p = p.order_direction(v);
        }
        if let Some(v) = self.page_size {
            p = p.limit(v);
        }
        Ok(client.creators().list(p))
    }
}

/// The offline API: the SDK's fake, with a few hundred records.
mod offline {
    use creatoraudit::testing::{FakeApi, Fault};

    /// Starts the fake. With `EXPORT_DEMO_FAIL_AT=N`, every request for the resource after
    /// the first `N` records (pages of `page_size`) answers `503 SERVICE_UNAVAILABLE`: an
    /// interrupted export, to see its `--resume` line.
    pub fn start(resource: &str, page_size: Option<u32>) -> FakeApi {
        let fake = FakeApi::builder()
            .accounts(450)
            .videos(120)
            .creators(30)
            .start();
        if let Some(at) = std::env::var("EXPORT_DEMO_FAIL_AT")
            .ok()
            .and_then(|v| v.parse::<u32>().ok())
        {
            let pages_before = at / page_size.unwrap_or(200).max(1);
            fake.inject(
                Fault::new("GET", &format!("/{resource}"), 503)
                    .after(pages_before)
                    .always(),
            );
        }
        fake
    }
}
