/// Money movement of purchases: cleared amounts credit the merchant, refunds and reversals debit it.
/// (Wired to the double-entry ledger once it is on main.)
public struct PurchaseLedger: Sendable {
    public init() {}

    func credit(_ payment: PurchasePayment, amountMinor: Int64, in db: any SQLExecutor) async throws {}

    func debit(_ payment: PurchasePayment, amountMinor: Int64, in db: any SQLExecutor) async throws {}
}
