//! Cursor pagination: [`Paginator`], [`Pages`] and [`Page`].
//!
//! A listing is walked lazily, one page in memory at a time. Every page request repeats the
//! same filters and sort (the API binds a cursor to them) and adds the previous page's
//! `next_cursor`, verbatim. The walk ends when `has_next` is false, and ends with an error
//! rather than looping when the server breaks that contract.
//!
//! Where a walk is can be saved as a [`Checkpoint`] (the listing, its query, the cursor of the
//! current page and the position in it) and continued from there by another process.

use std::collections::HashSet;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;

use crate::call::Call;
use crate::checkpoint::Checkpoint;
use crate::page::Page;
use crate::params::Query;
use crate::{Client, Error, Result};

/// How many empty pages, each with `has_next`, a walk fetches in a row before it takes the
/// server for broken (a fresh cursor each time escapes the repeated-cursor check).
const MAX_EMPTY_PAGES_IN_A_ROW: u32 = 100;

/// The state shared by [`Paginator`] and [`Pages`]: where the walk is, and what it has seen.
struct Walk<T> {
    client: Client,
    /// The listing's call with its frozen filters and sort; each page sets `cursor` on it.
    call: Call,
    /// The cursor of the next page to fetch; `None` before the first page.
    cursor: Option<String>,
    /// Items to drop from the front of the next page fetched: the ones a resumed walk had
    /// already yielded from it.
    skip: u64,
    /// The cursor the last page fetched was asked for with (`None`: the first page).
    page_cursor: Option<String>,
    /// How many items that page had, as the server sent it (before any `skip`).
    page_len: u64,
    /// Whether the walk ended because a page could not be fetched (so `cursor` and `skip`
    /// still name that page).
    fetch_failed: bool,
    /// Whether the walk's parameters were refused before any request: its checkpoint names
    /// no listing, so that no `resume` continues it without the filters.
    refused: bool,
    /// Hashes of every cursor the server gave, to stop a server that cycles.
    seen: HashSet<u64>,
    /// How many pages in a row came empty, each saying more follow.
    empty_in_a_row: u32,
    hasher: RandomState,
    state: State,
    _items: PhantomData<fn() -> T>,
}

enum State {
    /// The next page is to be fetched.
    Ready,
    /// The last page was fetched.
    Done,
    /// This error is reported next, then the walk is over.
    Failing(Error),
    /// An error was reported: nothing more comes.
    Failed,
}

impl<T: DeserializeOwned> Walk<T> {
    /// The next page, `None` when the walk is over. An error ends the walk.
    fn next_page(&mut self) -> Option<Result<Page<T>>> {
        match std::mem::replace(&mut self.state, State::Failed) {
            State::Ready => {}
            State::Done => {
                self.state = State::Done;
                return None;
            }
            State::Failing(e) => return Some(Err(e)),
            State::Failed => return None,
        }
        let asked_with = self.cursor.clone();
        let mut page = match self.fetch() {
            Ok(page) => page,
            Err(e) => {
                self.fetch_failed = true;
                return Some(Err(e));
            }
        };
        self.page_cursor = asked_with;
        self.page_len = page.items.len() as u64;
        let skip = std::mem::take(&mut self.skip);
        if skip > 0 {
            let n = usize::try_from(skip).map_or(page.items.len(), |n| n.min(page.items.len()));
            page.items.drain(..n);
        }
        self.state = self.check(&page);
        if matches!(self.state, State::Ready) {
            self.cursor = page.next_cursor.clone();
        }
        Some(Ok(page))
    }

    fn fetch(&mut self) -> Result<Page<T>> {
        if let Some(cursor) = &self.cursor {
            self.call.query_mut().set("cursor", cursor);
        }
        self.client.send(&self.call)?.page()
    }

    /// What follows `page`: more pages, the end, or a broken contract.
    fn check(&mut self, page: &Page<T>) -> State {
        if !page.has_next {
            return State::Done;
        }
        let broken = |reason: &str| {
            State::Failing(Error::Pagination {
                reason: reason.to_owned(),
                meta: Box::new(page.meta.clone()),
            })
        };
        let Some(cursor) = page.next_cursor.as_deref().filter(|c| !c.is_empty()) else {
            return broken("the server said has_next but sent no next_cursor");
        };
        if !self.seen.insert(self.hasher.hash_one(cursor)) {
            return broken(
                "the server sent a cursor it had already given; stopping instead of looping",
            );
        }
        // Counted as the server sent the page, before a resumed walk's skip.
        self.empty_in_a_row = if self.page_len == 0 {
            self.empty_in_a_row + 1
        } else {
            0
        };
        if self.empty_in_a_row >= MAX_EMPTY_PAGES_IN_A_ROW {
            return broken(&format!(
                "the server sent {MAX_EMPTY_PAGES_IN_A_ROW} empty pages in a row, each saying \
                 more follow; stopping instead of looping"
            ));
        }
        State::Ready
    }
}

impl<T> Walk<T> {
    /// A walk of `call` from `cursor` (`None` or empty: the first page), nothing fetched
    /// yet. The first page is asked for without a cursor, whatever `call`'s query had.
    fn start(client: Client, mut call: Call, cursor: Option<String>) -> Self {
        call.query_mut().take("cursor");
        let cursor = cursor.filter(|c| !c.is_empty());
        let hasher = RandomState::new();
        let seen = cursor.iter().map(|c| hasher.hash_one(c)).collect();
        Walk {
            client,
            call,
            cursor,
            skip: 0,
            page_cursor: None,
            page_len: 0,
            fetch_failed: false,
            refused: false,
            seen,
            empty_in_a_row: 0,
            hasher,
            state: State::Ready,
            _items: PhantomData,
        }
    }

    /// The checkpoint after the last item handed out, when `remaining` items of the last
    /// page fetched have not been.
    fn checkpoint(&self, remaining: usize) -> Checkpoint {
        let remaining = remaining as u64;
        let (cursor, position, complete) = if remaining > 0 {
            (
                &self.page_cursor,
                self.page_len.saturating_sub(remaining),
                false,
            )
        } else {
            match self.state {
                State::Done => (&self.page_cursor, self.page_len, true),
                // Nothing of the next page was handed out yet: that page, from where the
                // walk would start it (a resumed walk's skip included).
                State::Ready => (&self.cursor, self.skip, false),
                _ if self.fetch_failed => (&self.cursor, self.skip, false),
                // A broken contract after this page: after its last item.
                _ => (&self.page_cursor, self.page_len, false),
            }
        };
        Checkpoint::new(
            if self.refused {
                ""
            } else {
                self.call.endpoint()
            },
            self.call.query_ref(),
            cursor.as_deref(),
            position,
            complete,
        )
    }
}

/// A lazy walk over every item of a listing.
///
/// Nothing is requested until the first item is asked for; then one page at a time is
/// fetched and held. After yielding an error the iterator is finished.
///
/// ```no_run
/// # fn main() -> creatoraudit::Result<()> {
/// use creatoraudit::{ListAccounts, Platform};
///
/// let client = creatoraudit::Client::from_env()?;
/// let mut accounts = client.accounts().list(ListAccounts::new().platform(Platform::TikTok));
/// while let Some(account) = accounts.next() {
///     match account {
///         Ok(account) => println!("{}", account.username),
///         Err(e) => {
///             // Save this, and continue later with `client.accounts().resume(&checkpoint)`.
///             eprintln!("stopped: {e}; resume from {}", accounts.checkpoint());
///             break;
///         }
///     }
/// }
/// # Ok(()) }
/// ```
#[must_use = "a paginator does nothing until it is iterated"]
pub struct Paginator<T> {
    walk: Walk<T>,
    /// The current page's remaining items.
    buffer: std::vec::IntoIter<T>,
    /// The current page without its items (they are in `buffer`), for [`Paginator::pages`].
    current: Option<Page<T>>,
    max_items: Option<u64>,
    yielded: u64,
}

impl<T> std::fmt::Debug for Paginator<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paginator")
            .field("endpoint", &self.walk.call.endpoint())
            .field("cursor", &self.walk.cursor)
            .field("buffered", &self.buffer.len())
            .field("yielded", &self.yielded)
            .finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned> Paginator<T> {
    /// A walk over the listing `call` describes, with its frozen filters and sort. A
    /// `cursor` in its query (the caller's, through `Client::paginate`) is where it starts.
    pub(crate) fn new(client: Client, mut call: Call) -> Self {
        let cursor = call.query_mut().take("cursor");
        Paginator {
            walk: Walk::start(client, call, cursor),
            buffer: Vec::new().into_iter(),
            current: None,
            max_items: None,
            yielded: 0,
        }
    }

    /// A walk over the listing `endpoint` (a `GET` without ids) with `query`, or one that
    /// yields the argument error without a request when the query was refused.
    pub(crate) fn start(client: Client, endpoint: &'static str, query: Result<Query>) -> Self {
        let call = Call::new(endpoint, &[]);
        match query.and_then(|query| Ok(call?.query(query))) {
            Ok(call) => Paginator::new(client, call),
            Err(e) => Paginator::refused(client, e),
        }
    }

    /// A walk whose arguments were refused: it yields `e` as its first item, without a
    /// request, and its checkpoint names no listing.
    pub(crate) fn refused(client: Client, e: Error) -> Self {
        let mut p = Paginator::new(client, Call::raw_get(""));
        p.walk.state = State::Failing(e);
        p.walk.refused = true;
        p
    }

    /// A walk that continues from `checkpoint`, which must have been taken on `endpoint`
    /// (a listing's `GET`), or on any `GET` listing when `endpoint` is `None` (the generic
    /// walk). Nothing is sent yet.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a checkpoint of another listing.
    pub(crate) fn resume(
        client: Client,
        endpoint: Option<&'static str>,
        checkpoint: &Checkpoint,
    ) -> Result<Self> {
        checkpoint.check(endpoint)?;
        let call = match endpoint {
            Some(endpoint) => Call::new(endpoint, &[])?,
            None => Call::raw("GET", checkpoint.endpoint().trim_start_matches("GET "))?,
        };
        let mut p = Paginator::new(client, call.query(Query::raw(checkpoint.query())?));
        if checkpoint.is_complete() {
            // Its own checkpoint is this one again.
            p.walk.page_cursor = checkpoint.cursor().map(str::to_owned);
            p.walk.page_len = checkpoint.position();
            p.walk.state = State::Done;
            return Ok(p);
        }
        if let Some(cursor) = checkpoint.cursor() {
            p = p.resume_from(cursor);
        }
        p.walk.skip = checkpoint.position();
        Ok(p)
    }

    /// Starts the walk at a cursor saved from an earlier walk over the same listing with the
    /// same filters. For a saved position that also knows the filters and the place inside
    /// a page, use [`checkpoint`](Self::checkpoint) and the listing's `resume`. An empty
    /// cursor is the start of the listing, as a `cursor=` left empty in
    /// [`Client::paginate`]'s path is.
    ///
    /// On a paginator that has already fetched pages (or ended), the walk starts over at
    /// `cursor`: the items still buffered and the cursors seen are dropped. Only
    /// [`max_items`](Self::max_items) carries over, counting the items already yielded. A
    /// walk whose parameters were refused stays refused.
    pub fn resume_from(mut self, cursor: impl Into<String>) -> Self {
        if self.walk.refused {
            return self;
        }
        let Walk { client, call, .. } = self.walk;
        self.walk = Walk::start(client, call, Some(cursor.into()));
        self.buffer = Vec::new().into_iter();
        self.current = None;
        self
    }

    /// Where this walk is: the listing, its filters and sort, the cursor of the current page
    /// and how many of its items were yielded. A walk resumed from it (with the listing's
    /// `resume`, e.g. [`Accounts::resume`](crate::Accounts::resume), in this process or
    /// another, with this client or a new one) yields exactly the items this one has not
    /// yielded yet: none lost, none repeated, also when the checkpoint falls inside a page.
    ///
    /// Take it at any moment: before the first item (the walk from the start), between
    /// items, after the walk ended with an error (a [retryable](crate::Error::is_retryable)
    /// one, such as a `503` or a rate limit past the wait cap: resuming continues with the
    /// item the failed page would have given), or after the last item
    /// ([`is_complete`](Checkpoint::is_complete): resuming yields nothing and sends nothing).
    ///
    /// The checkpoint of a walk whose parameters were refused (its first item was an
    /// [`Error::InvalidInput`]) names no listing, and every `resume` refuses it.
    ///
    /// [`max_items`](Self::max_items) is not part of a checkpoint: it counts the items of
    /// one paginator, so a walk resumed from the checkpoint of a walk stopped by
    /// `max_items(n)` continues with item `n + 1` and has no cap unless you set one again.
    ///
    /// ```
    /// # fn main() -> creatoraudit::Result<()> {
    /// # let fake = creatoraudit::testing::FakeApi::start();
    /// # let client = fake.client();
    /// use creatoraudit::{Checkpoint, ListAccounts};
    ///
    /// let mut walk = client.accounts().list(ListAccounts::new().limit(10));
    /// let first: Vec<_> = walk.by_ref().take(15).collect::<creatoraudit::Result<_>>()?;
    /// let token = walk.checkpoint().to_string();
    ///
    /// let checkpoint: Checkpoint = token.parse()?;
    /// let rest: Vec<_> = client.accounts().resume(&checkpoint)?.collect::<creatoraudit::Result<_>>()?;
    /// assert_eq!(first.len() + rest.len(), 48);
    /// assert_ne!(first.last().map(|a| &a.id), rest.first().map(|a| &a.id));
    /// # Ok(()) }
    /// ```
    pub fn checkpoint(&self) -> Checkpoint {
        self.walk.checkpoint(self.buffer.len())
    }

    /// Stops after `n` items, without fetching pages it does not need; also page by page
    /// ([`pages`](Self::pages) cuts its last page there).
    pub fn max_items(mut self, n: u64) -> Self {
        self.max_items = Some(n);
        self
    }

    /// The cursor to pass to [`resume_from`](Self::resume_from) to continue this walk later
    /// without losing an item: the cursor of the page the next item comes from. When that
    /// page is partly consumed, a resumed walk repeats its first items, so handle items
    /// idempotently, or save a [`checkpoint`](Self::checkpoint) instead (it also knows the
    /// position in the page and the filters).
    ///
    /// `None` when the walk starts from the first page and has not fetched it yet (start
    /// over), or is complete; before its first fetch, a walk started from a cursor
    /// (`resume`, [`resume_from`](Self::resume_from), `paginate` with a `cursor`) gives that
    /// cursor. After an [`Error::Pagination`] (the server broke the contract after a page),
    /// it is that page's cursor: a walk resumed from it repeats the page.
    pub fn resume_cursor(&self) -> Option<&str> {
        if self.buffer.len() > 0 {
            self.walk.page_cursor.as_deref()
        } else if matches!(self.walk.state, State::Done) {
            None
        } else {
            self.walk.cursor.as_deref()
        }
    }

    /// Walks page by page instead of item by item.
    ///
    /// Items already taken from this paginator are not repeated, and none is skipped: when
    /// the current page is partly taken, the first page yielded is its rest (the page's
    /// cursor, `has_next` and metadata, with only the items not taken yet), then the pages
    /// after it. [`max_items`](Self::max_items) carries over: the pages hold at most that
    /// many items in all (counting the ones already taken), the last of them cut there, and
    /// no page after it is fetched. A cut page keeps the server's `next_cursor` and
    /// `has_next`, which point past the items cut off: to continue after the cap, take the
    /// [checkpoint](Pages::checkpoint), which falls inside the cut page, after its last item
    /// handed out.
    ///
    /// The contract checks of an item walk hold here too: a page with `has_next` but no
    /// cursor, a cursor given twice, or 100 empty pages in a row each saying more follow end
    /// the walk with [`Error::Pagination`] (after that page) instead of looping.
    pub fn pages(self) -> Pages<T> {
        let rest = self.buffer;
        let pending = self.current.filter(|_| rest.len() > 0).map(|mut page| {
            page.items = rest.collect();
            page
        });
        Pages {
            walk: self.walk,
            pending,
            left: self.max_items.map(|max| max.saturating_sub(self.yielded)),
            cut: 0,
        }
    }
}

impl<T: DeserializeOwned> Iterator for Paginator<T> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        if self.max_items.is_some_and(|max| self.yielded >= max) {
            return None;
        }
        loop {
            if let Some(item) = self.buffer.next() {
                self.yielded += 1;
                return Some(Ok(item));
            }
            match self.walk.next_page()? {
                Ok(mut page) => {
                    self.buffer = std::mem::take(&mut page.items).into_iter();
                    self.current = Some(page);
                }
                Err(e) => return Some(Err(e)),
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let buffered = self.buffer.len();
        match self.max_items {
            Some(max) => {
                let left = usize::try_from(max.saturating_sub(self.yielded)).unwrap_or(usize::MAX);
                (buffered.min(left), Some(left))
            }
            None => (buffered, None),
        }
    }
}

impl<T: DeserializeOwned> std::iter::FusedIterator for Paginator<T> {}

/// A lazy walk over the pages of a listing; see [`Paginator::pages`].
#[must_use = "a page iterator does nothing until it is iterated"]
pub struct Pages<T> {
    walk: Walk<T>,
    /// The rest of the page the paginator was in, yielded first.
    pending: Option<Page<T>>,
    /// How many more items the pages may hold (the paginator's `max_items`), if capped.
    left: Option<u64>,
    /// How many items of the last page yielded were cut off at the cap: not handed out.
    cut: usize,
}

impl<T> std::fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("endpoint", &self.walk.call.endpoint())
            .field("cursor", &self.walk.cursor)
            .finish_non_exhaustive()
    }
}

impl<T> Pages<T> {
    /// The cursor of the next page to fetch: save it after handling each page to resume
    /// exactly there with [`Paginator::resume_from`]. `None` after the last page, and
    /// before the first of a walk from the start; a walk started from a cursor gives that
    /// cursor first (after a `resume` inside a page, a walk resumed from it repeats the
    /// items the resume skipped). Before the rest of a partly taken page (see
    /// [`Paginator::pages`]) is yielded, and after a page cut at `max_items`, it is that
    /// page's cursor, which repeats the items handed out before the cut or the rest; a
    /// [`checkpoint`](Self::checkpoint) does not.
    pub fn resume_cursor(&self) -> Option<&str> {
        if self.pending.is_some() || self.cut > 0 {
            // The rest of a partly handed out page comes next: that page's cursor.
            return self.walk.page_cursor.as_deref();
        }
        match self.walk.state {
            State::Done => None,
            _ => self.walk.cursor.as_deref(),
        }
    }

    /// Where this walk is, after the last item it handed out (the end of the last page
    /// yielded, or inside it when `max_items` cut it): see [`Paginator::checkpoint`]. A page
    /// resumed from a checkpoint inside it yields only the items after that point.
    pub fn checkpoint(&self) -> Checkpoint {
        self.walk.checkpoint(
            self.pending
                .as_ref()
                .map_or(self.cut, |page| page.items.len()),
        )
    }
}

impl<T: DeserializeOwned> Iterator for Pages<T> {
    type Item = Result<Page<T>>;

    fn next(&mut self) -> Option<Result<Page<T>>> {
        if self.left == Some(0) {
            return None;
        }
        let mut page = match self.pending.take() {
            Some(rest) => rest,
            None => match self.walk.next_page()? {
                Ok(page) => page,
                Err(e) => return Some(Err(e)),
            },
        };
        if let Some(left) = self.left.as_mut() {
            let len = page.items.len() as u64;
            if len > *left {
                // `left` is below the page's length, so it fits in a usize.
                let keep = usize::try_from(*left).unwrap_or(page.items.len());
                self.cut = page.items.len() - keep;
                page.items.truncate(keep);
                *left = 0;
            } else {
                *left -= len;
            }
        }
        Some(Ok(page))
    }
}

impl<T: DeserializeOwned> std::iter::FusedIterator for Pages<T> {}
