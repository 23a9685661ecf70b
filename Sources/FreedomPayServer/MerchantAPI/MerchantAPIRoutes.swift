import FreedomPayCore
import Hummingbird

/// Merchant API routes. Purchase routes verify with the payment secret, payout routes with the payout secret.
/// The hosted payment page is for buyers' browsers and sits outside the signature check.
struct MerchantAPIRoutes: Sendable {
    let services: AppServices

    func register(on router: Router<AppRequestContext>) {
        let purchase = router.group().add(middleware: MerchantAuthMiddleware(services: services, secret: .payment))
        PurchaseEndpoints(services: services).register(on: purchase)
        RecurringPaymentEndpoint(services: services).register(on: purchase)
        CardStorageEndpoints(services: services).register(on: purchase)
        CardTokenPayments(services: services).register(on: purchase)
        let payouts = PayoutEndpoints(services: services)
        let api = router.group("api").add(middleware: MerchantAuthMiddleware(services: services, secret: .payout))
        payouts.register(api: api)
        RecipientPayoutEndpoints(services: services).register(api: api)
        RecipientPayoutEndpoints(services: services).register(pages: router)
        let payoutRoot = router.group().add(middleware: MerchantAuthMiddleware(services: services, secret: .payout))
        payouts.register(root: payoutRoot)
        CardStorageEndpoints(services: services, kind: .payout).register(on: payoutRoot)
        PayoutCardPages(services: services).register(on: router)
        PaymentPageRoutes(services: services).register(on: router)
        CardTokenPages(services: services).register(on: router)
    }
}
