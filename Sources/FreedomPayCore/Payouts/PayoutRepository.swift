/// Payouts in the store. Every look-up is scoped to one merchant: another merchant's payout reads as absent.
public struct PayoutRepository: Sendable {
    public init() {}

    /// A `pg_payment_id` free among purchases, their operations and payouts.
    public func newID(in db: any SQLExecutor) async throws -> PaymentID {
        for _ in 0..<16 {
            let candidate = try await PurchaseRepository().newID(in: db)
            if try await db.queryOne("SELECT id FROM payouts WHERE id = ?", [.integer(candidate.rawValue)]) == nil { return candidate }
        }
        throw StoreError.failed("could not find a free payout id")
    }

    /// Serialises the creation of one merchant's payouts until the transaction ends (PostgreSQL; SQLite runs one
    /// write transaction at a time). It locks the merchant's row, not its balance row: the ledger locks balance
    /// rows in key order (external and fees before merchant), so taking the balance row first could deadlock with
    /// a purchase crediting the merchant, while nothing locks a merchant row after ledger rows. `NO KEY UPDATE`
    /// does not block the foreign-key checks of rows that reference the merchant (purchases, payouts).
    func lockPayouts(of merchant: MerchantID, in db: any SQLExecutor) async throws {
        guard db.dialect == .postgres else { return }
        _ = try await db.queryOne("SELECT id FROM merchants WHERE id = ? FOR NO KEY UPDATE", [.integer(merchant.rawValue)])
    }

    public func insert(_ payout: Payout, in db: any SQLExecutor) async throws {
        try await db.execute(
            """
            INSERT INTO payouts (id, merchant_id, order_id, kind, amount_minor, fee_minor, currency, description, user_id, post_link,
                card_token, card_mask, status, planned_result, error_code, error_description, request_hash, time_limit, settle_at,
                balance_after_minor, created_at, finished_at, page_token, back_link)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.integer(payout.id.rawValue), .integer(payout.merchantID.rawValue), .text(payout.orderID), .text(payout.kind.rawValue),
             .integer(payout.amountMinor), .integer(payout.feeMinor), .text(payout.currency.code), .text(payout.description),
             SQLValue(payout.userID), .text(payout.postLink), SQLValue(payout.cardToken), SQLValue(payout.cardMask),
             .text(payout.machine.state.rawValue), .text(payout.plan.encoded), SQLValue(payout.machine.errorCode.map(Int64.init)),
             SQLValue(payout.errorDescription), .text(payout.requestHash), .integer(payout.timeLimit), SQLValue(payout.settleAt),
             SQLValue(payout.balanceAfterMinor), .integer(payout.createdAt), SQLValue(payout.finishedAt), SQLValue(payout.pageToken),
             SQLValue(payout.backLink)])
    }

    public func update(_ payout: Payout, in db: any SQLExecutor) async throws {
        try await db.execute(
            """
            UPDATE payouts SET status = ?, error_code = ?, error_description = ?, settle_at = ?, balance_after_minor = ?, finished_at = ?,
                card_mask = ?, planned_result = ? WHERE id = ?
            """,
            [.text(payout.machine.state.rawValue), SQLValue(payout.machine.errorCode.map(Int64.init)), SQLValue(payout.errorDescription),
             SQLValue(payout.settleAt), SQLValue(payout.balanceAfterMinor), SQLValue(payout.finishedAt), SQLValue(payout.cardMask),
             .text(payout.plan.encoded), .integer(payout.id.rawValue)])
    }

    public func payout(id: PaymentID, merchant: MerchantID, in db: any SQLExecutor) async throws -> Payout? {
        try await db.queryOne(
            "SELECT * FROM payouts WHERE id = ? AND merchant_id = ?" + db.dialect.forUpdate,
            [.integer(id.rawValue), .integer(merchant.rawValue)]).map(Self.decode)
    }

    public func payout(orderID: String, merchant: MerchantID, in db: any SQLExecutor) async throws -> Payout? {
        try await db.queryOne(
            "SELECT * FROM payouts WHERE order_id = ? AND merchant_id = ?" + db.dialect.forUpdate,
            [.text(orderID), .integer(merchant.rawValue)]).map(Self.decode)
    }

    public func payout(pageToken: String, in db: any SQLExecutor) async throws -> Payout? {
        try await db.queryOne("SELECT * FROM payouts WHERE page_token = ?" + db.dialect.forUpdate, [.text(pageToken)]).map(Self.decode)
    }

    /// Payouts in `process` whose delay has passed, oldest first.
    public func due(now: Int64, limit: Int, in db: any SQLExecutor) async throws -> [Payout] {
        try await db.query(
            "SELECT * FROM payouts WHERE status = 'process' AND settle_at <= ? ORDER BY settle_at, id LIMIT ?" + db.dialect.forUpdate,
            [.integer(now), SQLValue(limit)]).map(Self.decode)
    }

    static func decode(_ row: SQLRow) throws -> Payout {
        guard let state = PayoutMachine.State(rawValue: try row.text("status")), let kind = Payout.Kind(rawValue: try row.text("kind")),
              let plan = PayoutPlan(encoded: try row.text("planned_result")), let currency = Currency(code: try row.text("currency")) else {
            throw StoreError.decoding("payout row has an unknown status, kind, plan or currency")
        }
        return Payout(
            id: PaymentID(rawValue: try row.int("id")), merchantID: MerchantID(rawValue: try row.int("merchant_id")),
            orderID: try row.text("order_id"), kind: kind, amountMinor: try row.int("amount_minor"), feeMinor: try row.int("fee_minor"),
            currency: currency, description: try row.text("description"), userID: row.optionalText("user_id"),
            postLink: try row.text("post_link"), cardToken: row.optionalText("card_token"), cardMask: row.optionalText("card_mask"),
            machine: PayoutMachine(state: state, errorCode: row.optionalInt("error_code").map(Int.init)), plan: plan,
            errorDescription: row.optionalText("error_description"), requestHash: try row.text("request_hash"),
            timeLimit: try row.int("time_limit"), settleAt: row.optionalInt("settle_at"),
            balanceAfterMinor: row.optionalInt("balance_after_minor"), createdAt: try row.int("created_at"),
            finishedAt: row.optionalInt("finished_at"), pageToken: row.optionalText("page_token"), backLink: row.optionalText("back_link"))
    }
}
