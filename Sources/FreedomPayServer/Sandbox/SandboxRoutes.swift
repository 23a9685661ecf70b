import Foundation
import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// Sandbox-only helpers for testers, signed like any Card API call (so one partner sees only its own):
/// `POST /v5/card-api/sandbox/fund` tops up the partner's settlement account; `POST /v5/card-api/sandbox/sms`
/// reads the SMS inbox; `clock`, `reset` and `inject` (SandboxToolRoutes). Absent outside sandbox mode.
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
        CallbackListenRoutes(services: services).register(on: router)
        guard services.configuration.sandbox else { return }
        let group = router.group("v5/card-api/sandbox").add(middleware: CardAPIAuthMiddleware(services: services))
        group.post("fund", use: fund)
        group.post("sms", use: inbox)
        group.post("clock", use: clock)
        group.post("reset", use: reset)
        group.post("inject", use: inject)
    }

    struct ClockRequest: Codable, Sendable {
        /// `6d`, `12h`, `1d12h`…; absent = only report the time.
        var advance: String?
    }

    struct ClockAnswer: Codable, Sendable {
        var now: String
        var offsetSeconds: Int64
        enum CodingKeys: String, CodingKey {
            case now
            case offsetSeconds = "offset_seconds"
        }
    }

    /// Moves the sandbox clock forward (expiries, auto-clearing, code lifetimes follow it). Time never goes
    /// back; the offset is kept in the data folder so a restart keeps it. It is one clock for the whole server.
    @Sendable func clock(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeCardAPI(ClockRequest.self)
        guard let clock = services.clock as? ManualClock else {
            throw CardAPIFailure(.validationError, "this server runs on real time; start it in sandbox mode to move the clock")
        }
        if let advance = body.advance {
            guard let seconds = DurationText.seconds(advance), seconds > 0, seconds <= 10 * 365 * 86_400 else {
                throw CardAPIFailure(.validationError, "field 'advance' must be a positive duration such as 6d, 12h, 30m or 1d12h")
            }
            clock.advance(by: seconds)
            try SandboxClockFile.save(offsetSeconds: clock.offsetSeconds, configuration: services.configuration)
        }
        return JSONBody.response(ClockAnswer(now: WireDate.rfc3339(clock.now()), offsetSeconds: Int64(clock.offsetSeconds)))
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
