import FreedomPayCore
import Hummingbird

/// Every `/v5/card-api` route, behind the Card API authenticator.
/// Endpoint groups register themselves here, one file per group.
struct CardAPIRoutes: Sendable {
    let services: AppServices

    func register(on router: Router<AppRequestContext>) {
        let group = router.group("v5/card-api").add(middleware: CardAPIAuthMiddleware(services: services))
        let status = RequestStatusEndpoint(services: services)
        group.post("request/status", use: status.handle)
        group.post("transaction/status", use: status.handle)
        PaymentCardRoutes.register(on: group, services: services)
        TransactionEndpoints(services: services, directory: PaymentCardDirectory(clock: services.clock), limits: CardDebitLimits())
            .register(on: group)

        group.post("**") { request, _ -> Response in
            throw CardAPIFailure(.notFound, "no Card API route \(request.uri.path)")
        }
    }
}
