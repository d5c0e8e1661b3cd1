//! Export tracked accounts, videos or creators as JSON Lines or CSV, crash-safe.
//!
//! ```text
//! cargo run --example export -- accounts --platform tiktok --active true > accounts.jsonl
//! cargo run --example export -- videos --format csv --output videos.csv --checkpoint videos.ckpt
//! cargo run --example export -- creators --resume ca1.eyJ2IjoxLCJlbmRwb2ludCI6IkdFVCAvY3JlYXRvcnMiLCJxdWVyeSI6…
//! ```
//!
//! Records go to stdout, or with `--output FILE` are appended to FILE. With `--checkpoint
//! FILE` as well, the export can be stopped at any moment (Ctrl-C, a crash, `kill -9`, a
//! reboot) and finished by running the same command again: after each page the output is
//! flushed to disk, then the checkpoint file is replaced (atomically: written beside it, then
//! renamed) with where the walk is and how long the output was at that point. On start, an
//! existing checkpoint resumes the walk and first cuts the output back to that length, so
//! every record ends up in the output exactly once. A finished export leaves its checkpoint
//! marked done: running the command again changes nothing. A checkpoint continues only its
//! own output: another `--output`, or an output shorter than it recorded (removed, or cut
//! by hand), is refused (exit 2) rather than padded or truncated. `--max` counts the records
//! of every run of the export: a run with a higher `--max` continues where the last one
//! stopped.
//!
//! Progress (items, pages, rate limit left) goes to stderr when stderr is a terminal. Exit
//! codes: 0 done; 1 failed; 2 bad arguments; 75 failed in a way trying again later may fix
//! (a `503`, a timeout, the rate limit); 130 interrupted by Ctrl-C. On 75 and 130 it prints
//! how to continue: the same command when a checkpoint file is kept, otherwise a
//! `--resume TOKEN` (a [`creatoraudit::Checkpoint`]) that continues after the last record
//! written. A second Ctrl-C exits at once.
//!
//! With `CREATORAUDIT_API_KEY` set it exports from the API (`CREATORAUDIT_BASE_URL` if set);
//! without, from the SDK's offline fake (`creatoraudit::testing::FakeApi`: 450 accounts,
//! 120 videos, 30 creators), so it can be tried offline. Two knobs of the offline mode show
//! the recovery: `EXPORT_DEMO_FAIL_AT=200` makes the fake answer `503` once 200 records are
//! exported; `EXPORT_DEMO_PAGE_DELAY_MS=50` pauses after writing each page and before saving
//! its checkpoint (a slow disk), time to press Ctrl-C or to `kill -9` it at the worst moment.

use std::ffi::OsString;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use creatoraudit::{
    Account, AccountOrder, CancelToken, Checkpoint, Client, Creator, CreatorOrder, Error,
    ListAccounts, ListCreators, ListVideos, OrderDirection, Pages, Paginator, Platform, Video,
    VideoOrder,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

mod common;

const USAGE: &str = "\
usage: export <accounts|videos|creators> [options]

  --format jsonl|csv       output format (default jsonl)
  --output FILE            append the records to FILE instead of stdout
  --checkpoint FILE        save progress to FILE after each page; run the same command
                           again to continue after a crash or Ctrl-C (needs --output)
  --resume TOKEN           continue from a token printed by an interrupted export
  --platform P             instagram or tiktok             (accounts, videos)
  --q TEXT                 username/caption contains TEXT  (accounts, videos)
  --active true|false      active or paused only
  --category C             category                        (accounts)
  --creator-id ID          linked to this creator          (accounts)
  --account-id ID          of this tracked account         (videos)
  --order-by KEY           sort key, e.g. follower_count, view_count, name
  --order asc|desc         sort direction
  --page-size N            items per request, 1-200 (default 200)
  --max N                  stop after N items in all (continued from a checkpoint
                           file, it counts what earlier runs wrote)";

fn main() -> ExitCode {
    let args = match Args::parse(std::env::args_os().skip(1)) {
        Ok(args) => args,
        Err(why) if why == HELP => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(why) => return usage(&why),
    };
    let cancel = CancelToken::new();
    let on_signal = cancel.clone();
    let handler = ctrlc::set_handler(move || {
        if on_signal.is_cancelled() {
            std::process::exit(130); // the second Ctrl-C: do not wait
        }
        on_signal.cancel();
    });
    if let Err(e) = handler {
        eprintln!("export: cannot install the Ctrl-C handler ({e}); Ctrl-C will not save progress");
    }
    let _fake; // keeps the offline API alive while exporting
    let builder = if common::live() {
        Client::builder().read_env()
    } else {
        eprintln!("export: CREATORAUDIT_API_KEY is not set; exporting from the offline fake API");
        let fake = offline::start(&args.resource, args.page_size);
        let builder = fake.client_builder();
        _fake = fake;
        Ok(builder)
    };
    let client = builder.and_then(|b| {
        b.user_agent_suffix("export-example")
            .cancel_token(cancel.clone())
            .build()
    });
    let client = match client {
        Ok(client) => client,
        Err(e) => {
            eprintln!("export: {e}");
            return ExitCode::from(2);
        }
    };
    let outcome = match args.resource.as_str() {
        "accounts" => Job::start(&args, |from| args.accounts(&client, from)),
        "videos" => Job::start(&args, |from| args.videos(&client, from)),
        "creators" => Job::start(&args, |from| args.creators(&client, from)),
        other => Err(Failure::Usage(format!("unknown resource {other:?}"))),
    };
    finish(outcome, &args)
}

/// What `Args::parse` answers for `--help`: not an error, the usage on stdout.
const HELP: &str = "help";

fn usage(why: &str) -> ExitCode {
    eprintln!("export: {why}\n\n{USAGE}");
    ExitCode::from(2)
}

/// Reports how the export ended, and what to run to continue it.
fn finish(outcome: Result<u64, Failure>, args: &Args) -> ExitCode {
    let terminal = std::io::stderr().is_terminal();
    if terminal {
        eprintln!();
    }
    let (code, resume) = match outcome {
        Ok(items) => {
            if terminal {
                eprintln!("done: {} records exported", common::num(items));
            }
            return ExitCode::SUCCESS;
        }
        Err(Failure::Usage(why)) => return usage(&why),
        Err(Failure::Mismatch(why)) => {
            eprintln!("export: {why}");
            return ExitCode::from(2);
        }
        // Parameters refused before any record (the walk names no listing, or had not left
        // its start: a filter too long for a URL): bad arguments.
        Err(Failure::Api {
            error: Error::InvalidInput(why),
            resume,
        }) if resume
            .as_ref()
            .is_none_or(|c| c.endpoint().is_empty() || at_start(c)) =>
        {
            // A checkpoint of the start, saved before the first page, would hold the refused
            // options and turn the corrected command away: nothing was exported, so it goes.
            if let Some(path) = &args.checkpoint {
                let _ = std::fs::remove_file(path);
            }
            return usage(&why);
        }
        // Later in the walk (a cursor the server sent that no URL can carry): continuing
        // would meet it again.
        Err(Failure::Api {
            error: error @ Error::InvalidInput(_),
            ..
        }) => {
            eprintln!("export failed: {error}");
            return ExitCode::from(1);
        }
        Err(Failure::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            return ExitCode::SUCCESS; // stdout went away (e.g. `| head`): stop quietly
        }
        Err(Failure::Output(e)) => {
            eprintln!("export: cannot write the output or the checkpoint: {e}");
            return ExitCode::from(1);
        }
        Err(Failure::Api { error, resume }) if error.is_cancelled() => {
            eprintln!("export: interrupted; progress saved");
            (130, resume)
        }
        Err(Failure::Api { error, resume }) => {
            eprintln!("export failed: {error}");
            (if error.is_retryable() { 75 } else { 1 }, resume)
        }
    };
    // A walk still at the start of its listing has nothing to continue.
    if resume.as_ref().is_none_or(at_start) && args.resume.is_none() {
        let fix = if code == 130 {
            ""
        } else {
            "fix the cause and "
        };
        eprintln!("nothing was exported; {fix}run the same command again");
    } else if args.checkpoint.is_some() {
        eprintln!("to continue, run the same command again");
    } else if let Some(checkpoint) = resume {
        eprintln!("resume with: --resume {checkpoint}");
    }
    ExitCode::from(code)
}

/// Whether a walk's checkpoint is still at the start of its listing.
fn at_start(checkpoint: &Checkpoint) -> bool {
    checkpoint.cursor().is_none() && checkpoint.position() == 0
}

enum Failure {
    Usage(String),
    /// The checkpoint file does not fit the output (exit 2, without the usage text).
    Mismatch(String),
    /// The walk stopped; `resume` continues after the last record written.
    Api {
        error: Error,
        resume: Option<Checkpoint>,
    },
    Output(std::io::Error),
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Output(e)
    }
}

/// What `--checkpoint FILE` holds: the walk's place, and the output (which file, how long,
/// how many records) at that place.
#[derive(Serialize, Deserialize)]
struct Saved {
    resource: String,
    checkpoint: Checkpoint,
    /// The output file, as an absolute path: a checkpoint continues only its own output.
    output: PathBuf,
    output_len: u64,
    /// Records written by every run so far (`--max` counts them all).
    records: u64,
    /// The options the export was started with (filters, sort, page size, format): a run
    /// that continues it must give the same.
    settings: Vec<String>,
    done: bool,
}

impl Saved {
    fn load(path: &Path) -> Result<Option<Saved>, Failure> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        serde_json::from_str(&text).map(Some).map_err(|e| {
            Failure::Usage(format!(
                "{} is not a checkpoint of this export ({e}); remove it to start over",
                path.display()
            ))
        })
    }

    /// Replaces the file atomically: a crash leaves the old checkpoint or the new one.
    fn store(&self, path: &Path) -> std::io::Result<()> {
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        let mut file = File::create(&tmp)?;
        serde_json::to_writer(&mut file, self)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)?;
        // The rename itself is durable once the directory is synced (where that is possible).
        #[cfg(unix)]
        if let Some(dir) = path.parent() {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            File::open(dir)?.sync_all()?;
        }
        Ok(())
    }

    /// Refuses to continue into another output, or into one that lost what was recorded.
    fn check_output(&self, output: &Path, len: u64) -> Result<(), Failure> {
        let start_over = "remove the checkpoint file to start over";
        if output != self.output {
            return Err(Failure::Mismatch(format!(
                "the checkpoint file belongs to the output {}, not {}; {start_over}",
                self.output.display(),
                output.display()
            )));
        }
        if len < self.output_len {
            return Err(Failure::Mismatch(format!(
                "{} is shorter ({len} bytes) than when the checkpoint was saved ({} bytes): \
                 records written before are missing; {start_over}",
                output.display(),
                self.output_len
            )));
        }
        Ok(())
    }
}

/// One export: where the records go, and where its progress is kept.
struct Job<'a> {
    args: &'a Args,
    out: BufWriter<Box<dyn Write>>,
    /// The output file, to measure and sync it (`None` for stdout), as an absolute path.
    file: Option<(File, PathBuf)>,
    /// Records written by this run.
    written: u64,
    /// Records written by every run of this export (a checkpoint's count included).
    records: u64,
}

impl<'a> Job<'a> {
    /// Opens the output, continues from the saved checkpoint or the `--resume` token if
    /// any, and exports every remaining record; returns how many this run wrote.
    fn start<T: Record>(
        args: &'a Args,
        walk: impl FnOnce(Option<&Checkpoint>) -> Result<Paginator<T>, Failure>,
    ) -> Result<u64, Failure> {
        let saved = match &args.checkpoint {
            Some(path) => Saved::load(path)?,
            None => None,
        };
        if let Some(saved) = &saved {
            if saved.resource != args.resource {
                return Err(Failure::Mismatch(format!(
                    "the checkpoint file is of an export of {}, not {}",
                    saved.resource, args.resource
                )));
            }
            if saved.settings != args.settings() {
                return Err(Failure::Mismatch(format!(
                    "the checkpoint file was saved by an export with `{}`, this one has `{}`: \
                     run it with the same options, or remove the checkpoint file to start over",
                    saved.settings.join(" "),
                    args.settings().join(" ")
                )));
            }
        }
        let (mut job, output_len) = Job::open(args, saved.as_ref())?;
        if saved.as_ref().is_some_and(|s| s.done) {
            eprintln!("export: already complete (remove the checkpoint file to export again)");
            return Ok(0);
        }
        if let (Some(saved), Some(max)) = (&saved, args.max) {
            if saved.records >= max {
                eprintln!("export: already at --max {max} records (raise --max to export more)");
                return Ok(0);
            }
        }
        let resume = match (&saved, &args.resume) {
            (Some(saved), _) => Some(saved.checkpoint.clone()),
            (None, Some(token)) => {
                let token = token
                    .parse::<Checkpoint>()
                    .map_err(|e| Failure::Usage(format!("--resume: {e}")))?;
                args.check_token(&token)?;
                Some(token)
            }
            (None, None) => None,
        };
        let walk = walk(resume.as_ref())?;
        if output_len == 0 && resume.is_none() && args.csv {
            csv_line(&mut job.out, T::COLUMNS.iter().map(|c| c.to_string()))?;
        }
        job.run(walk)
    }

    /// The output, cut back to the length the checkpoint recorded (when there is one and it
    /// is this output's); with its length now.
    fn open(args: &'a Args, saved: Option<&Saved>) -> Result<(Job<'a>, u64), Failure> {
        let records = saved.map_or(0, |s| s.records);
        let Some(path) = &args.output else {
            let out: Box<dyn Write> = Box::new(std::io::stdout().lock());
            let job = Job {
                args,
                out: BufWriter::new(out),
                file: None,
                written: 0,
                records,
            };
            return Ok((job, 0));
        };
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        let path = std::fs::canonicalize(path)?;
        if let Some(saved) = saved {
            saved.check_output(&path, file.metadata()?.len())?;
            file.set_len(saved.output_len)?; // drop what was written after the checkpoint
        }
        let len = file.metadata()?.len();
        let out: Box<dyn Write> = Box::new(file.try_clone()?);
        let job = Job {
            args,
            out: BufWriter::new(out),
            file: Some((file, path)),
            written: 0,
            records,
        };
        Ok((job, len))
    }

    /// Writes the walk page by page, saving the checkpoint after each.
    fn run<T: Record>(mut self, walk: Paginator<T>) -> Result<u64, Failure> {
        let progress = std::io::stderr().is_terminal();
        // `--max` counts every run: the walk stops at what is left, its checkpoint right
        // after the last record written (inside the page cut there), so that a run with a
        // higher `--max` continues from it.
        let walk = match self.args.max {
            Some(max) => walk.max_items(max.saturating_sub(self.records)),
            None => walk,
        };
        let mut pages = walk.pages();
        if !pages.checkpoint().endpoint().is_empty() {
            // A crash before the first page keeps the start (and the output's length). A walk
            // whose parameters were refused has no place worth keeping: its error comes next.
            self.save(pages.checkpoint(), false)?;
        }
        let mut count = 0u64;
        while let Some(page) = pages.next() {
            let page = page.map_err(|error| Failure::Api {
                error,
                resume: Some(pages.checkpoint()),
            })?;
            for item in &page.items {
                if self.args.csv {
                    csv_line(&mut self.out, item.row())?;
                } else {
                    serde_json::to_writer(&mut self.out, item).map_err(std::io::Error::from)?;
                    self.out.write_all(b"\n")?;
                }
                self.written += 1;
                self.records += 1;
            }
            count += 1;
            offline::pause_before_checkpoint();
            self.save_position(&pages)?;
            if progress {
                let left = page.meta.rate_limit.map(|r| common::num(r.remaining));
                eprint!(
                    "\r{} records, {} pages, rate limit left: {}   ",
                    common::num(self.written),
                    common::num(count),
                    left.as_deref().unwrap_or("-")
                );
            }
        }
        if count == 0 {
            // No page came (each one that did was saved as it was written).
            self.save_position(&pages)?;
        }
        Ok(self.written)
    }

    /// [`save`](Self::save)s where `pages` is: done when the listing is.
    fn save_position<T>(&mut self, pages: &Pages<T>) -> Result<(), Failure> {
        let checkpoint = pages.checkpoint();
        let done = checkpoint.is_complete();
        self.save(checkpoint, done)
    }

    /// Makes the records written so far durable, then records where the walk is.
    fn save(&mut self, checkpoint: Checkpoint, done: bool) -> Result<(), Failure> {
        self.out.flush()?;
        let (Some(path), Some((file, output))) = (&self.args.checkpoint, &self.file) else {
            return Ok(());
        };
        file.sync_data()?;
        let saved = Saved {
            resource: self.args.resource.clone(),
            checkpoint,
            output: output.clone(),
            output_len: file.metadata()?.len(),
            records: self.records,
            settings: self.args.settings(),
            done,
        };
        Ok(saved.store(path)?)
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
    output: Option<PathBuf>,
    checkpoint: Option<PathBuf>,
    resume: Option<String>,
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
}

impl Args {
    /// Reads the command line. File names may be any bytes the system allows; every other
    /// argument must be UTF-8.
    fn parse(mut argv: impl Iterator<Item = OsString>) -> Result<Args, String> {
        let text = |arg: OsString| {
            arg.into_string()
                .map_err(|arg| format!("{} is not valid UTF-8", Path::new(&arg).display()))
        };
        let mut args = Args {
            resource: text(
                argv.next()
                    .ok_or("which resource: accounts, videos or creators?")?,
            )?,
            ..Args::default()
        };
        if args.resource == "--help" || args.resource == "-h" {
            return Err(HELP.into());
        }
        while let Some(flag) = argv.next() {
            let flag = text(flag)?;
            if flag == "--help" || flag == "-h" {
                return Err(HELP.into());
            }
            let mut path = || argv.next().ok_or(format!("{flag} needs a value"));
            match flag.as_str() {
                "--output" => {
                    args.output = Some(path()?.into());
                    continue;
                }
                "--checkpoint" => {
                    args.checkpoint = Some(path()?.into());
                    continue;
                }
                _ => {}
            }
            let mut value = || text(argv.next().ok_or(format!("{flag} needs a value"))?);
            match flag.as_str() {
                "--format" => {
                    args.csv = match value()?.as_str() {
                        "csv" => true,
                        "jsonl" => false,
                        other => return Err(format!("--format: jsonl or csv, not {other}")),
                    }
                }
                "--resume" => args.resume = Some(value()?),
                "--platform" => args.platform = Some(value()?.parse().map_err(|e| format!("{e}"))?),
                "--q" => args.q = Some(value()?),
                "--active" => {
                    args.active = Some(value()?.parse().map_err(|_| "--active: true or false")?)
                }
                "--category" => args.category = Some(value()?),
                "--creator-id" => args.creator_id = Some(value()?),
                "--account-id" => args.account_id = Some(value()?),
                // Sort keys are read as the SDK reads them (trimmed, any case), so that the
                // same key spelled otherwise is the same export.
                "--order-by" => args.order_by = Some(value()?.trim().to_ascii_lowercase()),
                "--order" => args.order = Some(value()?.parse().map_err(|e| format!("{e}"))?),
                "--page-size" => {
                    args.page_size = Some(value()?.parse().map_err(|_| "--page-size: a number")?)
                }
                "--max" => args.max = Some(value()?.parse().map_err(|_| "--max: a number")?),
                other => return Err(format!("unknown option {other}")),
            }
        }
        if args.checkpoint.is_some() && args.output.is_none() {
            return Err(
                "--checkpoint needs --output: only a file can be cut back on resume".into(),
            );
        }
        if args.checkpoint.is_some() && args.resume.is_some() {
            return Err("--checkpoint already knows where to resume: drop --resume".into());
        }
        Ok(args)
    }

    /// The options that shape the walk (filters, sort, page size) that were given: each
    /// flag, the query parameter it sets, and its value.
    fn walk_options(&self) -> Vec<(&'static str, &'static str, String)> {
        let options = [
            (
                "--platform",
                "platform",
                self.platform.as_ref().map(ToString::to_string),
            ),
            ("--q", "q", self.q.clone()),
            ("--active", "is_active", self.active.map(|a| a.to_string())),
            ("--category", "category", self.category.clone()),
            ("--creator-id", "creator_id", self.creator_id.clone()),
            ("--account-id", "account_id", self.account_id.clone()),
            ("--order-by", "order_by", self.order_by.clone()),
            (
                "--order",
                "order_direction",
                self.order.map(|o| o.to_string()),
            ),
            (
                "--page-size",
                "limit",
                self.page_size.map(|n| n.to_string()),
            ),
        ];
        options
            .into_iter()
            .filter_map(|(flag, name, value)| Some((flag, name, value?)))
            .collect()
    }

    /// Everything a checkpoint file must be continued with: the walk's options and the
    /// output format.
    fn settings(&self) -> Vec<String> {
        let mut settings: Vec<String> = self
            .walk_options()
            .into_iter()
            .map(|(flag, _, value)| format!("{flag} {value}"))
            .collect();
        settings.push(format!(
            "--format {}",
            if self.csv { "csv" } else { "jsonl" }
        ));
        settings
    }

    /// Refuses walk options a `--resume` token was not taken with: the token's filters,
    /// sort and page size are the walk's, and could not be changed silently.
    fn check_token(&self, token: &Checkpoint) -> Result<(), Failure> {
        for (flag, name, value) in self.walk_options() {
            let taken = token.query().iter().find(|(k, _)| k == name);
            if taken.is_none_or(|(_, v)| *v != value) {
                return Err(Failure::Mismatch(format!(
                    "--resume continues the walk it was taken on, which did not have \
                     `{flag} {value}`: drop {flag}, or start a new export"
                )));
            }
        }
        Ok(())
    }

    fn reject(&self, resource: &str, flags: &[(&str, bool)]) -> Result<(), Failure> {
        match flags.iter().find(|(_, set)| *set) {
            Some((flag, _)) => Err(Failure::Usage(format!(
                "{flag} does not apply to {resource}"
            ))),
            None => Ok(()),
        }
    }

    /// The sort key, parsed by the SDK (its error names the accepted keys).
    fn order_by<K: std::str::FromStr<Err = Error>>(&self) -> Result<Option<K>, Failure> {
        let key = self.order_by.as_deref().map(str::parse).transpose();
        key.map_err(|e| Failure::Usage(format!("--order-by: {e}")))
    }

    /// The walk over `/accounts`: from `from`, or from the start with the flags' filters.
    fn accounts(
        &self,
        client: &Client,
        from: Option<&Checkpoint>,
    ) -> Result<Paginator<Account>, Failure> {
        self.reject("accounts", &[("--account-id", self.account_id.is_some())])?;
        if let Some(checkpoint) = from {
            return client.accounts().resume(checkpoint).map_err(Failure::api);
        }
        let mut p = ListAccounts::new();
        p = apply(p, self.platform.clone(), ListAccounts::platform);
        p = apply(p, self.q.clone(), ListAccounts::q);
        p = apply(p, self.active, ListAccounts::is_active);
        p = apply(p, self.category.clone(), ListAccounts::category);
        p = apply(p, self.creator_id.clone(), ListAccounts::creator_id);
        p = apply(p, self.order_by::<AccountOrder>()?, ListAccounts::order_by);
        p = apply(p, self.order, ListAccounts::order_direction);
        p = apply(p, self.page_size, ListAccounts::limit);
        Ok(client.accounts().list(p))
    }

    /// The walk over `/videos`.
    fn videos(
        &self,
        client: &Client,
        from: Option<&Checkpoint>,
    ) -> Result<Paginator<Video>, Failure> {
        let not_videos = [
            ("--category", self.category.is_some()),
            ("--creator-id", self.creator_id.is_some()),
        ];
        self.reject("videos", &not_videos)?;
        if let Some(checkpoint) = from {
            return client.videos().resume(checkpoint).map_err(Failure::api);
        }
        let mut p = ListVideos::new();
        p = apply(p, self.platform.clone(), ListVideos::platform);
        p = apply(p, self.q.clone(), ListVideos::q);
        p = apply(p, self.active, ListVideos::is_active);
        p = apply(p, self.account_id.clone(), ListVideos::account_id);
        p = apply(p, self.order_by::<VideoOrder>()?, ListVideos::order_by);
        p = apply(p, self.order, ListVideos::order_direction);
        p = apply(p, self.page_size, ListVideos::limit);
        Ok(client.videos().list(p))
    }

    /// The walk over `/creators`.
    fn creators(
        &self,
        client: &Client,
        from: Option<&Checkpoint>,
    ) -> Result<Paginator<Creator>, Failure> {
        let not_creators = [
            ("--platform", self.platform.is_some()),
            ("--q", self.q.is_some()),
            ("--category", self.category.is_some()),
            ("--creator-id", self.creator_id.is_some()),
            ("--account-id", self.account_id.is_some()),
        ];
        self.reject("creators", &not_creators)?;
        if let Some(checkpoint) = from {
            return client.creators().resume(checkpoint).map_err(Failure::api);
        }
        let mut p = ListCreators::new();
        p = apply(p, self.active, ListCreators::is_active);
        p = apply(p, self.order_by::<CreatorOrder>()?, ListCreators::order_by);
        p = apply(p, self.order, ListCreators::order_direction);
        p = apply(p, self.page_size, ListCreators::limit);
        Ok(client.creators().list(p))
    }
}

/// `set(params, value)` when the flag was given.
fn apply<P, V>(params: P, value: Option<V>, set: impl FnOnce(P, V) -> P) -> P {
    match value {
        Some(v) => set(params, v),
        None => params,
    }
}

impl Failure {
    /// An error before any record was written (a checkpoint of another listing).
    fn api(error: Error) -> Failure {
        Failure::Api {
            error,
            resume: None,
        }
    }
}

/// The offline API (the SDK's fake, with a few hundred records) and the demo knobs.
mod offline {
    use std::time::Duration;

    use creatoraudit::testing::{FakeApi, Fault};

    /// Starts the fake. With `EXPORT_DEMO_FAIL_AT=N`, every request for the resource after
    /// the first `N` records (pages of `page_size`) answers `503 SERVICE_UNAVAILABLE`.
    pub fn start(resource: &str, page_size: Option<u32>) -> FakeApi {
        let fake = FakeApi::builder()
            .accounts(450)
            .videos(120)
            .creators(30)
            .start();
        if let Some(at) = knob("EXPORT_DEMO_FAIL_AT") {
            let pages_before = at / u64::from(page_size.unwrap_or(200).max(1));
            let after = u32::try_from(pages_before).unwrap_or(u32::MAX);
            fake.inject(
                Fault::new("GET", &format!("/{resource}"), 503)
                    .after(after)
                    .always(),
            );
        }
        fake
    }

    /// `EXPORT_DEMO_PAGE_DELAY_MS`: a pause after each page's records are written and
    /// before its checkpoint is saved (a slow disk), the worst moment for a crash.
    pub fn pause_before_checkpoint() {
        // Read once, not on every page.
        static DELAY: std::sync::OnceLock<Option<u64>> = std::sync::OnceLock::new();
        if let Some(ms) = *DELAY.get_or_init(|| knob("EXPORT_DEMO_PAGE_DELAY_MS")) {
            std::thread::sleep(Duration::from_millis(ms));
        }
    }

    fn knob(name: &str) -> Option<u64> {
        std::env::var(name).ok()?.parse().ok()
    }
}
