import FreedomPayCore
import Hummingbird

/// Merchant API routes. Purchase routes verify with the payment secret, payout routes with the payout secret.
struct MerchantAPIRoutes: Sendable {
    let services: AppServices

    func register(on router: Router<AppRequestContext>) {
        _ = router.group().add(middleware: MerchantAuthMiddleware(services: services, secret: .payment))
        _ = router.group("api").add(middleware: MerchantAuthMiddleware(services: services, secret: .payout))
    }
}
