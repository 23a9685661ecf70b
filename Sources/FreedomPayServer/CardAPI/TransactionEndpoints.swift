import Foundation
import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// Card transactions (card-api.md §3.15–§3.19): create, clearing, refund, cancel, info. State-changing
/// calls run exactly once per request id and are reported by `request/status` with the transaction shape.
struct TransactionEndpoints: Sendable {
    let services: AppServices
    let service: TransactionService

    init(services: AppServices, directory: any TransactionCardDirectory, limits: (any DebitLimitPolicy)?) {
        self.services = services
        self.service = TransactionService(directory: directory, limits: limits, clock: services.clock)
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("transaction/create", use: create)
        group.post("transaction/clearing", use: clearing)
        group.post("transaction/refund", use: refund)
        group.post("transaction/cancel", use: cancel)
        group.post("transaction/info", use: info)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeCardAPI(CreateTransactionRequest.self)
        guard let kind = CardTransaction.Kind(rawValue: body.type) else {
            throw CardAPIFailure(.validationError, "field 'type' must be 'debit' or 'credit'")
        }
        let command = TransactionCommand(
            orderID: body.orderID, cardID: body.cardID, kind: kind, amount: body.amount.text, currency: body.currency, description: body.description)
        let service = self.service
        let now = services.clock.now()
        return try await execute(context, requestID: body.requestID, kind: "transaction.create") { db, partner in
            let transaction = try await service.create(command, partner: partner.id, now: now, in: db)
            return CardAPIResult(
                outcome: RequestOutcome(transactionID: transaction.id, finDocumentID: transaction.finDocumentID),
                answer: CreateTransactionAnswer(transactionID: transaction.id))
        }
    }

    @Sendable func clearing(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeCardAPI(TransactionStepRequest.self)
        let service = self.service
        return try await execute(context, requestID: body.requestID, kind: "transaction.clearing") { db, partner in
            let transaction = try await service.clear(
                transactionID: body.transactionID, orderID: body.orderID, amount: body.amount?.text, partner: partner.id, in: db)
            return Self.stepResult(transaction)
        }
    }

    @Sendable func refund(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeCardAPI(TransactionStepRequest.self)
        let service = self.service
        return try await execute(context, requestID: body.requestID, kind: "transaction.refund") { db, partner in
            let transaction = try await service.refund(
                transactionID: body.transactionID, orderID: body.orderID, amount: body.amount?.text, partner: partner.id, in: db)
            return Self.stepResult(transaction)
        }
    }

    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeCardAPI(TransactionStepRequest.self)
        let service = self.service
        return try await execute(context, requestID: body.requestID, kind: "transaction.cancel") { db, partner in
            Self.stepResult(try await service.cancel(transactionID: body.transactionID, orderID: body.orderID, partner: partner.id, in: db))
        }
    }

    @Sendable func info(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeCardAPI(TransactionInfoRequest.self)
        let partner = try context.partner()
        let service = self.service
        let transaction = try await Self.mapping {
            try await services.store.read { db in
                try await service.info(transactionID: body.transactionID, orderID: body.orderID, partner: partner.id, in: db)
            }
        }
        func amount(_ minor: Int64) -> WireDecimal { WireDecimal(Money(minorUnits: minor, currency: transaction.currency).decimal) }
        var answer = TransactionInfoResponse(
            transactionID: transaction.id, finDocumentID: transaction.finDocumentID, orderID: transaction.orderID, cardID: transaction.cardID,
            type: transaction.kind.rawValue, amount: amount(transaction.amountMinor), clearingAmount: amount(transaction.clearedMinor),
            refundAmount: amount(transaction.refundedMinor), currency: transaction.currency.code, transactionStatus: transaction.status.rawValue,
            createdAt: WireDate.rfc3339(transaction.createdAt), dt: WireDate.rfc3339(services.clock.now()))
        if let conversion = transaction.conversion {
            answer.originalAmount = WireDecimal(conversion.original)
            answer.originalCurrency = conversion.originalCurrency
            answer.rate = WireDecimal(conversion.rate)
        }
        return JSONBody.response(answer)
    }

    private static func stepResult(_ transaction: CardTransaction) -> CardAPIResult<EmptyAnswer> {
        CardAPIResult(outcome: RequestOutcome(transactionID: transaction.id, finDocumentID: transaction.finDocumentID), answer: EmptyAnswer())
    }

    private func execute<Answer: Encodable & Sendable>(
        _ context: AppRequestContext, requestID: String, kind: String,
        _ operation: @escaping @Sendable (any SQLExecutor, Partner) async throws -> CardAPIResult<Answer>
    ) async throws -> Response {
        try await CardAPIExecution(services: services).run(context: context, bodyRequestID: requestID, api: .transaction, kind: kind) { db, partner in
            try await Self.mapping { try await operation(db, partner) }
        }
    }

    /// Transaction rule failures in the Card API's codes.
    static func mapping<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as TransactionError {
            switch error {
            case .validation(let message): throw CardAPIFailure(.validationError, message)
            case .cardNotFound(let message): throw CardAPIFailure(.cardNotFound, message)
            case .transactionNotFound(let message): throw CardAPIFailure(.transactionNotFound, message)
            case .invalidCardState(let message): throw CardAPIFailure(.invalidCardState, message)
            case .insufficientFunds(let message): throw CardAPIFailure(.insufficientFunds, message)
            case .amountExceedsAllowed(let message): throw CardAPIFailure(.amountExceedsAllowed, message)
            case .limitExceeded(let message): throw CardAPIFailure(.limitExceeded, message)
            }
        }
    }
}
