import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// `card/issue`, `card/bulk_issue`, `card/issue_plastic` (card-api.md §3.20 [inferred]). The new card ids
/// arrive through `request/status` `cards[]`, as the docs describe.
struct CardIssueEndpoints: Sendable {
    let support: CardEndpointSupport

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("card/issue", use: issue)
        group.post("card/bulk_issue", use: bulkIssue)
        group.post("card/issue_plastic", use: issuePlastic)
    }

    func issue(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeCardAPI(IssueCardRequest.self)
        let order = CardService.IssueOrder(
            kind: .virtual, productID: body.productID, clientID: ClientID(rawValue: body.clientID), currency: body.currency)
        return try await run(order, context: context, requestID: body.requestID, kind: "card.issue")
    }

    func bulkIssue(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeCardAPI(BulkIssueRequest.self)
        let order = CardService.IssueOrder(kind: .bulk, productID: body.productID, count: body.count, currency: body.currency)
        return try await run(order, context: context, requestID: body.requestID, kind: "card.bulk_issue")
    }

    func issuePlastic(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeCardAPI(IssuePlasticCardRequest.self)
        let order = CardService.IssueOrder(
            kind: .plastic, productID: body.productID, clientID: ClientID(rawValue: body.clientID), currency: body.currency,
            embossedName: body.embossedName, branchID: body.branchID)
        return try await run(order, context: context, requestID: body.requestID, kind: "card.issue_plastic")
    }

    private func run(_ order: CardService.IssueOrder, context: AppRequestContext, requestID: String, kind: String) async throws -> Response {
        try await support.change(context, requestID: requestID, kind: kind) { db, partner in
            let ids = try await support.cards.issue(order, partner: partner.id, now: support.now, in: db)
            support.services.logger.info("cards issued", metadata: ["kind": "\(order.kind.rawValue)", "count": "\(ids.count)"])
            return CardAPIResult(
                outcome: RequestOutcome(cards: ids.map(\.rawValue), clientID: order.clientID?.rawValue ?? ""), answer: EmptyAnswer())
        }
    }
}
