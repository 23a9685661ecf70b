import Foundation

/// The Payment Cards side of card transactions: which cards may move money (`TransactionCardDirectory`)
/// and the stored limits on debits (`DebitLimitPolicy`).
public struct PaymentCardDirectory: TransactionCardDirectory {
    let cards = CardRepository()
    let clock: any Clock

    public init(clock: any Clock = SystemClock()) { self.clock = clock }

    /// Debits need an activated card; credits and refunds any card that is not closed or expired.
    public func card(_ cardID: String, partner: PartnerID, in db: any SQLExecutor) async throws -> TransactionCard? {
        guard let record = try await cards.find(CardID(rawValue: cardID), partner: partner, in: db),
              let currency = Currency(code: record.currency) else { return nil }
        let status = record.status(at: clock.now())
        let describe = "card in status \(status.rawValue) (\(status.name))"
        return TransactionCard(
            cardID: record.id.rawValue, currency: currency,
            debitRefusal: status == .activated ? nil : "\(describe) accepts no debit",
            creditRefusal: status.isTerminal || status == .unknown ? "\(describe) accepts no credit" : nil)
    }
}

/// Enforces `limits/set` on `transaction/create` debits: limits on the card, its account and its holder
/// apply. [inferred] a `transaction/create` debit counts as transaction type `pay` in region `domestic`.
public struct CardDebitLimits: DebitLimitPolicy {
    public static let transactionType = "pay"
    public static let region = "domestic"

    let cards = CardRepository()
    let limits = LimitRepository()
    let usage = LimitUsage()

    public init() {}

    public func check(cardID: String, partner: PartnerID, amount: Money, now: Date, in db: any SQLExecutor) async throws {
        guard let card = try await cards.find(CardID(rawValue: cardID), partner: partner, in: db) else { return }
        var targets: [LimitTarget] = [.card(card.id), .account(card.id)]
        if let client = card.clientID { targets.append(.client(client)) }
        for target in targets {
            let stored = try await limits.limits(on: target, partner: partner, in: db)
            var used: [CardLimit: Int64] = [:]
            for limit in stored where limit.transactionType == Self.transactionType && limit.currency == amount.currency.code {
                used[limit] = try await usage.usedMinor(of: limit, on: target, partner: partner, now: now, in: db)
            }
            let decision = LimitPolicy.check(
                amountMinor: amount.minorUnits, currency: amount.currency.code, transactionType: Self.transactionType,
                region: Self.region, limits: stored) { used[$0] ?? 0 }
            if case .exceeded(let limit, let available) = decision {
                throw TransactionError.limitExceeded(
                    "\(target.typeName) limit \(limit.transactionType)/\(limit.period) of \(limit.max.compactString) \(limit.currency) "
                        + "has \(Money(minorUnits: available, currency: amount.currency).compactString) left")
            }
        }
    }
}

/// How much of a limit's period is used: debits (not canceled) of the target's cards since the period start.
public struct LimitUsage: Sendable {
    public init() {}

    public func usedMinor(of limit: CardLimit, on target: LimitTarget, partner: PartnerID, now: Date, in db: any SQLExecutor) async throws -> Int64 {
        guard limit.transactionType == CardDebitLimits.transactionType else { return 0 }
        let start = Int64(LimitPolicy.periodStart(of: limit.period, now: now).timeIntervalSince1970)
        let cards: String
        var binds: [SQLValue] = [.integer(partner.rawValue), .text(limit.currency), .integer(start)]
        switch target {
        case .card(let id), .account(let id):
            cards = "card_id = ?"
            binds.append(.text(id.rawValue))
        case .client(let id):
            cards = "card_id IN (SELECT card_id FROM payment_cards WHERE partner_id = ? AND client_id = ?)"
            binds += [.integer(partner.rawValue), .text(id.rawValue)]
        }
        let row = try await db.queryOne(
            """
            SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) AS used_minor FROM card_transactions
            WHERE partner_id = ? AND kind = 'debit' AND status <> 'canceled' AND currency = ? AND created_at >= ? AND \(cards)
            """, binds)
        return try row?.int("used_minor") ?? 0
    }
}
