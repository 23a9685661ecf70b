import FreedomPayWire

/// Money movement of purchases in the double-entry ledger: a cleared amount moves from the outside world
/// (the buyer's card scheme) to the merchant's account; refunds and reversals move it back.
public struct PurchaseLedger: Sendable {
    let ledger: LedgerRepository

    public init(ledger: LedgerRepository = LedgerRepository()) {
        self.ledger = ledger
    }

    static func currency(_ payment: PurchasePayment) throws -> Currency {
        guard let currency = Currency(code: payment.currency) else {
            throw PurchaseRuleViolation(.invalidParameter, "pg_currency \(payment.currency) is not supported")
        }
        return currency
    }

    /// Credits the merchant with a cleared amount. `postingID` is unique per money movement.
    func credit(_ payment: PurchasePayment, amountMinor: Int64, postingID: String, in db: any SQLExecutor) async throws {
        let currency = try Self.currency(payment)
        let merchant = AccountKey.merchant(payment.merchantID, currency)
        try await ledger.openAccount(merchant, in: db)
        try await ledger.post(.transfer(
            id: postingID, kind: "purchase.clearing", reference: String(payment.id.rawValue), amountMinor: amountMinor,
            from: .external(currency), to: merchant), in: db)
    }

    /// Debits the merchant for a refund or reversal; refused (4006) when the merchant's balance cannot cover it.
    func debit(_ payment: PurchasePayment, amountMinor: Int64, kind: String, postingID: String, in db: any SQLExecutor) async throws {
        let currency = try Self.currency(payment)
        let merchant = AccountKey.merchant(payment.merchantID, currency)
        try await ledger.openAccount(merchant, in: db)
        do {
            try await ledger.post(.transfer(
                id: postingID, kind: kind, reference: String(payment.id.rawValue), amountMinor: amountMinor,
                from: merchant, to: .external(currency)), in: db)
        } catch LedgerError.insufficientFunds(_, let available, _) {
            throw PurchaseRuleViolation(
                .refundInsufficientBalance,
                "Invalid refund amount: the merchant balance \(PGAmount.render(available)) \(currency.code) does not cover it")
        }
    }
}
