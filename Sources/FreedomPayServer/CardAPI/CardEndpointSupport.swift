import Foundation
import FreedomPayCore
import FreedomPayWire
import Hummingbird

extension CardAPIFailure {
    /// The Card API code of each Payment Cards rule refusal (card-api.md §5.1).
    init(_ error: CardRuleError) {
        switch error {
        case .validation(let message): self.init(.validationError, message)
        case .clientNotFound(let message): self.init(.clientNotFound, message)
        case .cardNotFound(let message): self.init(.cardNotFound, message)
        case .invalidCardState(let message): self.init(.invalidCardState, message)
        }
    }
}

/// What the Payment Cards endpoints share: the domain service, the clock, and the two ways of running
/// a call (recorded state change through `CardAPIExecution`, or a plain read).
struct CardEndpointSupport: Sendable {
    let services: AppServices
    let cards: CardService

    init(services: AppServices) {
        self.services = services
        self.cards = CardService(secrets: services.credentials.secrets, clock: services.clock)
    }

    var now: Date { services.clock.now() }

    /// Runs a state-changing call exactly once per request id; domain refusals become recorded Card API errors.
    func change<Answer: Encodable & Sendable>(
        _ context: AppRequestContext, requestID: String?, kind: String,
        _ operation: @escaping @Sendable (any SQLExecutor, Partner) async throws -> CardAPIResult<Answer>
    ) async throws -> Response {
        try await CardAPIExecution(services: services).run(context: context, bodyRequestID: requestID, kind: kind) { db, partner in
            do {
                return try await operation(db, partner)
            } catch let error as CardRuleError {
                throw CardAPIFailure(error)
            }
        }
    }

    /// A state change with no request id to record (documented bodies of `card/set_pin` carry none).
    func unrecordedChange(_ context: AppRequestContext, _ operation: @escaping @Sendable (any SQLExecutor, Partner) async throws -> Void) async throws -> Response {
        let partner = try context.partner()
        do {
            try await services.store.write { db in try await operation(db, partner) }
        } catch let error as CardRuleError {
            throw CardAPIFailure(error)
        }
        return CardAPIExecution.response(CardAPIExecution.encode(EmptyAnswer(), requestStatus: .success))
    }

    /// A read-only call: one consistent snapshot, domain refusals mapped, the answer encoded as is.
    func read<Answer: Encodable & Sendable>(_ context: AppRequestContext, _ body: @escaping @Sendable (any SQLExecutor, Partner) async throws -> Answer) async throws -> Response {
        let partner = try context.partner()
        do {
            let answer = try await services.store.read { db in try await body(db, partner) }
            return JSONBody.response(answer)
        } catch let error as CardRuleError {
            throw CardAPIFailure(error)
        }
    }

    func dt() -> String { WireDate.rfc3339(now) }
}

/// The `client_id` a `client/add` answers with.
struct ClientIDAnswer: Encodable, Sendable {
    let clientID: String
    enum CodingKeys: String, CodingKey { case clientID = "client_id" }
}

/// Registers every Payment Cards endpoint group on the authenticated `/v5/card-api` group.
enum PaymentCardRoutes {
    static func register(on group: RouterGroup<AppRequestContext>, services: AppServices) {
        let support = CardEndpointSupport(services: services)
        ClientEndpoints(support: support).register(on: group)
        CardIssueEndpoints(support: support).register(on: group)
        CardLifecycleEndpoints(support: support).register(on: group)
        CardPINEndpoints(support: support).register(on: group)
        CardReadEndpoints(support: support).register(on: group)
        LimitEndpoints(support: support).register(on: group)
        DictionaryEndpoint(support: support).register(on: group)
        StatementEndpoints(support: support).register(on: group)
    }
}
