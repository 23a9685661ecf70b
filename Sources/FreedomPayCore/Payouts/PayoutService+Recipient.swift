import Foundation
import FreedomPayWire

/// A validated `/api/reg2nonreg` request (merchant-api.md §3.16): the recipient enters the card on our page.
public struct RecipientPayoutDraft: Sendable, Equatable {
    public var orderID: String
    public var amountMinor: Int64
    public var description: String
    public var timeLimit: Date
    public var postLink: String
    public var backLink: String
    public var userID: String?

    public static func validate(_ parameters: [PGParameter], now: Date) throws(PurchaseRuleViolation) -> RecipientPayoutDraft {
        let rules = FieldRules(parameters)
        let orderID = try rules.text("pg_order_id", required: true, maxLength: 50)!
        let amount = try rules.amount("pg_amount", required: true)!
        let description = try rules.text("pg_description", required: true, maxLength: 255)!
        let timeLimit = try PayoutDraft.timeLimit(rules, now: now)
        guard let postLink = try rules.url("pg_post_link") else { throw PayoutDraft.invalid("pg_post_link is required") }
        guard let backLink = try rules.url("pg_back_link") else { throw PayoutDraft.invalid("pg_back_link is required") }
        _ = try rules.oneOf("pg_payment_route", ["frame"])
        let user = rules.value("pg_user_id") == nil ? nil : try PayoutDraft.userID(rules)
        _ = try rules.email("pg_user_email")
        return RecipientPayoutDraft(orderID: orderID, amountMinor: amount, description: description, timeLimit: timeLimit,
                                    postLink: postLink, backLink: backLink, userID: user)
    }
}

extension PayoutService {
    /// `reg2nonreg`: records the payout (status `created`) after checking that the balance covers it (8888);
    /// nothing moves until the recipient enters a card (`recipientEnteredCard`).
    public func payToRecipient(_ draft: RecipientPayoutDraft, merchant: MerchantID, requestHash: String, now: Date, in db: any SQLExecutor) async throws -> Outcome {
        if let existing = try await existing(draft.orderID, merchant: merchant, requestHash: requestHash, in: db) { return existing }
        let account = AccountKey.merchant(merchant, Self.currency)
        try await ledger.openAccount(account, in: db)
        var payout = Payout(
            id: try await PayoutRepository().newID(in: db), merchantID: merchant, orderID: draft.orderID, kind: .reg2nonreg,
            amountMinor: draft.amountMinor, feeMinor: fee.fee(forMinor: draft.amountMinor), currency: Self.currency,
            description: draft.description, userID: draft.userID, postLink: draft.postLink, cardToken: nil, cardMask: nil,
            machine: PayoutMachine(), plan: .success, errorDescription: nil, requestHash: requestHash,
            timeLimit: Int64(draft.timeLimit.timeIntervalSince1970), settleAt: nil, balanceAfterMinor: nil,
            createdAt: Int64(now.timeIntervalSince1970), finishedAt: nil, pageToken: RandomToken.alphanumeric(32), backLink: draft.backLink)
        let available = try await ledger.balance(of: account, in: db).availableMinor
        guard available >= payout.toPayMinor else {
            throw PayoutRefusal(PayoutRefusal.insufficientBalance, PayoutTestCards.description(of: PayoutRefusal.insufficientBalance))
        }
        payout.balanceAfterMinor = available
        try await PayoutRepository().insert(payout, in: db)
        return Outcome(payout: payout, replayed: false)
    }

    /// The recipient's card (only its mask) for a `created` reg2nonreg payout: the test-card plan decides the
    /// outcome; a balance spent in the meantime fails the payout with 8888. Nil when the page is unknown or used.
    public func recipientEnteredCard(pageToken: String, mask: String, now: Date, in db: any SQLExecutor) async throws -> Payout? {
        guard var payout = try await PayoutRepository().payout(pageToken: pageToken, in: db), payout.machine.state == .created else { return nil }
        payout.cardMask = mask
        payout.plan = PayoutTestCards.plan(mask: mask)
        do {
            try await execute(&payout, now: now, in: db)
        } catch let refusal as PayoutRefusal {
            try payout.machine.fail(code: refusal.code)
            payout.errorDescription = refusal.message
            payout.finishedAt = Int64(now.timeIntervalSince1970)
        }
        payout.balanceAfterMinor = try await ledger.balance(of: .merchant(payout.merchantID, payout.currency), in: db).availableMinor
        try await PayoutRepository().update(payout, in: db)
        if payout.machine.isFinal { try await notify(payout, now: now, in: db) }
        return payout
    }

    public func payout(pageToken: String, in db: any SQLExecutor) async throws -> Payout? {
        try await PayoutRepository().payout(pageToken: pageToken, in: db)
    }
}
