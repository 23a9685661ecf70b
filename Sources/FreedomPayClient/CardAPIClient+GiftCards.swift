import Foundation
import FreedomPayWire

/// Gift cards (`/v5/cards/...`): integer `status`, 0 = success; a negative status throws `.giftCard`.
extension CardAPIClient {
    public func giftProducts() async throws -> GiftProductListResponse {
        try await gift("/v5/cards/product_list", EmptyBody(), as: GiftProductListResponse.self)
    }

    public func issueGiftCard(_ request: IssueGiftCardRequest) async throws -> IssueGiftCardResponse {
        try await gift("/v5/cards/issue_card", request, as: IssueGiftCardResponse.self)
    }

    public func confirmGiftCard(otp: String, cardID: Int64?) async throws -> GiftCardStateResponse {
        try await gift("/v5/cards/activate_card", ConfirmGiftCardRequest(otp: otp, cardID: cardID), as: GiftCardStateResponse.self)
    }

    public func resendGiftCode(cardID: Int64) async throws {
        _ = try await gift("/v5/cards/resend_code", GiftCardIDRequest(cardID: cardID), as: GiftAcknowledgement.self)
    }

    public func resendGiftCard(cardID: Int64) async throws {
        _ = try await gift("/v5/cards/resend", GiftCardIDRequest(cardID: cardID), as: GiftAcknowledgement.self)
    }

    public func giftCardStatus(cardID: Int64) async throws -> GiftCardStateResponse {
        try await gift("/v5/cards/card_status", GiftCardIDRequest(cardID: cardID), as: GiftCardStateResponse.self)
    }

    func gift<Body: Encodable, Answer: Decodable>(_ path: String, _ body: Body, as answer: Answer.Type) async throws -> Answer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let response = try await sendRaw(path: path, body: Array(try encoder.encode(body)))
        if let probe = try? JSONDecoder().decode(GiftProbe.self, from: Data(response.body)), probe.status != 0 {
            throw FreedomPayClientError.giftCard(status: probe.status, description: probe.errorDescription ?? "")
        }
        do {
            return try JSONDecoder().decode(answer, from: Data(response.body))
        } catch {
            throw FreedomPayClientError.unexpectedResponse(httpStatus: response.status, body: response.text)
        }
    }
}

struct EmptyBody: Encodable {}

private struct GiftProbe: Decodable {
    var status: Int
    var errorDescription: String?
    enum CodingKeys: String, CodingKey {
        case status
        case errorDescription = "error_description"
    }
}
