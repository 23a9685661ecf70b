import Foundation
import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// `make_recurring_payment.php` (merchant-api.md §3.6): charges the card of a recurring profile.
struct RecurringPaymentEndpoint: Sendable {
    let services: AppServices

    func register(on group: RouterGroup<AppRequestContext>) {
        for path in ["make_recurring_payment.php", "make_recurring_payment"] { group.post(RouterPath(stringLiteral: path), use: charge) }
    }

    @Sendable func charge(_ request: Request, context: AppRequestContext) async throws -> Response {
        let call = try MerchantCall(context)
        return await call.run(services) {
            let profileID = try call.paymentID("pg_recurring_profile").rawValue
            let draft = try PaymentDraft.validate(call.parameters, sandbox: services.configuration.sandbox)
            let hash = PurchaseService.requestHash(call.parameters)
            let now = services.clock.now()
            let merchant = call.merchant.id
            let (payment, profile) = try await services.store.write { db in
                try await services.purchases.chargeRecurring(draft, profileID: profileID, merchant: merchant, requestHash: hash, now: now, in: db)
            }
            // The declined charge is recorded (and notified) before the refusal is answered.
            guard payment.status == .captured || payment.status == .authorized else {
                throw MerchantAPIFailure(
                    payment.failureCode ?? PGErrorCode.contactIssuer.rawValue,
                    "\(payment.failureDescription ?? "Payment declined") (pg_payment_id \(payment.id.rawValue))")
            }
            return call.answer([
                PGParameter("pg_payment_id", String(payment.id.rawValue)),
                PGParameter("pg_amount", PGAmount.render(payment.amountMinor)),
                PGParameter("pg_currency", payment.currency),
                PGParameter("pg_recurring_profile", String(profile.id)),
                PGParameter("pg_recurring_profile_expiry_date", PurchaseStatusFields.date(profile.expiresAt)),
            ])
        }
    }
}
