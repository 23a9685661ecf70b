import FreedomPayWire

/// Which callback a row carries; the dispatcher finds the effects of a finished delivery by this name.
public struct CallbackKind: RawRepresentable, Hashable, Sendable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Result notify to `pg_result_url` (§3.21): carries `pg_can_reject`.
    public static let result = CallbackKind(rawValue: "result")
    /// Payout notify to `pg_post_link` (§3.24).
    public static let payout = CallbackKind(rawValue: "payout")
    /// Card tokenization notify to `pg_post_link` (§3.25).
    public static let cardStorage = CallbackKind(rawValue: "card_storage")

    /// Whether only a signed XML reply counts as delivered; the payout notify needs just HTTP 200 (§3.24).
    public var requiresSignedReply: Bool { self != .payout }
}

/// A callback to write into the outbox in the same transaction as the state change it reports.
public struct NewCallback: Sendable {
    public var merchantID: MerchantID
    public var secret: Merchant.SecretKind
    public var kind: CallbackKind
    /// The object the callback is about (payment id, payout id), for look-ups and effects.
    public var subjectID: String
    public var url: String
    public var method: PGRequestMethod
    /// Unsigned parameters; `pg_can_reject`, `pg_salt` and `pg_sig` are added at each attempt.
    public var parameters: [PGParameter]
    /// Initial `pg_can_reject`; nil when the callback has no such field.
    public var canReject: Bool?

    public init(merchantID: MerchantID, secret: Merchant.SecretKind, kind: CallbackKind, subjectID: String, url: String,
                method: PGRequestMethod, parameters: [PGParameter], canReject: Bool?) {
        self.merchantID = merchantID
        self.secret = secret
        self.kind = kind
        self.subjectID = subjectID
        self.url = url
        self.method = method
        self.parameters = parameters
        self.canReject = canReject
    }
}

/// One outbox row as read back: what to send and where its delivery stands.
public struct OutboxCallback: Sendable {
    public let id: Int64
    public let callback: NewCallback
    public var delivery: CallbackDelivery
    public var replyStatus: String?
    public var replyDescription: String?
}

/// The retry schedule: how many attempts and how far apart (merchant-api.md §4.5: every 30 min for 2 h).
public struct CallbackRetryPolicy: Sendable {
    public var intervalMs: Int64
    public var maxAttempts: Int

    public init(intervalMs: Int64, windowMs: Int64) {
        self.intervalMs = max(intervalMs, 1)
        self.maxAttempts = CallbackDelivery.maxAttempts(intervalMs: intervalMs, windowMs: windowMs)
    }
}

/// The transactional outbox of callbacks. Rows are claimed with a lease (`locked_until_ms`, `locked_by`)
/// so several server instances can drain one table; a result is saved only by the lease holder.
public struct OutboxRepository: Sendable {
    public init() {}

    private static let columns = """
        id, merchant_id, secret_kind, kind, subject_id, url, method, parameters, state, can_reject, attempts,
        max_attempts, next_attempt_at_ms, last_error, reply_status, reply_description
        """

    @discardableResult
    public func enqueue(_ callback: NewCallback, policy: CallbackRetryPolicy, nowMs: Int64, in db: any SQLExecutor) async throws -> Int64 {
        let rows = try await db.query(
            """
            INSERT INTO callback_outbox (merchant_id, secret_kind, kind, subject_id, url, method, parameters, state, can_reject,
                attempts, max_attempts, next_attempt_at_ms, created_at_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, 0, ?, ?, ?) RETURNING id
            """,
            [.integer(callback.merchantID.rawValue), .text(callback.secret == .payment ? "payment" : "payout"),
             .text(callback.kind.rawValue), .text(callback.subjectID), .text(callback.url), .text(callback.method.rawValue),
             .text(PGForm.encode(callback.parameters)), callback.canReject.map { SQLValue($0) } ?? .null,
             SQLValue(policy.maxAttempts), .integer(nowMs), .integer(nowMs)])
        guard let id = rows.first?.optionalInt("id") else { throw StoreError.failed("outbox insert returned no id") }
        return id
    }

    /// Leases up to `limit` (1...100) due rows to `owner` until `nowMs + leaseMs`. Run inside `store.write`.
    public func claimDue(nowMs: Int64, leaseMs: Int64, owner: String, limit: Int, in db: any SQLExecutor) async throws -> [OutboxCallback] {
        let skipLocked = db.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        let rows = try await db.query(
            """
            SELECT \(Self.columns) FROM callback_outbox
            WHERE state = 'pending' AND next_attempt_at_ms <= ? AND (locked_until_ms IS NULL OR locked_until_ms <= ?)
            ORDER BY next_attempt_at_ms, id LIMIT ?
            """ + skipLocked,
            [.integer(nowMs), .integer(nowMs), SQLValue(min(max(limit, 1), 100))])
        var claimed: [OutboxCallback] = []
        for row in rows {
            let callback = try Self.decode(row)
            try await db.execute(
                "UPDATE callback_outbox SET locked_until_ms = ?, locked_by = ? WHERE id = ?",
                [.integer(nowMs + leaseMs), .text(owner), .integer(callback.id)])
            claimed.append(callback)
        }
        return claimed
    }

    /// Saves a delivery after an attempt. Returns false (and changes nothing) when `owner` no longer holds the lease.
    public func save(_ callback: OutboxCallback, owner: String, nowMs: Int64, in db: any SQLExecutor) async throws -> Bool {
        let delivery = callback.delivery
        let finished = delivery.state != .pending
        let changed = try await db.execute(
            """
            UPDATE callback_outbox SET state = ?, attempts = ?, can_reject = ?, next_attempt_at_ms = ?, last_error = ?,
                reply_status = ?, reply_description = ?, finished_at_ms = ?, locked_until_ms = NULL, locked_by = NULL
            WHERE id = ? AND locked_by = ?
            """,
            [.text(delivery.state.storageName), SQLValue(delivery.attempts), delivery.canReject.map { SQLValue($0) } ?? .null,
             .integer(delivery.nextAttemptAtMs), SQLValue(delivery.lastError), SQLValue(callback.replyStatus),
             SQLValue(callback.replyDescription), finished ? .integer(nowMs) : .null, .integer(callback.id), .text(owner)])
        return changed == 1
    }

    /// Every callback about `subjectID` of `kind`, oldest first (status pages, sandbox inbox, tests).
    public func callbacks(kind: CallbackKind, subjectID: String, in db: any SQLExecutor) async throws -> [OutboxCallback] {
        try await db.query(
            "SELECT \(Self.columns) FROM callback_outbox WHERE kind = ? AND subject_id = ? ORDER BY id",
            [.text(kind.rawValue), .text(subjectID)]).map(Self.decode)
    }

    static func decode(_ row: SQLRow) throws -> OutboxCallback {
        guard let state = CallbackDelivery.State(storageName: try row.text("state")),
              let method = PGRequestMethod(rawValue: try row.text("method")) else {
            throw StoreError.decoding("callback_outbox row has an unknown state or method")
        }
        let canReject = row.optionalInt("can_reject").map { $0 != 0 }
        let callback = NewCallback(
            merchantID: MerchantID(rawValue: try row.int("merchant_id")),
            secret: try row.text("secret_kind") == "payout" ? .payout : .payment,
            kind: CallbackKind(rawValue: try row.text("kind")), subjectID: try row.text("subject_id"),
            url: try row.text("url"), method: method, parameters: PGForm.parse(urlEncoded: try row.text("parameters")),
            canReject: canReject)
        let delivery = CallbackDelivery(
            state: state, attempts: Int(try row.int("attempts")), maxAttempts: Int(try row.int("max_attempts")),
            canReject: canReject, nextAttemptAtMs: try row.int("next_attempt_at_ms"), lastError: row.optionalText("last_error"))
        return OutboxCallback(
            id: try row.int("id"), callback: callback, delivery: delivery,
            replyStatus: row.optionalText("reply_status"), replyDescription: row.optionalText("reply_description"))
    }
}
