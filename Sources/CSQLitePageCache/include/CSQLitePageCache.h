#ifndef CSQLITEPAGECACHE_H
#define CSQLITEPAGECACHE_H

/// Installs SQLite's default page cache wrapped so that a commit does not scan the whole cache.
///
/// When a B-tree page split reorders the new pages, SQLite parks a page under a temporary page number (the
/// 1 GiB lock page, 524289 with 2 KiB pages) for a moment. The default cache remembers that as its largest key, and
/// at the end of every write transaction the pager truncates the cache to the database size: with that key
/// recorded, the truncation walks every hash bucket and every cached page (a 32 MiB cache: 16k pages per commit).
/// The wrapper keeps its own bound of the keys in the cache, not counting pages that have left the temporary number,
/// and passes a truncation on only when a page at or above the limit may exist.
///
/// Returns 0 (SQLITE_OK) when installed or already installed; SQLITE_MISUSE when SQLite was already initialized
/// (then the default cache stays, which is correct, only slower).
int fp_sqlite_install_page_cache(void);

/// Whether the wrapper is the page cache in use.
int fp_sqlite_page_cache_installed(void);

/// Truncations passed on to the default cache, and truncations answered without it (nothing at or above the
/// limit), since the process started, over every connection.
void fp_sqlite_page_cache_truncations(unsigned long long *passedOn, unsigned long long *skipped);

#endif
