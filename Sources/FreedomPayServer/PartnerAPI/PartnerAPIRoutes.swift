import FreedomPayCore
import Hummingbird

/// Every `/v5/partner` route, behind the Partner API authenticator. One file per endpoint group.
struct PartnerAPIRoutes: Sendable {
    let services: AppServices

    func register(on router: Router<AppRequestContext>) {
        let group = router.group("v5/partner")
            .add(middleware: PartnerAPIResponseHeadersMiddleware(services: services))
            .add(middleware: PartnerAPIAuthMiddleware(services: services))
        RatesEndpoints(services: services).register(on: group)
        ProductsEndpoints(services: services).register(on: group)
        WalletEndpoints(services: services).register(on: group)
        group.post("**") { request, _ -> Response in
            throw PartnerAPIFailure(.notFound, "no Partner API route \(request.uri.path)")
        }
    }
}
