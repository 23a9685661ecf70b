import CSQLitePageCache
import Logging

/// SQLite's page cache, wrapped so that a commit after a page split does not walk the whole cache
/// (`CSQLitePageCache.h` explains the scan). Configured once per process, before SQLite initializes: anything
/// that opens a database first (`sqlite3_vfs_find` included) leaves the default cache, which is correct, only slower.
enum SQLitePageCache {
    static func install() { _ = installed }

    /// Whether the wrapper is in use (false when SQLite was initialized before the first store opened).
    static var isInstalled: Bool { fp_sqlite_page_cache_installed() != 0 }

    /// Cache truncations passed on to SQLite's default cache, and those answered without it, process-wide.
    static var truncations: (passedOn: UInt64, skipped: UInt64) {
        var passedOn: UInt64 = 0, skipped: UInt64 = 0
        fp_sqlite_page_cache_truncations(&passedOn, &skipped)
        return (passedOn, skipped)
    }

    private static let installed: Void = {
        let code = fp_sqlite_install_page_cache()
        if code != 0 {
            Logger(label: "freedompay.sqlite").debug("default SQLite page cache kept", metadata: ["sqlite_code": "\(code)"])
        }
    }()
}
