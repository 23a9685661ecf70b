import Foundation
import FreedomPayCore
import FreedomPayWire
import Hummingbird
import MultipartKit
import NIOCore

/// Authenticates Merchant API calls with `pg_sig`: reads the parameters (query string, urlencoded or
/// multipart form, or one `pg_xml` document), finds the merchant by `pg_merchant_id` (or the
/// `{merchant_id}` path segment), and verifies the signature with the payment or payout secret.
struct MerchantAuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let services: AppServices
    let secret: Merchant.SecretKind

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        var context = context
        let parameters = try await MerchantParameters.read(&request, limit: services.configuration.maxBodyBytes)
        let idText = PGForm.value("pg_merchant_id", in: parameters) ?? context.parameters.get("merchant_id")
        guard let idText, let number = Int64(idText) else {
            throw MerchantAPIFailure(MerchantAPIFailure.wrongMerchant, "pg_merchant_id is missing or not a number")
        }
        let merchantID = MerchantID(rawValue: number)
        guard let merchant = try await services.credentials.merchant(id: merchantID, store: services.store) else {
            throw MerchantAPIFailure(MerchantAPIFailure.wrongMerchant, "Merchant \(idText) not found")
        }
        let script = PGSignature.scriptName(of: request.uri.path)
        context.caller = .merchant(merchant, parameters: parameters, script: script, secret: secret)
        // From here on the merchant is known, so every refusal (ours or the endpoint's) is answered signed.
        // It is rendered here because the router renders thrown errors with the context it started with,
        // which does not carry the caller set above.
        do {
            try verify(parameters, merchant: merchant, script: script)
            context.logger[metadataKey: "merchant"] = "\(merchant.id.rawValue)"
            if let caller = context.caller, !services.rateLimiter.admit(caller) {
                throw MerchantAPIFailure(CredentialRateLimiter.merchantCode, "Payment frequency limit: " + services.rateLimiter.budget(per: "merchant"))
            }
            return try await next(request, context)
        } catch let failure as MerchantAPIFailure {
            return try failure.response(from: request, context: context)
        }
    }

    private func verify(_ parameters: [PGParameter], merchant: Merchant, script: String) throws(MerchantAPIFailure) {
        guard let signature = PGForm.value("pg_sig", in: parameters), !signature.isEmpty else {
            FreedomPayMetrics.signatureFailure(scheme: "pg_sig", reason: "missing")
            throw MerchantAPIFailure(MerchantAPIFailure.incorrectSignature, "Incorrect request signature: pg_sig is missing")
        }
        guard PGSignature.verify(script: script, parameters: parameters, secret: merchant.secret(secret), signature: signature) else {
            FreedomPayMetrics.signatureFailure(scheme: "pg_sig", reason: "signature")
            let which = secret == .payment ? "payment" : "payout"
            throw MerchantAPIFailure(
                MerchantAPIFailure.incorrectSignature,
                "Incorrect request signature: pg_sig must be md5 of '\(script);<values sorted by name>;<\(which) secret>'")
        }
    }
}

/// The parameter tree of a Merchant API request, whatever the transport.
enum MerchantParameters {
    static func read(_ request: inout Request, limit: Int) async throws -> [PGParameter] {
        var parameters = PGForm.parse(urlEncoded: request.uri.query ?? "")
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            throw MerchantAPIFailure(MerchantAPIFailure.systemError, "request body exceeds \(limit) bytes")
        }
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        if contentType.hasPrefix("multipart/form-data") {
            parameters += try multipart(buffer, contentType: request.headers[.contentType] ?? "")
        } else if buffer.readableBytes > 0 {
            parameters += PGForm.parse(urlEncoded: String(buffer: buffer))
        }
        if let xml = PGForm.value("pg_xml", in: parameters) {
            guard let document = PGXMLParser.parse(xml) else {
                throw MerchantAPIFailure(MerchantAPIFailure.systemError, "pg_xml is not a well-formed XML document")
            }
            return document.parameters
        }
        return parameters
    }

    static func multipart(_ buffer: ByteBuffer, contentType: String) throws -> [PGParameter] {
        guard let boundary = contentType.split(separator: ";").lazy
            .map({ $0.trimmingCharacters(in: .whitespaces) })
            .first(where: { $0.lowercased().hasPrefix("boundary=") })?
            .dropFirst("boundary=".count)
            .trimmingCharacters(in: CharacterSet(charactersIn: "\"")) else {
            throw MerchantAPIFailure(MerchantAPIFailure.systemError, "multipart/form-data without a boundary")
        }
        let parser = MultipartParser(boundary: boundary)
        var fields: [(name: String, value: String)] = []
        var currentName: String?
        var currentBody = ByteBuffer()
        parser.onHeader = { name, value in
            guard name.lowercased() == "content-disposition" else { return }
            currentName = Self.dispositionName(value)
        }
        parser.onBody = { chunk in
            var chunk = chunk
            currentBody.writeBuffer(&chunk)
        }
        parser.onPartComplete = {
            if let name = currentName { fields.append((name, String(buffer: currentBody))) }
            currentName = nil
            currentBody.clear()
        }
        do {
            try parser.execute(buffer)
        } catch {
            throw MerchantAPIFailure(MerchantAPIFailure.systemError, "multipart/form-data body could not be parsed")
        }
        return PGForm.parameters(fields: fields)
    }

    static func dispositionName(_ value: String) -> String? {
        for part in value.split(separator: ";") {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            if trimmed.lowercased().hasPrefix("name=") {
                return String(trimmed.dropFirst(5)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }
}
