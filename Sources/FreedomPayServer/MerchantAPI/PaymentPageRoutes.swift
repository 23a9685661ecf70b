import Foundation
import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// The hosted payment page behind `pg_redirect_url` (merchant-api.md §4.1): card form, check request,
/// simulated 3-D Secure, authorisation by test card, then Redirect back (§3.23). Not behind `pg_sig`:
/// the unguessable page token is the buyer's only handle on the payment.
struct PaymentPageRoutes: Sendable {
    let services: AppServices
    static let maxFormBytes = 16 * 1024

    static func pageURL(base: String, token: String) -> String {
        (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/pay/" + token
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("pay/:token", use: show)
        router.post("pay/:token", use: submitCard)
        router.get("pay/:token/3ds", use: showThreeDSecure)
        router.post("pay/:token/3ds", use: submitThreeDSecure)
    }

    var flow: PaymentPageFlow { PaymentPageFlow(services: services) }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await flow.guarded {
            guard let token = context.parameters.get("token"), let payment = try await flow.load(token) else { return flow.notFound() }
            switch payment.status {
            case .created:
                return PaymentPageHTML.response(PaymentPageHTML.cardForm(payment, merchantName: try await flow.merchantName(payment), token: token))
            case .pending: return flow.redirect(to: "/pay/\(token)/3ds")
            default: return try await flow.finish(payment)
            }
        }
    }

    @Sendable func submitCard(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let form = try await flow.form(&request)
        return try await flow.guarded {
            guard let token = context.parameters.get("token"), let payment = try await flow.load(token) else { return flow.notFound() }
            guard payment.status == .created else { return try await show(request, context: context) }
            let validation = CardEntry.validate(
                number: form.value("card_number") ?? "", expiry: form.value("expiry") ?? "", cvv: form.value("cvv") ?? "",
                holder: form.value("holder") ?? "", now: services.clock.now())
            switch validation {
            case .failure(let problems):
                let html = PaymentPageHTML.cardForm(
                    payment, merchantName: try await flow.merchantName(payment), token: token, problems: problems, holder: form.value("holder") ?? "")
                return PaymentPageHTML.response(html, status: .unprocessableContent)
            case .success(let entry):
                return try await flow.process(token: token, card: entry.stored)
            }
        }
    }

    @Sendable func showThreeDSecure(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await flow.guarded {
            guard let token = context.parameters.get("token"), let payment = try await flow.load(token) else { return flow.notFound() }
            guard payment.status == .pending else { return try await show(request, context: context) }
            return PaymentPageHTML.response(PaymentPageHTML.threeDSecure(
                payment, merchantName: try await flow.merchantName(payment), token: token, message: nil))
        }
    }

    @Sendable func submitThreeDSecure(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let form = try await flow.form(&request)
        return try await flow.guarded {
            guard let token = context.parameters.get("token") else { return flow.notFound() }
            return try await flow.confirmThreeDSecure(token: token, code: form.value("code") ?? "")
        }
    }
}
