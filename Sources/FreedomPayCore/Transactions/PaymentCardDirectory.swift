import Foundation

/// Payment cards as the transaction rules see them: debits need an activated card; credits and refunds
/// any card that is not closed or expired (a blocked card can still be refunded or topped up).
public struct PaymentCardDirectory: TransactionCardDirectory {
    let clock: any Clock
    let cards = CardRepository()

    public init(clock: any Clock = SystemClock()) { self.clock = clock }

    public func card(_ cardID: String, partner: PartnerID, in db: any SQLExecutor) async throws -> TransactionCard? {
        guard !cardID.isEmpty, let (record, hasLimits) = try await cards.debitState(CardID(rawValue: cardID), partner: partner, in: db) else { return nil }
        guard let currency = Currency(code: record.currency) else { throw StoreError.decoding("card currency \(record.currency)") }
        let status = record.status(at: clock.now())
        return TransactionCard(
            cardID: cardID, currency: currency,
            debitRefusal: status == .activated ? nil : "card \(cardID) is \(status.name); debits need an activated card",
            creditRefusal: status.isTerminal ? "card \(cardID) is \(status.name) and accepts no operation" : nil,
            clientID: record.clientID?.rawValue, limitsMayApply: hasLimits)
    }
}

/// Enforces `limits/set` limits on debits (`transaction_type` `pay`, region `domestic`): limits on the card,
/// its account and its client all apply; usage is every uncanceled debit of the period.
public struct CardDebitLimits: DebitLimitPolicy {
    let limits = LimitRepository()
    let usage = LimitUsage()

    let cards = CardRepository()

    public init() {}

    /// The same check for a card known by id only (reads it first); an unknown card has nothing to check.
    public func check(cardID: String, partner: PartnerID, amount: Money, now: Date, in db: any SQLExecutor) async throws {
        guard let record = try await cards.find(CardID(rawValue: cardID), partner: partner, in: db) else { return }
        let card = TransactionCard(
            cardID: cardID, currency: amount.currency, debitRefusal: nil, creditRefusal: nil, clientID: record.clientID?.rawValue)
        try await check(card: card, partner: partner, amount: amount, now: now, in: db)
    }

    public func check(card: TransactionCard, partner: PartnerID, amount: Money, now: Date, in db: any SQLExecutor) async throws {
        guard card.limitsMayApply else { return }
        let cardID = CardID(rawValue: card.cardID)
        var targets: [LimitTarget] = [.card(cardID), .account(cardID)]
        if let client = card.clientID { targets.append(.client(ClientID(rawValue: client))) }
        // One query for the limits of all three targets: most cards have none, and then that is all it costs.
        let all = try await limits.limits(on: targets, partner: partner, in: db)
        for (target, stored) in zip(targets, all) {
            guard !stored.isEmpty else { continue }
            // One usage rule for enforcement and for `limits/list` (LimitUsage).
            var used: [CardLimit: Int64] = [:]
            for limit in stored where limit.transactionType == "pay" {
                used[limit] = try await usage.usedMinor(of: limit, on: target, partner: partner, now: now, in: db)
            }
            let decision = LimitPolicy.check(
                amountMinor: amount.minorUnits, currency: amount.currency.code, transactionType: "pay", region: "domestic",
                limits: stored, usedMinor: { used[$0] ?? 0 })
            if case .exceeded(let limit, let available) = decision {
                throw TransactionError.limitExceeded(
                    "the \(limit.period) \(limit.transactionType) limit of \(limit.max.compactString) \(limit.currency) on this "
                        + "\(target.typeName) leaves \(Money(minorUnits: available, currency: amount.currency).compactString); "
                        + "\(amount.compactString) was asked")
            }
        }
    }
}
