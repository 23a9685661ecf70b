import FreedomPayWire
import HTTPTypes
import Hummingbird
import NIOCore

/// The Merchant API side of `CredentialRateLimitMiddleware`: one budget per merchant id (`pg_merchant_id`, or the
/// `{merchant_id}` path segment), purchase and payout routes alike. Past it the answer is the Merchant API's XML
/// envelope, `pg_status error` with code 10006 ("payment frequency limit", merchant-api.md §5.1) and HTTP 200 like
/// every Merchant API answer [inferred]. It is unsigned, as is 9998: the request has not been authenticated yet.
///
/// As on the other APIs only authenticated requests are charged: an answer that is a signature refusal
/// (1100, or 9998 for an unknown merchant) spends nothing, so forged requests cannot use up a merchant's budget.
struct MerchantRateLimit {
    static let code = 10006
    static let signatureRefusals = [MerchantAPIFailure.incorrectSignature, MerchantAPIFailure.wrongMerchant]
    let limit: RateLimit
    let buckets: TokenBuckets

    /// Merchant API paths as `APIRouteTable` lists them (`{...}` segments match anything), so new routes are covered.
    static let templates: [[Substring]] = Set(APIRouteTable.routes.filter { $0.api == .merchantAPI }.map(\.path))
        .map { $0.split(separator: "/") }

    static func isMerchantRoute(_ path: String) -> Bool {
        let segments = path.split(separator: "/")
        return templates.contains { template in
            template.count == segments.count && zip(template, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }
    }

    static func pathMerchantID(_ path: String) -> String? {
        let segments = path.split(separator: "/")
        guard segments.count > 2, segments[0] == "v1", segments[1] == "merchant" else { return nil }
        return String(segments[2])
    }

    func handle(_ request: Request, context: AppRequestContext,
                next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        var request = request
        // Reads the body once here (the authenticator reads the collected copy again).
        let parameters = try await MerchantParameters.read(&request, limit: context.maxUploadSize)
        guard let merchant = PGForm.value("pg_merchant_id", in: parameters) ?? Self.pathMerchantID(request.uri.path) else {
            return try await next(request, context)
        }
        let key = "merchant:" + merchant
        guard buckets.hasToken(key, limit: limit) else {
            throw MerchantAPIFailure(Self.code, "Payment frequency limit: \(limit.burst) requests, refilled at \(limit.requestsPerSecond)/s per merchant")
        }
        do {
            var response = try await next(request, context)
            if try await !Self.isSignatureRefusal(&response) { buckets.spend(key, limit: limit) }
            return response
        } catch let failure as MerchantAPIFailure {
            if !Self.signatureRefusals.contains(failure.code) { buckets.spend(key, limit: limit) }
            throw failure
        }
    }

    /// Whether an answer is a signature refusal. The authenticator renders its refusals itself, so this reads the
    /// (small, in-memory) XML answer and puts the bytes back; large or streamed bodies are never refusals.
    static func isSignatureRefusal(_ response: inout Response) async throws -> Bool {
        guard let length = response.body.contentLength, length <= 64 * 1024 else { return false }
        let collector = BodyCollector()
        let body = response.body
        try await body.write(CollectingWriter(collector: collector))
        response.body = ResponseBody(byteBuffer: collector.buffer)
        let text = String(buffer: collector.buffer)
        return signatureRefusals.contains { text.contains("<pg_error_code>\($0)</pg_error_code>") }
    }
}

/// Holds the bytes a `CollectingWriter` received (the writer itself is consumed when it finishes).
private final class BodyCollector: @unchecked Sendable {
    var buffer = ByteBuffer()
}

private struct CollectingWriter: ResponseBodyWriter {
    let collector: BodyCollector

    mutating func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        collector.buffer.writeBuffer(&buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
