import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// A verified Merchant API call: the merchant, its parameters and how to sign the answer.
struct MerchantCall: Sendable {
    let merchant: Merchant
    let parameters: [PGParameter]
    let script: String
    let secret: String

    init(_ context: AppRequestContext) throws {
        guard case .merchant(let merchant, let parameters, let script, let kind)? = context.caller else {
            throw MerchantAPIFailure(MerchantAPIFailure.wrongMerchant, "Merchant not identified")
        }
        self.merchant = merchant
        self.parameters = parameters
        self.script = script
        self.secret = merchant.secret(kind)
    }

    /// `pg_status=ok` plus `fields`, signed with the request's script name and secret.
    func answer(_ fields: [PGParameter]) -> Response {
        MerchantResponse.signed([PGParameter("pg_status", "ok")] + fields, merchant: merchant, script: script, secret: secret)
    }

    /// A required `pg_payment_id`-like integer field.
    func paymentID(_ name: String = "pg_payment_id") throws -> PaymentID {
        guard let text = parameters.value(name), !text.isEmpty else {
            throw MerchantAPIFailure(PGErrorCode.invalidParameter.rawValue, "\(name) is required")
        }
        guard let number = Int64(text), number > 0 else {
            throw MerchantAPIFailure(PGErrorCode.invalidParameter.rawValue, "\(name) must be a positive integer")
        }
        return PaymentID(rawValue: number)
    }

    /// Runs an endpoint body, turning domain refusals into the documented error answer and anything
    /// unexpected into a signed `9999` (never an HTTP 500).
    func run(_ services: AppServices, _ body: () async throws -> Response) async -> Response {
        let failure: MerchantAPIFailure
        do {
            return try await body()
        } catch let violation as PurchaseRuleViolation {
            failure = MerchantAPIFailure(violation.code.rawValue, violation.message)
        } catch let known as MerchantAPIFailure {
            failure = known
        } catch {
            services.logger.error("merchant API call failed", metadata: ["script": "\(script)", "error": "\(error)"])
            failure = MerchantAPIFailure(PGErrorCode.systemError.rawValue, "System error, the operation was not performed")
        }
        return failure.signedResponse(merchant: merchant, script: script, secret: secret)
    }

    static func notFound() -> MerchantAPIFailure {
        MerchantAPIFailure(PGErrorCode.paymentNotFound.rawValue, "Payment not found.")
    }
}
