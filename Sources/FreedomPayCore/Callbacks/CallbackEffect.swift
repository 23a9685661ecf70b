import Foundation

/// What a finished delivery changes in the domain (e.g. a rejected Result notify reverses the payment).
/// Runs in the same transaction that records the delivery as finished.
public protocol CallbackEffect: Sendable {
    func finished(_ callback: OutboxCallback, now: Date, in db: any SQLExecutor) async throws
}

/// Result notify: a refusal the merchant was still allowed to give reverses the payment (§3.21).
public struct PurchaseResultEffect: CallbackEffect {
    let service: PurchaseService

    public init(service: PurchaseService) { self.service = service }

    public func finished(_ callback: OutboxCallback, now: Date, in db: any SQLExecutor) async throws {
        guard callback.delivery.state == .delivered(.rejected), let id = Int64(callback.callback.subjectID) else { return }
        try await service.reverseAfterRejection(PaymentID(rawValue: id), merchant: callback.callback.merchantID, now: now, in: db)
    }
}
