import Foundation
import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// Sandbox-only helpers for testers, signed like any Card API call (so one partner sees only its own):
/// `POST /v5/card-api/sandbox/fund` tops up the partner's settlement account; `POST /v5/card-api/sandbox/sms`
/// reads the SMS inbox. Absent outside sandbox mode.
struct SandboxRoutes: Sendable {
    let services: AppServices

    struct FundRequest: Codable, Sendable {
        var amount: WireDecimal
        var currency: String
    }

    struct FundAnswer: Codable, Sendable {
        var currency: String
        var balance: WireDecimal
    }

    struct InboxRequest: Codable, Sendable {
        var phone: PhoneNumber?
        var limit: Int?
    }

    struct InboxAnswer: Encodable, Sendable {
        struct Message: Encodable, Sendable {
            var phone: String
            var text: String
            var datetime: String
        }
        var messages: [Message]
    }

    func register(on router: Router<AppRequestContext>) {
        guard services.configuration.sandbox else { return }
        let group = router.group("v5/card-api/sandbox").add(middleware: CardAPIAuthMiddleware(services: services))
        group.post("fund", use: fund)
        group.post("sms", use: inbox)
    }

    @Sendable func fund(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeCardAPI(FundRequest.self)
        let partner = try context.partner()
        guard let currency = Currency(code: body.currency) else {
            throw CardAPIFailure(.validationError, "field 'currency' must be a supported ISO 4217 code")
        }
        let amount: Money
        do {
            amount = try AmountRange.payments.parse(body.amount.text, currency: currency)
        } catch {
            throw CardAPIFailure(.validationError, "field 'amount': \(error)")
        }
        let funding = SandboxFunding(clock: services.clock)
        let balance = try await services.store.write { db in try await funding.fundPartner(partner.id, amount: amount, in: db) }
        return JSONBody.response(FundAnswer(currency: currency.code, balance: WireDecimal(balance.available.decimal)))
    }

    @Sendable func inbox(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeCardAPI(InboxRequest.self)
        let partner = try context.partner()
        let messages = try await services.store.read { db in
            try await SMSOutbox().messages(partner: partner.id, phone: body.phone?.digits, limit: body.limit ?? 50, in: db)
        }
        return JSONBody.response(InboxAnswer(messages: messages.map {
            InboxAnswer.Message(phone: $0.phone, text: $0.text, datetime: WireDate.plain($0.createdAt))
        }))
    }
}
