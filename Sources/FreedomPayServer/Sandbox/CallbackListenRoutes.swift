import Foundation
import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// The server side of `freedompay listen` (Merchant API, signed with the payment secret like any call; answers
/// 9994 outside sandbox mode):
/// - `POST /sandbox/callbacks/listen` (`pg_forward_url`, `pg_wait_ms` up to 25 000): attaches the caller as the
///   merchant's listener and long-polls for the next callback, signed for the forward URL;
/// - `POST /sandbox/callbacks/reply` (`pg_delivery_id`, then `pg_http_status` + `pg_body_base64`, or `pg_error`):
///   the forward target's answer, which the dispatcher records as if the merchant had answered directly.
struct CallbackListenRoutes: Sendable {
    let services: AppServices
    static let maxWaitMs = 25_000
    static let maxReplyBytes = 64 * 1024

    func register(on router: Router<AppRequestContext>) {
        let group = router.group("sandbox/callbacks").add(middleware: MerchantAuthMiddleware(services: services, secret: .payment))
        group.post("listen", use: listen)
        group.post("reply", use: reply)
    }

    var relay: CallbackRelay { services.sandboxTools.relay }

    func requireSandbox() throws {
        guard services.configuration.sandbox else {
            throw MerchantAPIFailure(9994, "Action disabled: the callback listener exists only in sandbox mode")
        }
    }

    @Sendable func listen(_ request: Request, context: AppRequestContext) async throws -> Response {
        let call = try MerchantCall(context)
        return await call.run(services) {
            try requireSandbox()
            let forward = try Self.forwardURL(call.parameters)
            let waitText = call.parameters.value("pg_wait_ms") ?? "0"
            guard let waitMs = Int(waitText), (0...Self.maxWaitMs).contains(waitMs) else {
                throw MerchantAPIFailure(PGErrorCode.invalidParameter.rawValue, "pg_wait_ms must be an integer from 0 to \(Self.maxWaitMs)")
            }
            let deadline = ContinuousClock.now + .milliseconds(waitMs)
            while true {
                if let delivery = await relay.poll(merchant: call.merchant.id, forwardURL: forward) {
                    return call.answer(Self.fields(delivery))
                }
                if ContinuousClock.now >= deadline || Task.isCancelled { return call.answer([]) }
                try await Task.sleep(for: CallbackRelay.pollInterval)
            }
        }
    }

    @Sendable func reply(_ request: Request, context: AppRequestContext) async throws -> Response {
        let call = try MerchantCall(context)
        return await call.run(services) {
            try requireSandbox()
            guard let id = call.parameters.value("pg_delivery_id"), !id.isEmpty else {
                throw MerchantAPIFailure(PGErrorCode.invalidParameter.rawValue, "pg_delivery_id is required")
            }
            guard let delivery = await relay.complete(merchant: call.merchant.id, id: id) else {
                throw MerchantAPIFailure(PGErrorCode.invalidParameter.rawValue, "Delivery \(id) not found or already answered")
            }
            let parsed = try Self.parse(call, delivery: delivery)
            await relay.store(parsed, for: id)
            return call.answer(Self.outcomeFields(parsed))
        }
    }

    static func forwardURL(_ parameters: [PGParameter]) throws -> String {
        guard let text = parameters.value("pg_forward_url"), let url = URL(string: text),
              let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil else {
            throw MerchantAPIFailure(PGErrorCode.invalidParameter.rawValue, "pg_forward_url must be an http(s) URL")
        }
        return text
    }

    static func fields(_ delivery: CallbackRelay.Delivery) -> [PGParameter] {
        [
            PGParameter("pg_delivery_id", delivery.id), PGParameter("pg_forward_url", delivery.forwardURL),
            PGParameter("pg_original_url", delivery.originalURL), PGParameter("pg_method", delivery.method.rawValue),
            PGParameter("pg_secret_kind", delivery.secret == .payment ? "payment" : "payout"),
            PGParameter("pg_payload", delivery.payload),
        ]
    }

    /// The forward target's answer, read exactly as `CallbackSender` reads a merchant's.
    static func parse(_ call: MerchantCall, delivery: CallbackRelay.Delivery) throws -> CallbackReply.Parsed {
        if let error = call.parameters.value("pg_error") {
            return CallbackReply.Parsed(outcome: .failed("listener could not reach \(delivery.forwardURL): \(error.prefix(200))"))
        }
        guard let statusText = call.parameters.value("pg_http_status"), let status = Int(statusText), (100...599).contains(status) else {
            throw MerchantAPIFailure(PGErrorCode.invalidParameter.rawValue, "pg_http_status (100-599) or pg_error is required")
        }
        guard let body = Data(base64Encoded: call.parameters.value("pg_body_base64") ?? ""), body.count <= maxReplyBytes else {
            throw MerchantAPIFailure(PGErrorCode.invalidParameter.rawValue, "pg_body_base64 must be base64 of at most \(maxReplyBytes) bytes")
        }
        return CallbackReply.parse(
            httpStatus: status, body: Array(body), callbackURL: delivery.forwardURL,
            secret: call.merchant.secret(delivery.secret), requireBody: delivery.requireSignedReply)
    }

    static func outcomeFields(_ parsed: CallbackReply.Parsed) -> [PGParameter] {
        switch parsed.outcome {
        case .ok: return [PGParameter("pg_outcome", "ok")]
        case .rejected: return [PGParameter("pg_outcome", "rejected")]
        case .failed(let reason): return [PGParameter("pg_outcome", "failed"), PGParameter("pg_reason", reason)]
        }
    }
}
