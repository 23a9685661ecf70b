import Foundation

/// Payment cards as the transaction rules see them: debits need an activated card; credits and refunds
/// any card that is not closed or expired (a blocked card can still be refunded or topped up).
public struct PaymentCardDirectory: TransactionCardDirectory {
    let clock: any Clock
    let cards = CardRepository()

    public init(clock: any Clock = SystemClock()) { self.clock = clock }

    public func card(_ cardID: String, partner: PartnerID, in db: any SQLExecutor) async throws -> TransactionCard? {
        guard !cardID.isEmpty, let record = try await cards.find(CardID(rawValue: cardID), partner: partner, in: db) else { return nil }
        guard let currency = Currency(code: record.currency) else { throw StoreError.decoding("card currency \(record.currency)") }
        let status = record.status(at: clock.now())
        return TransactionCard(
            cardID: cardID, currency: currency,
            debitRefusal: status == .activated ? nil : "card \(cardID) is \(status.name); debits need an activated card",
            creditRefusal: status.isTerminal ? "card \(cardID) is \(status.name) and accepts no operation" : nil)
    }
}

/// Enforces `limits/set` limits on debits (`transaction_type` `pay`, region `domestic`): limits on the card,
/// its account and its client all apply; usage is every uncanceled debit of the period.
public struct CardDebitLimits: DebitLimitPolicy {
    let cards = CardRepository()
    let limits = LimitRepository()

    public init() {}

    public func check(cardID: String, partner: PartnerID, amount: Money, now: Date, in db: any SQLExecutor) async throws {
        guard let card = try await cards.find(CardID(rawValue: cardID), partner: partner, in: db) else { return }
        var targets: [LimitTarget] = [.card(card.id), .account(card.id)]
        if let client = card.clientID { targets.append(.client(client)) }
        for target in targets {
            let stored = try await limits.limits(on: target, partner: partner, in: db)
            guard !stored.isEmpty else { continue }
            var used: [String: Int64] = [:]
            for limit in stored where used[limit.period] == nil {
                used[limit.period] = try await usage(target, partner: partner, since: LimitPolicy.periodStart(of: limit.period, now: now), in: db)
            }
            let decision = LimitPolicy.check(
                amountMinor: amount.minorUnits, currency: amount.currency.code, transactionType: "pay", region: "domestic",
                limits: stored, usedMinor: { used[$0.period] ?? 0 })
            if case .exceeded(let limit, let available) = decision {
                throw TransactionError.limitExceeded(
                    "the \(limit.period) \(limit.transactionType) limit of \(limit.max.compactString) \(limit.currency) on this "
                        + "\(target.typeName) leaves \(Money(minorUnits: available, currency: amount.currency).compactString); "
                        + "\(amount.compactString) was asked")
            }
        }
    }

    /// Debits (held or cleared, refunds not deducted) of the target since `start`.
    private func usage(_ target: LimitTarget, partner: PartnerID, since start: Date, in db: any SQLExecutor) async throws -> Int64 {
        let spent = "CASE WHEN t.status = 'created' THEN t.amount_minor ELSE t.cleared_minor END"
        let filter = "t.partner_id = ? AND t.kind = 'debit' AND t.status <> 'canceled' AND t.created_at >= ?"
        let sql: String
        switch target {
        case .card, .account:
            sql = "SELECT CAST(COALESCE(SUM(\(spent)), 0) AS BIGINT) AS used FROM card_transactions t WHERE \(filter) AND t.card_id = ?"
        case .client:
            sql = """
                SELECT CAST(COALESCE(SUM(\(spent)), 0) AS BIGINT) AS used FROM card_transactions t
                JOIN payment_cards c ON c.card_id = t.card_id WHERE \(filter) AND c.client_id = ?
                """
        }
        let row = try await db.queryOne(sql, [.integer(partner.rawValue), .integer(Int64(start.timeIntervalSince1970)), .text(target.value)])
        return try row?.int("used") ?? 0
    }
}
