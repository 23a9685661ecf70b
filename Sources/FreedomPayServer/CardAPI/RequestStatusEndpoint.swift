import Foundation
import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// `POST /v5/card-api/request/status` (card-api.md §3.1, §3.18): the state and results of an earlier request.
struct RequestStatusEndpoint: Sendable {
    let services: AppServices

    func handle(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeCardAPI(RequestStatusRequest.self)
        guard !body.requestID.isEmpty else { throw CardAPIFailure(.validationError, "field 'request_id' must not be empty") }
        let partner = try context.partner()
        let requestID = FreedomPayCore.RequestID(rawValue: body.requestID)
        let record = try await services.store.read { db in
            try await services.requests.find(partner: partner.id, requestID: requestID, in: db)
        }
        guard let record else {
            throw CardAPIFailure(.requestNotFound, "request_id '\(body.requestID)' is not known for this partner")
        }
        return JSONBody.response(Self.answer(for: record, now: services.clock.now()))
    }

    /// Card/client requests answer `cards` + `client_id`; transaction requests `transaction_id` + `fin_document_id`.
    static func answer(for record: RequestRecord, now: Date) -> RequestStatusResponse {
        let status = record.observedStatus(at: now)
        let outcome = record.outcome
        let failed = status == .error
        var response = RequestStatusResponse(
            requestStatus: status, errorCode: failed ? outcome.errorCode : nil,
            errorDescription: failed ? outcome.errorDescription : nil, dt: WireDate.rfc3339(now))
        switch record.api {
        case .transaction:
            response.transactionID = outcome.transactionID ?? ""
            response.finDocumentID = status == .success ? (outcome.finDocumentID ?? "") : ""
        default:
            response.cards = status == .success ? (outcome.cards ?? []).map(CardRef.init(cardID:)) : []
            response.clientID = status == .success ? (outcome.clientID ?? "") : ""
        }
        return response
    }
}
