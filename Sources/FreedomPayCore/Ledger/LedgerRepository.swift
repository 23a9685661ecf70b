import Foundation
import Metrics

/// A reservation of funds on an account: counted in `held` until captured (posted) or released.
public struct Hold: Sendable, Equatable {
    public enum Status: String, Sendable { case active, captured, released }

    public let id: String
    public let account: AccountKey
    public let amountMinor: Int64
    public let status: Status
    public let reference: String?
}

/// One line of an account's history, for statements.
public struct StatementEntry: Sendable, Equatable {
    public let postingID: String
    public let kind: String
    public let reference: String?
    public let amountMinor: Int64
    public let createdAt: Date
}

/// The double-entry ledger over the store. Every method runs inside the caller's transaction, so a
/// business change and its money movement commit together or not at all.
///
/// Accounts keep running `posted` and `held` totals (fast balances, and the row that is locked);
/// entries are the source of truth they are checked against (`verifyInvariants`).
public struct LedgerRepository: Sendable {
    let clock: any Clock

    public init(clock: any Clock = SystemClock()) {
        self.clock = clock
    }

    /// Creates the account if it does not exist. `overdraftLimitMinor`: nil = the kind's default.
    public func openAccount(_ account: AccountKey, overdraftLimitMinor: Int64?? = nil, in db: any SQLExecutor) async throws {
        let limit = overdraftLimitMinor ?? account.defaultOverdraftLimitMinor
        try await db.execute(
            """
            INSERT INTO ledger_accounts (account_key, kind, owner, currency, posted_minor, held_minor, overdraft_limit_minor, created_at)
            VALUES (?, ?, ?, ?, 0, 0, ?, ?) ON CONFLICT (account_key) DO NOTHING
            """,
            [.text(account.storageKey), .text(account.kind.rawValue), .text(account.owner), .text(account.currency.code),
             SQLValue(limit), .integer(timestamp())])
    }

    /// Changes an account's credit line (e.g. a card product that allows credit).
    public func setOverdraftLimit(_ account: AccountKey, limitMinor: Int64?, in db: any SQLExecutor) async throws {
        try await openAccount(account, in: db)
        try await db.execute("UPDATE ledger_accounts SET overdraft_limit_minor = ? WHERE account_key = ?", [SQLValue(limitMinor), .text(account.storageKey)])
    }

    /// Writes a balanced posting. Accounts are locked in key order; any account whose available balance
    /// would pass its overdraft limit refuses the whole posting with `insufficientFunds`.
    public func post(_ posting: Posting, in db: any SQLExecutor) async throws {
        try await post([posting], in: db)
    }

    /// Reserves `amountMinor` on `account` (an authorisation); refuses with `insufficientFunds`.
    ///
    /// The funds check and the reservation are one conditional UPDATE (it takes the row lock, and on
    /// PostgreSQL re-checks the condition against the latest committed balance); the balance is read only
    /// to explain a refusal.
    public func placeHold(id: String, account: AccountKey, amountMinor: Int64, reference: String?, in db: any SQLExecutor) async throws -> Hold {
        guard amountMinor > 0 else { throw LedgerError.malformed("a hold must be positive") }
        let reserved = try await db.execute(
            """
            UPDATE ledger_accounts SET held_minor = held_minor + ?
            WHERE account_key = ? AND (overdraft_limit_minor IS NULL OR posted_minor - held_minor - ? >= -overdraft_limit_minor)
            """,
            [.integer(amountMinor), .text(account.storageKey), .integer(amountMinor)])
        guard reserved == 1 else {
            let balance = try await lockedBalance(account, in: db)
            throw LedgerError.insufficientFunds(account: account.storageKey, availableMinor: balance.availableMinor, requestedMinor: amountMinor)
        }
        let now = timestamp()
        try await db.execute(
            "INSERT INTO ledger_holds (id, account_key, amount_minor, status, reference, created_at, updated_at) VALUES (?, ?, ?, 'active', ?, ?, ?)",
            [.text(id), .text(account.storageKey), .integer(amountMinor), SQLValue(reference), .integer(now), .integer(now)])
        return Hold(id: id, account: account, amountMinor: amountMinor, status: .active, reference: reference)
    }

    /// Turns (part of) an active hold into a posting from the held account to `destination`;
    /// the rest of the hold is released. Returns the capture posting.
    @discardableResult
    public func captureHold(
        id holdID: String, amountMinor: Int64, to destination: AccountKey, postingID: String, kind: String, in db: any SQLExecutor
    ) async throws -> Posting {
        let hold = try await lockedActiveHold(holdID, in: db)
        guard amountMinor > 0, amountMinor <= hold.amountMinor else {
            throw LedgerError.captureExceedsHold(holdMinor: hold.amountMinor, requestedMinor: amountMinor)
        }
        try await finish(hold, status: .captured, in: db)
        let posting = try Posting.transfer(
            id: postingID, kind: kind, reference: hold.reference, amountMinor: amountMinor, from: hold.account, to: destination)
        try await post(posting, in: db)
        return posting
    }

    /// Releases an active hold entirely (reversal of an authorisation).
    public func releaseHold(id holdID: String, in db: any SQLExecutor) async throws {
        try await finish(try await lockedActiveHold(holdID, in: db), status: .released, in: db)
    }

    public func hold(id: String, in db: any SQLExecutor) async throws -> Hold? {
        guard let row = try await db.queryOne(
            "SELECT id, account_key, amount_minor, status, reference FROM ledger_holds WHERE id = ?", [.text(id)]) else { return nil }
        return try decodeHold(row)
    }

    public func activeHolds(of account: AccountKey, in db: any SQLExecutor) async throws -> [Hold] {
        try await db.query(
            "SELECT id, account_key, amount_minor, status, reference FROM ledger_holds WHERE account_key = ? AND status = 'active' ORDER BY created_at, id",
            [.text(account.storageKey)]).map(decodeHold)
    }

    /// The account's balance; an account never used reads as zero with the kind's default limit.
    public func balance(of account: AccountKey, in db: any SQLExecutor) async throws -> AccountBalance {
        let row = try await db.queryOne(
            "SELECT posted_minor, held_minor, overdraft_limit_minor FROM ledger_accounts WHERE account_key = ?", [.text(account.storageKey)])
        guard let row else {
            return AccountBalance(account: account, postedMinor: 0, heldMinor: 0, overdraftLimitMinor: account.defaultOverdraftLimitMinor)
        }
        return AccountBalance(
            account: account, postedMinor: try row.int("posted_minor"), heldMinor: try row.int("held_minor"),
            overdraftLimitMinor: row.optionalInt("overdraft_limit_minor"))
    }

    /// Entries of `account` with `from <= created_at < to`, oldest first, paged.
    public func entries(of account: AccountKey, from: Date, to: Date, limit: Int = 100, offset: Int = 0, in db: any SQLExecutor) async throws -> [StatementEntry] {
        guard let id = try await accountID(account, in: db) else { return [] }
        return try await LedgerHistory(accountID: id).page(
            from: Int64(from.timeIntervalSince1970.clamped), to: Int64(to.timeIntervalSince1970.rounded(.up).clamped), order: .oldestFirst,
            limit: min(max(limit, 1), 1000), offset: max(offset, 0), in: db
        ).map(\.entry)
    }

    /// All money that ever left (`debitedMinor`) and entered (`creditedMinor`) the account.
    public func turnover(of account: AccountKey, in db: any SQLExecutor) async throws -> (debitedMinor: Int64, creditedMinor: Int64) {
        guard let row = try await db.queryOne(
            "SELECT debited_minor, credited_minor FROM ledger_accounts WHERE account_key = ?", [.text(account.storageKey)]) else { return (0, 0) }
        return (try row.int("debited_minor"), try row.int("credited_minor"))
    }

    func accountID(_ account: AccountKey, in db: any SQLExecutor) async throws -> Int64? {
        try await db.queryOne("SELECT id FROM ledger_accounts WHERE account_key = ?", [.text(account.storageKey)])?.int("id")
    }

    // MARK: Internals

    private func lockedBalance(_ account: AccountKey, in db: any SQLExecutor) async throws -> AccountBalance {
        guard let row = try await db.queryOne(
            "SELECT posted_minor, held_minor, overdraft_limit_minor FROM ledger_accounts WHERE account_key = ?" + db.dialect.forUpdate,
            [.text(account.storageKey)]) else { throw LedgerError.unknownAccount(account.storageKey) }
        return AccountBalance(
            account: account, postedMinor: try row.int("posted_minor"), heldMinor: try row.int("held_minor"),
            overdraftLimitMinor: row.optionalInt("overdraft_limit_minor"))
    }

    private func lockedActiveHold(_ id: String, in db: any SQLExecutor) async throws -> Hold {
        guard let row = try await db.queryOne(
            "SELECT id, account_key, amount_minor, status, reference FROM ledger_holds WHERE id = ?" + db.dialect.forUpdate, [.text(id)]) else {
            throw LedgerError.holdNotFound(id)
        }
        let hold = try decodeHold(row)
        guard hold.status == .active else { throw LedgerError.holdNotActive(id, status: hold.status.rawValue) }
        return hold
    }

    private func finish(_ hold: Hold, status: Hold.Status, in db: any SQLExecutor) async throws {
        _ = try await lockedBalance(hold.account, in: db)
        try await db.execute(
            "UPDATE ledger_holds SET status = ?, updated_at = ? WHERE id = ?", [.text(status.rawValue), .integer(timestamp()), .text(hold.id)])
        try await db.execute(
            "UPDATE ledger_accounts SET held_minor = held_minor - ? WHERE account_key = ?", [.integer(hold.amountMinor), .text(hold.account.storageKey)])
    }

    private func decodeHold(_ row: SQLRow) throws -> Hold {
        let key = try row.text("account_key")
        guard let account = AccountKey(storageKey: key), let status = Hold.Status(rawValue: try row.text("status")) else {
            throw StoreError.decoding("hold \(try row.text("id")) has account \(key)")
        }
        return Hold(id: try row.text("id"), account: account, amountMinor: try row.int("amount_minor"), status: status, reference: row.optionalText("reference"))
    }

    func timestamp() -> Int64 { Int64(clock.now().timeIntervalSince1970) }
}

private extension Double {
    /// Seconds within what an `Int64` holds (`Date.distantPast`/`distantFuture` are well inside).
    var clamped: Double { Swift.min(Swift.max(self, -9.0e15), 9.0e15) }
}
